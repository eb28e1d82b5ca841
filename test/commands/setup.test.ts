import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { readAccounts } from '../../src/store/accounts.js';
import { freePort } from '../fixtures/ports.js';
import { testEnv } from '../helpers/cli.js';
import { fileStoreAccount, runIn, testDeps } from '../helpers/test-deps.js';

// Sign-ins themselves run against the identity-platform stand-ins in test/e2e/ and test/wizard/; here:
// the flags, what is refused before anyone signs in, and how a failed sign-in ends.
describe('mailoauth setup (in-process)', () => {
  it.each([
    [['--yes'], /Missing --email \(--yes never prompts\)/],
    [[], /Missing --email \(standard input is not a terminal, so there is no one to ask\)/],
    [['--yes', '--email', 'ann@gmail.com', '--flow', 'device'], /Google offers no device-code sign-in/],
    [['--yes', '--email', 'ann@contoso.example', '--flow', 'telepathy'], /argument 'telepathy' is invalid/],
    [['--yes', '--email', 'ann@contoso.example', '--imap-port', '0'], /--imap-port must be a port number \(1-65535\), not "0"/],
    [['--yes', '--email', 'ann@contoso.example', '--clients', 'mbsync,offlineimap', '--maildir', '/tmp/m'], /would be the local store of offlineimap and mbsync at once|would be the local store of mbsync and offlineimap at once/],
    [['--reauth', 'nobody'], /No account named "nobody"/],
  ])('setup %j: usage error (exit 2) before any sign-in', async (args, said) => {
    const d = testDeps();
    const r = await runIn(d, ['setup', ...args]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(said);
    expect(r.stdout).toBe('');
    expect(readAccounts(d.env).accounts).toEqual([]);
  });

  it('a name another mailbox has: refused unless --force', async () => {
    const d = testDeps();
    await fileStoreAccount(d, 'work');
    const r = await runIn(d, ['setup', '--yes', '--email', 'bob@contoso.example', '--name', 'work', '--store', 'file']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(/An account named "work" already exists for ann@contoso\.example/);
  });

  it('an identity platform nobody answers for: detection says it could not look, the sign-in ends with exit 4, nothing is stored', async () => {
    const port = await freePort();
    const d = testDeps({ env: testEnv({ PATH: '/nonexistent', MAILOAUTH_HTTP_ATTEMPTS: '1', MAILOAUTH_RETRY_BASE_MS: '0' }) });
    const r = await runIn(d, ['setup', '--yes', '--email', 'ann@contoso.example', '--store', 'file', '--flow', 'device', '--no-verify',
      '--authority', `https://127.0.0.1:${port}/organizations`]);
    expect(r.code).toBe(ExitCode.Unavailable);
    expect(r.stderr).toMatch(/^Detected for contoso\.example: could not look up MX/m);
    expect(r.stderr).toMatch(/Signing in ann@contoso\.example \(https:\/\/127\.0\.0\.1:\d+\/organizations, client 9e5f94bc-e8a4-4e73-b8be-63364c29d753, device flow\)/);
    expect(r.stderr).toMatch(/The identity platform \(127\.0\.0\.1:\d+\) is unavailable: the connection was refused after 1 attempt/);
    expect(readAccounts(d.env).accounts).toEqual([]);
  });
});
