import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { fileStoreAccount, runIn, testDeps } from '../helpers/test-deps.js';

describe('mailoauth refresh (in-process)', () => {
  it.each([
    [[], /Say which account to refresh, or --all/],
    [['work', '--all'], /Give an account or --all, not both/],
  ])('refresh %j: usage error (exit 2)', async (args, said) => {
    const r = await runIn(testDeps(), ['refresh', ...args]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(said);
  });

  it('--all with no account: says so; --quiet: says nothing', async () => {
    expect(await runIn(testDeps(), ['refresh', '--all'])).toEqual({ code: 0, stdout: '', stderr: 'No accounts to refresh. Set one up with: mailoauth setup\n' });
    expect(await runIn(testDeps(), ['refresh', '--all', '--quiet'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--all --json: each account\'s outcome as data; a store without a refresh token is exit 3, the others still run', async () => {
    const d = testDeps();
    await fileStoreAccount(d, 'a');
    await fileStoreAccount(d, 'b');
    const r = await runIn(d, ['refresh', '--all', '--json']);
    expect(r.code).toBe(ExitCode.ReloginNeeded);
    expect(JSON.parse(r.stdout)).toEqual([
      { account: 'a', ok: false, exit: 3, error: 'The keychain item for a is not a mailoauth token cache.', fix: 'mailoauth setup --reauth a' },
      { account: 'b', ok: false, exit: 3, error: 'The keychain item for b is not a mailoauth token cache.', fix: 'mailoauth setup --reauth b' },
    ]);
    expect(r.stderr).toMatch(/2 of 2 accounts could not be refreshed/);
  });
});
