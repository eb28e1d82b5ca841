import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_IDS } from '../../src/clients/client.js';
import type { Idp } from '../fixtures/idp.js';
import { TmuxSession } from '../helpers/tmux.js';
import { missingTools, skipWithout } from '../helpers/tools.js';
import { USER, WORLD_TOOLS, startWorld, type World } from './harness.js';

const skip = skipWithout('wizard in a real terminal', [...WORLD_TOOLS, 'tmux']);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(skip)('mailoauth setup typed by a person in tmux', () => {
  let w: World;
  let idp: Idp;
  let tmux: TmuxSession | undefined;
  beforeAll(async () => {
    w = await startWorld();
    idp = w.idp;
  });
  afterAll(async () => {
    tmux?.kill();
    await w?.stop();
  });

  it('from the first prompt to the summary: email, then one plan (detected tenant, Thunderbird app, device code) accepted with Enter', async () => {
    const env = w.env({ TERM: 'xterm-256color' });
    tmux = new TmuxSession('wizard', mkdtempSync(join(tmpdir(), 'mailoauth-tmux-')));
    tmux.start([process.execPath, w.cli, 'setup', '--authority', idp.authority(), '--no-verify'], env);

    await tmux.waitFor(/Email address of the mailbox/);
    tmux.type(USER);
    tmux.keys('Enter');
    // Detection ran against the platform's OpenID document for the domain; the plan shows its tenant.
    await tmux.waitFor(new RegExp(`Plan for alice@contoso\\.example \\(found: .*Microsoft tenant ${idp.tenantId}`));
    await tmux.waitFor(/app +Thunderbird's public client \(9e5f94bc-e8a4-4e73-b8be-63364c29d753\)/);
    // No display in this terminal, so device code is proposed.
    await tmux.waitFor(/sign-in +device code/);
    await tmux.waitFor(/Go ahead with this plan\?/);
    await tmux.waitFor(/❯ Yes, sign in/);
    // The shared-mailbox question is only an entry of the change menu, asked when chosen.
    expect(tmux.screen()).not.toMatch(/Address of the shared mailbox|instead of alice@contoso\.example's own mailbox/);
    tmux.keys('Enter');
    const code = (await tmux.waitFor(/enter the code (\S+) to authenticate/))[1]!;
    // In a terminal, a progress line shows while the sign-in waits for approval.
    await tmux.waitFor(new RegExp(`Waiting for you to approve the sign-in \\(code ${code}\\)`));
    await w.answerDeviceCode(code, { as: USER });
    await tmux.waitFor(/Signed in\. Stored the refresh token in the OS keychain as "alice@contoso\.example"/);
    // The plan's clients (what is installed): each file's diff, then a confirmation.
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
    expect(accounts.accounts[0]).toMatchObject({ name: USER, email: USER, provider: 'microsoft365', authority: idp.authority() });
    const item = spawnSync('secret-tool', ['lookup', 'service', 'mailoauth', 'username', `${USER}/msal`], { env, encoding: 'utf8' }).stdout;
    expect(Object.values(JSON.parse(item).RefreshToken as Record<string, { secret: string }>)[0]!.secret).toBe(idp.lastRefreshToken(USER));
  });

  it('no keychain: the wizard says so before its first question (exit 5), and nothing is written', async () => {
    const env = w.env({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', TERM: 'xterm-256color' });
    tmux?.kill();
    tmux = new TmuxSession('nokeychain', mkdtempSync(join(tmpdir(), 'mailoauth-tmux-')));
    tmux.start([process.execPath, w.cli, 'setup', '--authority', idp.authority(), '--no-verify'], env);
    await tmux.waitFor(/EXIT=5/);
    const screen = tmux.screen();
    expect(screen).toMatch(/keychain is not available/);
    expect(screen).toMatch(/--store file/);
    expect(screen).not.toMatch(/Email address of the mailbox/);
    expect(existsSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'))).toBe(false);
  });

  it('a redirect the app did not register is no dead end: after the stated wait the wizard offers paste and device code', async () => {
    const OWN = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    idp.registerApp(OWN, { redirectUris: ['https://localhost'] }); // no loopback registration
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-tmux-'));
    const env = w.env({
      TERM: 'xterm-256color',
      MAILOAUTH_BROWSER_TIMEOUT_MS: '4000',
      FAKE_BROWSER_LOG: join(dir, 'visited.log'),
      BROWSER: `${process.execPath} ${resolve(import.meta.dirname, '../fixtures/fake-browser.mjs')}`,
    });
    tmux?.kill();
    tmux = new TmuxSession('redirect', dir);
    tmux.start([process.execPath, w.cli, 'setup', '--email', USER, '--name', 'redir', '--provider', 'microsoft365', '--tenant', 'organizations',
      '--client-id', OWN, '--flow', 'browser', '--authority', idp.authority(), '--no-verify', '--clients', ''], env);
    await tmux.waitFor(/Go ahead with this plan\?/);
    tmux.keys('Enter');
    await tmux.waitFor(/Waiting up to 4 s for the browser to come back/);
    await tmux.waitFor(/No answer from the browser within 4 s\. The browser never came back to this machine/, 30_000);
    await tmux.waitFor(/Sign in another way\?/);
    const menu = tmux.screen();
    expect(menu).toMatch(/Paste the address the browser ends on \(https:\/\/localhost\)/);
    expect(menu).toMatch(/Device code/);
    expect(menu).not.toMatch(/Browser, with redirect http:\/\/127\.0\.0\.1/); // never the form that just failed
    // The browser stopped at the platform's page (it was never sent back).
    expect(readFileSync(join(dir, 'visited.log'), 'utf8').trim().split('\n')).toHaveLength(1);
    for (let i = 0; i < 5 && !/❯ Device code/.test(tmux.screen()); i++) {
      tmux.keys('Down');
      await new Promise((r) => setTimeout(r, 200));
    }
    await tmux.waitFor(/❯ Device code/);
    tmux.keys('Enter');
    const code = (await tmux.waitFor(/enter the code (\S+) to authenticate/))[1]!;
    await w.answerDeviceCode(code, { as: USER });
    await tmux.waitFor(/Signed in\./);
    await tmux.waitFor(/EXIT=0/);
    const account = JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')).accounts[0];
    expect(account).toMatchObject({ name: 'redir', clientId: OWN });
    expect(account.redirectUri).toBeUndefined(); // device code needs none
  });
});
