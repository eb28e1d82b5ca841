/**
 * Journey 2: the desktop sign-in. `$BROWSER` is a script running real headless Chromium: it loads the
 * platform's authorize page, which sends it back to mailoauth's loopback listener with the code;
 * mailoauth redeems the code with its PKCE verifier, stores the account, and a client works with it.
 *
 * The platform is strict the way Microsoft is (docs/real-services.md): Thunderbird's app has only
 * https://localhost and http://127.0.0.1 (any port) registered, and a redirect an app did not register
 * ends on the platform's own AADSTS50011 page: the browser never comes back. mailoauth must send the
 * registered form, and when nothing comes back it must say so within its stated time and offer the
 * other ways to sign in.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import {
  TOOLS, USER, chromiumOpener, clientVersion, mailoauth, msmtpSend, proved, setupArgs, startWorld, storedAccess, storedRefreshToken,
  userEnv, type World,
} from './harness.js';

const skip = skipWithout('e2e: browser journey', [...TOOLS, 'chromium']);
const NAME = 'desk';

describe.skipIf(skip)('journey: browser sign-in through headless Chromium', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('Chromium follows the authorize page back to the loopback listener; the code is redeemed with PKCE and the account stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-e2e-chromium-'));
    w.homes.push(dir);
    const opener = chromiumOpener(w, dir);
    // No display: only $BROWSER may open anything (no xdg-open fallback to a desktop).
    const env = userEnv(w, { BROWSER: opener.browser, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, MAILOAUTH_BROWSER_TIMEOUT_MS: '45000' });
    w.idp.resetCounts();

    const r = await mailoauth(w, setupArgs(w, NAME, 'browser'), env, 120);
    const chromiumExited = await opener.exited(20_000);
    const chromiumLog = existsSync(opener.logFile) ? readFileSync(opener.logFile, 'utf8') : '(no chromium log)';
    expect(r.code, `${r.stderr}\n--- chromium:\n${chromiumLog.slice(-3000)}`).toBe(0);
    expect(r.stderr).toMatch(/Opening your browser to sign in as alice@contoso\.example/);

    // What Chromium ended on: mailoauth's own "Signed in" page, served by the loopback listener.
    expect(chromiumExited, 'Chromium exits by itself once it has dumped the page').toBe(true);
    const dom = readFileSync(opener.domFile, 'utf8');
    expect(dom).toMatch(/<h1>Signed in<\/h1>/);
    expect(dom).toContain('mailoauth has what it needs');

    // The platform saw the browser at /authorize (it demands an S256 code_challenge there, else it
    // redirects with AADSTS9002325) and one authorization_code grant, which it answers only when the
    // code_verifier hashes to that challenge (else AADSTS501481): PKCE end to end.
    const reqs = w.idp.requests();
    const authorize = reqs.filter((q) => q.endpoint === 'authorize');
    const redeem = reqs.filter((q) => q.endpoint === 'token:authorization_code');
    expect(authorize.map((q) => q.status)).toEqual([302]);
    expect(redeem.map((q) => q.status)).toEqual([200]);
    expect(w.idp.counts()['token:device_code'] ?? 0).toBe(0);

    // The account is stored: refresh token in the Secret Service, registered loopback redirect kept.
    expect(storedRefreshToken(env, NAME)).toBe(w.idp.lastRefreshToken(USER));
    const account = JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')).accounts[0];
    // Thunderbird's registered loopback form: 127.0.0.1 (it has no http://localhost registration).
    expect(account).toMatchObject({ name: NAME, email: USER, redirectUri: 'http://127.0.0.1' });
    expect(new URL(new URL(readFileSync(opener.argsFile, 'utf8').trim()).searchParams.get('redirect_uri')!).hostname).toBe('127.0.0.1');
    expect(w.idp.isValidAccessToken(storedAccess(env, NAME).accessToken)?.upn).toBe(USER);

    // And it is usable: msmtp sends with it.
    const subject = `e2e browser ${Date.now()}`;
    const ms = await msmtpSend(env, NAME, { to: 'carol@example.org', subject });
    expect(ms.code, ms.out).toBe(0);
    expect(w.smtp.messages.at(-1)).toMatchObject({ from: USER, to: ['carol@example.org'], user: USER });
    expect(w.smtpTokens.at(-1)).toBe(storedAccess(env, NAME).accessToken);
    proved(`chromium (headless) + mailoauth browser flow: authorize 302 -> loopback, authorization_code grant with PKCE accepted, account "${NAME}" stored; ${clientVersion('msmtp')} sent with its token`);
  }, 150_000);

  it('a redirect the app did not register: Chromium stays on the AADSTS50011 page; setup ends at its stated time offering paste and device code', async () => {
    // The user's own app, registered with only https://localhost (paste) — not the loopback form setup sends.
    const OWN = '5c4e7b6a-0d2f-4e8a-9b1c-3f2e1d0c9b8a';
    w.idp.registerApp(OWN, { redirectUris: ['https://localhost'] });
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-e2e-chromium-'));
    w.homes.push(dir);
    const opener = chromiumOpener(w, dir);
    const WAIT_MS = 8000;
    const env = userEnv(w, { BROWSER: opener.browser, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, MAILOAUTH_BROWSER_TIMEOUT_MS: String(WAIT_MS) });
    w.idp.resetCounts();
    const t0 = Date.now();
    const r = await mailoauth(w, setupArgs(w, 'unregistered', 'browser', ['--client-id', OWN]), env, 60);
    const took = Date.now() - t0;
    await opener.exited(20_000);
    expect(r.code, r.out).toBe(2);
    expect(r.stderr).toMatch(/Waiting up to 8 s for the browser to come back to http:\/\/127\.0\.0\.1:\d+ on this machine/);
    expect(r.stderr).toMatch(/No answer from the browser within 8 s\. The browser never came back to this machine: the sign-in page is probably showing an error/);
    expect(r.stderr).toMatch(/Run setup again and sign in another way: .*--flow paste, or --flow device/);
    // What the person saw: the platform's own error page, never a redirect back.
    const dom = readFileSync(opener.domFile, 'utf8');
    expect(dom).toMatch(/AADSTS50011: The redirect URI 'http:\/\/127\.0\.0\.1:\d+' specified in the request does not match the redirect URIs configured for the application '5c4e7b6a/);
    expect(w.idp.requests().filter((q) => q.endpoint === 'authorize' && q.at >= t0).map((q) => q.status)).toEqual([400]);
    expect(w.idp.counts()['token:authorization_code'] ?? 0).toBe(0);
    expect(existsSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'))).toBe(false);
    console.log(`unregistered redirect: setup gave up after ${took} ms (stated wait ${WAIT_MS} ms)`);
  }, 90_000);
});
