import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { xoauth2 } from '../../src/token/format.js';
import { fileStoreAccount, runIn, testDeps } from '../helpers/test-deps.js';

describe('mailoauth token (in-process)', () => {
  it('prints the stored access token and a newline on stdout, nothing else', async () => {
    const d = testDeps();
    await fileStoreAccount(d, 'work', { accessToken: 'AT-1' });
    expect(await runIn(d, ['token', 'work'])).toEqual({ code: 0, stdout: 'AT-1\n', stderr: '' });
  });

  it.each([
    ['--xoauth2', (t: string) => `${xoauth2('ann@contoso.example', t)}\n`],
    ['--json', (t: string) => expect.stringMatching(new RegExp(`^\\{"access_token":"${t}","expires_at":"[^"]+","account":"work","scopes":\\[`))],
  ])('%s', async (flag, want) => {
    const d = testDeps();
    await fileStoreAccount(d, 'work', { accessToken: 'AT-2' });
    const r = await runIn(d, ['token', 'work', flag]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toEqual(want('AT-2'));
  });

  it('--debug names the typed outcome last, and never the token', async () => {
    const d = testDeps();
    await fileStoreAccount(d, 'work', { accessToken: 'AT-SECRET' });
    const r = await runIn(d, ['--debug', 'token', 'work']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/: token: cache\n$/);
    expect(r.stderr).not.toContain('AT-SECRET');
  });

  it.each([
    [['token', 'work', '--xoauth2', '--json'], /Choose --xoauth2 or --json/],
    [['token', 'nobody'], /No account named "nobody"/],
    [['token'], /missing required argument 'account'/],
    [['token', 'work', '--bogus'], /unknown option '--bogus'/],
  ])('%j: usage error (exit 2), nothing on stdout', async (args, said) => {
    const d = testDeps();
    await fileStoreAccount(d, 'work');
    const r = await runIn(d, args);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(said);
  });

  it('a due token whose store has no refresh token: exit 3 and the reauth command', async () => {
    const d = testDeps();
    await fileStoreAccount(d, 'work', { expiresInMs: 60_000 });
    const r = await runIn(d, ['token', 'work']);
    expect(r.code).toBe(ExitCode.ReloginNeeded);
    expect(r.stderr).toMatch(/next: mailoauth setup --reauth work/);
  });
});
