import { describe, expect, it } from 'vitest';
import { fileStoreAccount, runIn, testDeps } from '../helpers/test-deps.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');

describe('mailoauth list (in-process)', () => {
  it('no account: a hint on stderr, nothing on stdout', async () => {
    expect(await runIn(testDeps(), ['list'])).toEqual({ code: 0, stdout: '', stderr: 'No accounts yet. Set one up with: mailoauth setup\n' });
  });

  it('a table on stdout: the account, its provider, its token expiry', async () => {
    const d = testDeps({ now: () => NOW });
    await fileStoreAccount(d, 'work', { expiresInMs: 50 * 60_000 });
    const r = await runIn(d, ['list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^ACCOUNT +PROVIDER +EMAIL +ACCESS TOKEN/);
    expect(r.stdout).toMatch(/^work +microsoft365 +ann@contoso\.example +in 50 min +today +\d{4}-\d\d-\d\d/m);
  });

  it('--json: the rows as data', async () => {
    const d = testDeps({ now: () => NOW });
    await fileStoreAccount(d, 'work', { expiresInMs: -1000 });
    const r = await runIn(d, ['list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ account: 'work', store: 'file', tokenState: 'expired', refreshTokenAgeDays: 0 })]);
  });

  it('an unknown option: exit 2', async () => {
    expect((await runIn(testDeps(), ['list', '--all'])).code).toBe(2);
  });
});
