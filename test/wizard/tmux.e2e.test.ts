import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_IDS } from '../../src/clients/client.js';
import { startIdp, type Idp } from '../fixtures/idp.js';
import { startSecretService, type SecretService } from '../fixtures/secret-service.js';
import { makeTestCa } from '../fixtures/tls.js';
import { cliPath, testEnv } from '../helpers/cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { missingTools, skipWithout } from '../helpers/tools.js';

const skip = skipWithout('wizard in a real terminal', ['tmux', 'dbus-run-session', 'gnome-keyring-daemon', 'secret-tool', 'openssl']);
const USER = 'alice@contoso.example';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(skip)('mailoauth setup typed by a person in tmux', () => {
  let idp: Idp;
  let ss: SecretService;
  let caFile: string;
  let tmux: TmuxSession | undefined;
  beforeAll(async () => {
    const ca = await makeTestCa(mkdtempSync(join(tmpdir(), 'mailoauth-ca-')));
    caFile = ca.caFile;
    idp = await startIdp({ tls: ca, users: [{ upn: USER }] });
    ss = await startSecretService();
  });
  afterAll(async () => {
    tmux?.kill();
    await idp?.stop();
    await ss?.stop();
  });

  it('from the first prompt to the summary: email, detected provider, Thunderbird client, device code', async () => {
    const env = testEnv({ ...ss.env, NODE_EXTRA_CA_CERTS: caFile, TERM: 'xterm-256color' });
    tmux = new TmuxSession('wizard', mkdtempSync(join(tmpdir(), 'mailoauth-tmux-')));
    tmux.start([process.execPath, cliPath(), 'setup', '--authority', idp.authority(), '--no-verify'], env);

    await tmux.waitFor(/Email address of the mailbox/);
    tmux.type(USER);
    tmux.keys('Enter');
    // Detection ran against the platform's OpenID document for the domain and shows its tenant.
    await tmux.waitFor(new RegExp(`Microsoft tenant ${idp.tenantId}`));
    await tmux.waitFor(/Mail provider/);
    tmux.keys('Enter'); // accept the detected Microsoft 365
    await tmux.waitFor(/Open a shared mailbox with alice@contoso\.example's sign-in/);
    tmux.keys('Enter'); // no: Alice's own mailbox
    await tmux.waitFor(/Which app registration/);
    tmux.keys('Enter'); // Thunderbird's public client
    await tmux.waitFor(/How do you want to sign in\?/);
    // No display in this terminal, so device code is preselected; choose it explicitly anyway.
    await tmux.waitFor(/❯ Device code/);
    tmux.keys('Enter');
    const code = (await tmux.waitFor(/enter the code (\S+) to authenticate/))[1]!;
    // In a terminal, a progress line shows while the sign-in waits for approval.
    await tmux.waitFor(new RegExp(`Waiting for you to approve the sign-in \\(code ${code}\\)`));
    idp.approveDeviceCode(code, USER);
    await tmux.waitFor(/Signed in\. Stored the refresh token in the OS keychain as "alice@contoso\.example"/);
    // Pick clients: keep the preselection (what is installed), then confirm each file after its diff.
    await tmux.waitFor(/Write config blocks for which mail programs/);
    tmux.keys('Enter');
    for (let i = 0; i < CLIENT_IDS.length && !/EXIT=/.test(tmux.screen()); i++) {
      const next = await tmux.waitForAny([/EXIT=\d+/, /Write (\S+)\? \(Y\/n\)\s*$/m]);
      if (next.index === 0) break;
      tmux.keys('Enter');
      await tmux.waitFor(new RegExp(escapeRegExp(`Write ${next.match[1]}? Yes`)));
    }
    await tmux.waitFor(/EXIT=0/);
    const summary = tmux.screen();
    expect(summary).toMatch(/Summary for alice@contoso\.example/);
    expect(summary).toMatch(/offlineimap: wrote \S+\.offlineimaprc/);
    expect(summary).toMatch(/mbsync: wrote \S+\.mbsyncrc/);
    expect(summary).toMatch(/msmtp: wrote \S+/);
    // The programs added later are offered (and preselected) when installed, like the first five.
    const later = { aerc: 'aerc', getmail: 'getmail', 'git-send-email': 'git', 's-nail': 's-nail' };
    const missing = missingTools(Object.values(later));
    for (const [program, cmd] of Object.entries(later)) {
      if (!missing.includes(cmd)) expect(summary).toMatch(new RegExp(`${program}: wrote \\S+`));
    }
    expect(readFileSync(join(env.HOME, '.mbsyncrc'), 'utf8')).toContain(`# >>> mailoauth ${USER} >>>`);

    const accounts = JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8'));
    expect(accounts.accounts[0]).toMatchObject({ name: USER, email: USER, provider: 'microsoft365' });
    const item = spawnSync('secret-tool', ['lookup', 'service', 'mailoauth', 'username', `${USER}/msal`], { env, encoding: 'utf8' }).stdout;
    expect(Object.values(JSON.parse(item).RefreshToken as Record<string, { secret: string }>)[0]!.secret).toBe(idp.lastRefreshToken(USER));
  });

  it('no keychain: the wizard says so before its first question (exit 5), and nothing is written', async () => {
    const env = testEnv({ ...ss.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', NODE_EXTRA_CA_CERTS: caFile, TERM: 'xterm-256color' });
    tmux?.kill();
    tmux = new TmuxSession('nokeychain', mkdtempSync(join(tmpdir(), 'mailoauth-tmux-')));
    tmux.start([process.execPath, cliPath(), 'setup', '--authority', idp.authority(), '--no-verify'], env);
    await tmux.waitFor(/EXIT=5/);
    const screen = tmux.screen();
    expect(screen).toMatch(/keychain is not available/);
    expect(screen).toMatch(/--store file/);
    expect(screen).not.toMatch(/Email address of the mailbox/);
    expect(existsSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'))).toBe(false);
  });

  it('a redirect the app did not register (AADSTS50011) is no dead end: the wizard offers the other loopback form', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-tmux-'));
    const env = testEnv({
      ...ss.env,
      NODE_EXTRA_CA_CERTS: caFile,
      TERM: 'xterm-256color',
      BROWSER: `${process.execPath} ${resolve(import.meta.dirname, '../fixtures/fake-browser.mjs')}`,
    });
    idp.addFault({ endpoint: 'authorize', times: 1, aadsts: { error: 'invalid_request', code: 50011, description: "The redirect URI 'http://localhost:1234' specified in the request does not match the redirect URIs configured for the application." } });
    tmux?.kill();
    tmux = new TmuxSession('redirect', dir);
    tmux.start([process.execPath, cliPath(), 'setup', '--email', USER, '--name', 'redir', '--provider', 'microsoft365', '--tenant', 'organizations',
      '--client-id', '9e5f94bc-e8a4-4e73-b8be-63364c29d753', '--flow', 'browser', '--authority', idp.authority(), '--no-verify', '--clients', ''], env);
    await tmux.waitFor(/redirect URI is not one the app registered\. \(AADSTS50011\)/);
    await tmux.waitFor(/Try instead:/);
    await tmux.waitFor(/❯ Browser, with redirect http:\/\/127\.0\.0\.1/);
    tmux.keys('Enter');
    await tmux.waitFor(/Signed in\./);
    await tmux.waitFor(/EXIT=0/);
    const account = JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')).accounts[0];
    expect(account).toMatchObject({ name: 'redir', redirectUri: 'http://127.0.0.1' });
  });
});
