import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { freePort } from '../fixtures/ports.js';
import { fileStoreAccount, runIn, testDeps } from '../helpers/test-deps.js';

// The logins themselves are proven against Dovecot and the SMTP stand-in (test/verify/); here: the
// flags, the report, the exit codes, with a port nothing listens on.
describe('mailoauth verify (in-process)', () => {
  it('--imap against a closed port: exit 4, the diagnosis in the report on stderr', async () => {
    const d = testDeps();
    await fileStoreAccount(d);
    const port = await freePort();
    const r = await runIn(d, ['verify', 'work', '--imap', '--imap-host', '127.0.0.1', '--imap-port', String(port), '--timeout-ms', '5000']);
    expect(r.code).toBe(ExitCode.Unavailable);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^access token: /);
    expect(r.stderr).toMatch(new RegExp(`Nothing accepts connections on 127\\.0\\.0\\.1:${port}`));
    expect(r.stderr).toMatch(/IMAP verification failed for work \(cause and fix above\)/);
    expect(r.stderr).toMatch(/IMAP login: /);
    expect(r.stderr).not.toMatch(/SMTP login/);
  });

  it('--json: the same as data on stdout, per server', async () => {
    const d = testDeps();
    await fileStoreAccount(d);
    const port = await freePort();
    const r = await runIn(d, ['verify', 'work', '--smtp', '--smtp-host', '127.0.0.1', '--smtp-port', String(port), '--json']);
    expect(r.code).toBe(ExitCode.Unavailable);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ account: 'work', ok: false, smtp: { ok: false, host: '127.0.0.1', port, tls: 'starttls', diagnosis: { id: 'refused', exit: 4 } } });
    expect(report.imap).toBeUndefined();
  });

  it.each([
    [['--imap-port', '99999'], /--imap-port must be a port number \(1-65535\), not "99999"/],
    [['--smtp-port', 'x'], /--smtp-port must be a port number/],
    [['--timeout-ms', 'soon'], /--timeout-ms must be a number of milliseconds/],
  ])('verify work %j: usage error (exit 2) before any login', async (args, said) => {
    const d = testDeps();
    await fileStoreAccount(d);
    const r = await runIn(d, ['verify', 'work', ...args]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(said);
  });
});
