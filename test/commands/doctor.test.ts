import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { fileStoreAccount, runIn, testDeps } from '../helpers/test-deps.js';

// testDeps has no session bus and no PATH: the keychain is unavailable and no mail program is found.
describe('mailoauth doctor (in-process)', () => {
  it('no account: the keychain setup would need fails (exit 5), each section on stderr', async () => {
    const r = await runIn(testDeps(), ['doctor']);
    expect(r.code).toBe(ExitCode.KeychainUnavailable);
    expect(r.stderr).toMatch(/^System\nFAIL +keychain: The OS keychain is not available: DBUS_SESSION_BUS_ADDRESS is unset/);
    expect(r.stderr).toMatch(/warn +accounts: no account is set up yet\n +fix: mailoauth setup/);
    expect(r.stderr).toMatch(/Mail clients\n.*none of offlineimap, mbsync/);
    expect(r.stderr).toMatch(/1 check failed \(FAIL lines above, each with its fix\)\.\n$/);
  });

  it('an account on the file store: the keychain is only a warning; the token check comes from the typed outcome', async () => {
    const d = testDeps();
    await fileStoreAccount(d, 'work');
    const r = await runIn(d, ['doctor', 'work', '--timeout-ms', '2000']);
    expect(r.stderr).toMatch(/warn +keychain: .*\(no account here uses it\)/);
    expect(r.stderr).toMatch(/ok +token: cached access token, valid until /);
    // Its servers (loopback port 1) refuse: the logins fail with exit 4.
    expect(r.stderr).toMatch(/FAIL +IMAP login: 127\.0\.0\.1:1 \(TLS\): Nothing accepts connections/);
    expect(r.code).toBe(ExitCode.Unavailable);
  });

  it('--json: the findings as data; a token check that fails gives its exit code', async () => {
    const d = testDeps();
    await fileStoreAccount(d, 'work', { expiresInMs: 60_000 });
    const r = await runIn(d, ['doctor', 'work', '--json', '--timeout-ms', '2000']);
    expect(r.code).toBe(ExitCode.ReloginNeeded);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: false, exit: 3 });
    const account = report.sections.find((s: { title: string }) => s.title.startsWith('Account work'));
    expect(account.findings).toContainEqual(expect.objectContaining({ level: 'fail', check: 'token', exit: 3 }));
  });

  it('--app-help: how to register an own app, for this account\'s cloud', async () => {
    const d = testDeps();
    await fileStoreAccount(d, 'gov', { account: { cloud: 'usgov', authority: 'https://login.microsoftonline.us/organizations' } });
    const r = await runIn(d, ['doctor', 'gov', '--app-help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/entra\.microsoft\.us/);
  });

  it.each([
    [['--timeout-ms', '5'], /--timeout-ms must be a number of milliseconds \(100-600000\)/],
    [['--app-help', '--cloud', 'mars'], /argument 'mars' is invalid. Allowed choices are public, usgov, usgov-dod, china/],
  ])('doctor %j: usage error (exit 2)', async (args, said) => {
    const r = await runIn(testDeps(), ['doctor', ...args]);
    expect(r.stderr).toMatch(said);
    expect(r.code).toBe(ExitCode.Usage);
  });

  it('an unknown account is a failed check, after the keychain (the earlier cause) fails', async () => {
    const r = await runIn(testDeps(), ['doctor', 'nobody']);
    expect(r.stderr).toMatch(/FAIL +account: No account named "nobody"/);
    expect(r.code).toBe(ExitCode.KeychainUnavailable);
  });
});
