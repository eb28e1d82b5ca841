/**
 * Journey: a self-hosted mail server behind an OpenID provider (the Keycloak/Authentik + Dovecot
 * setup), with a real OpenID server nobody here wrote: oidc-provider (test/fixtures/oidc-server.ts),
 * under a Keycloak-style issuer path. `setup --provider oidc --issuer …` discovers the endpoints, signs
 * in by device code (the code entered at the server's own pages, as a person's browser would) and by
 * browser + PKCE (real headless Chromium at its login page), then offlineimap, mbsync, neomutt and
 * msmtp work from the written blocks; at expiry one refresh serves all four and the ROTATED refresh
 * token is stored (the server revokes the whole grant when an old one is used again); revocation at
 * the server → exit 3 with the re-login command.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_SCOPES, MAIL_CLIENT_ID } from '../fixtures/oidc-server.js';
import { oidcChromium } from '../fixtures/oidc-chromium.js';
import { until } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';
import {
  CLIENTS, TOOLS, clientRound, deviceSignIn, clientVersion, expectManagedConfigs, mailoauth, proved, startOidcWorld, storedAccess, storedOAuth2,
  nextExpiry, userEnv, type OidcWorld, type UserEnv,
} from './harness.js';

const skip = skipWithout('e2e: a self-hosted OpenID provider with the real clients', [...TOOLS, 'chromium']);
const ALICE = { login: 'alice', email: 'alice@mail.example' };
const NAME = 'selfhosted';

describe.skipIf(skip)('journey: --provider oidc against oidc-provider, then offlineimap, mbsync, neomutt and msmtp', () => {
  let w: OidcWorld;
  beforeAll(async () => {
    w = await startOidcWorld({ users: [ALICE], issuerPath: '/realms/mail' });
  });
  afterAll(async () => {
    await w?.stop();
  });

  const setupArgs = (name: string, flow: 'device' | 'browser' | 'paste', extra: string[] = []) => ['setup', '--yes', '--provider', 'oidc', '--issuer', w.oidc.issuer,
    '--client-id', MAIL_CLIENT_ID, '--scope', MAIL_SCOPES, '--email', ALICE.email, '--name', name, '--flow', flow,
    '--imap-host', 'localhost', '--imap-port', String(w.dovecot.imapsPort), '--smtp-host', 'localhost', '--smtp-port', String(w.smtp.port),
    '--ca-file', w.ca.caFile, ...extra];
  const count = (k: string) => w.oidc.counts()[k] ?? 0;

  /** Setup by device code: the code from setup's output, entered at the server's pages by "alice". */
  const deviceSetup = (env: UserEnv, name: string, extra: string[] = []) => deviceSignIn(w, env, setupArgs(name, 'device', extra), { answer: { as: ALICE.login } });

  it('device code: discovery, sign-in at the server\'s pages, the four clients; at expiry one refresh for all, rotated refresh token stored', async () => {
    const env = userEnv(w, { MAILOAUTH_DEVICE_POLL_MS: '200' });
    w.oidc.resetCounts();
    const setup = await deviceSetup(env, NAME, ['--clients', CLIENTS]);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toBe('');
    expect(setup.stderr).toContain(`Discovered ${w.oidc.issuer}: device code and browser sign-in.`);
    expect(setup.stderr).toMatch(new RegExp(`To sign in, open https://127\\.0\\.0\\.1:\\d+/realms/mail/device in a browser on any device and enter the code ${setup.userCode}`));
    expect(setup.stderr).toMatch(new RegExp(`^ok +IMAP login: localhost:${w.dovecot.imapsPort} \\(TLS\\): .*INBOX 3 / unseen 2$`, 'm'));
    expect(setup.stderr).toMatch(/^ok +SMTP login: /m);
    expect(count('token:device_code')).toBeGreaterThanOrEqual(1);

    // The account: the discovered endpoints, no secret anywhere but the keychain.
    const first = storedAccess(env, NAME).accessToken;
    const refreshToken = storedOAuth2(env, NAME)?.refreshToken;
    expect(refreshToken).toBeTruthy();
    expect((await w.oidc.introspect(first)).email).toBe(ALICE.email);
    const configs = expectManagedConfigs(env, NAME, [refreshToken!, first]);
    for (const [client, text] of Object.entries(configs)) expect(text, client).toContain(ALICE.email);

    // Round 1: the setup token; nothing refreshed.
    w.oidc.resetCounts();
    const r1 = await clientRound(w, env, { name: NAME, user: ALICE.email, n: 1 });
    expect(count('token:refresh_token'), `round 1: cache hits (round took ${r1.ms} ms)`).toBe(0);
    expect([...r1.tokens]).toEqual([first]);

    // Expiry: one refresh for four clients; the server rotated the refresh token and it is what is stored now.
    const stale = await nextExpiry(w, env, NAME);
    const beforeExpiry = storedOAuth2(env, NAME)?.refreshToken;
    expect(beforeExpiry, 'the refresh that stored the short token rotated it too').not.toBe(refreshToken);
    w.oidc.resetCounts();
    const r2 = await clientRound(w, env, { name: NAME, user: ALICE.email, n: 2 });
    expect(count('token:refresh_token'), `round 2: one refresh for four clients (round took ${r2.ms} ms)`).toBe(1);
    const second = storedAccess(env, NAME).accessToken;
    expect(second).not.toBe(stale);
    expect([...r2.tokens]).toEqual([second]);
    const rotated = storedOAuth2(env, NAME)?.refreshToken;
    expect(rotated).not.toBe(beforeExpiry);
    // The rotated one works (the old one, used again, would have revoked the grant).
    expect((await mailoauth(w, ['refresh', NAME], env)).code).toBe(0);

    for (const c of ['offlineimap', 'mbsync', 'neomutt', 'msmtp'] as const) {
      proved(`${clientVersion(c)}: worked with tokens from oidc-provider (device-code setup, discovery at ${w.oidc.issuer.replace(/^https:\/\/[^/]+/, '')}), ` +
        `then after expiry with the refreshed one: 1 refresh for 4 clients, the rotated refresh token stored`);
    }
  }, 180_000);

  it('browser + PKCE: real Chromium signs in at the server\'s login page and comes back to the loopback listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-oidc-chromium-'));
    w.homes.push(dir);
    const chromium = oidcChromium({ dir, certFile: w.ca.certFile, login: ALICE.login });
    const env = userEnv(w, { BROWSER: chromium.browser, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, MAILOAUTH_BROWSER_TIMEOUT_MS: '60000' });
    w.oidc.resetCounts();
    const r = await mailoauth(w, setupArgs('web', 'browser', ['--clients', 'msmtp']), env, 120);
    expect(r.code, `${r.out}\n--- chromium: ${JSON.stringify(chromium.result())}`).toBe(0);
    expect(chromium.result()).toMatchObject({ ok: true });
    expect(count('token:authorization_code')).toBe(1);
    expect(storedOAuth2(env, 'web')?.refreshToken).toBeTruthy();
    proved(`chromium (headless) at oidc-provider's login and consent pages: authorization code with PKCE to the loopback listener, refresh token stored`);
  }, 150_000);

  it('paste: the address the browser ended on, typed back, completes the sign-in (the flow Yahoo, AOL and Mail.ru get)', async () => {
    const env = userEnv(w);
    w.oidc.resetCounts();
    const p = w.start(setupArgs('pasted', 'paste', ['--redirect-uri', 'http://127.0.0.1', '--no-verify', '--clients', '']), env, 120_000);
    const url = await until('the authorize URL on stderr', () => /Open this address in any browser and sign in as \S+:\n\n {2}(\S+)/.exec(p.stderr())?.[1], 60_000);
    // A person signs in at the server's pages; the browser ends on http://127.0.0.1/?code=... (nothing listens there).
    const { redirect } = await w.oidc.signInBrowser(url, ALICE.login);
    expect(redirect).toMatch(/^http:\/\/127\.0\.0\.1\/?\?code=/);
    p.write(`${redirect}\n`);
    p.endInput();
    const r = await p.done;
    expect(r.code, r.stderr).toBe(0);
    expect(count('token:authorization_code')).toBe(1);
    expect(storedOAuth2(env, 'pasted')?.refreshToken).toBeTruthy();
  }, 120_000);

  it('an answer naming another authorization server (RFC 9207 iss) is refused before its code is redeemed', async () => {
    const env = userEnv(w);
    w.oidc.resetCounts();
    const p = w.start(setupArgs('mixup', 'paste', ['--redirect-uri', 'http://127.0.0.1', '--no-verify', '--clients', '']), env, 120_000);
    const url = await until('the authorize URL on stderr', () => /Open this address in any browser and sign in as \S+:\n\n {2}(\S+)/.exec(p.stderr())?.[1], 60_000);
    const { redirect } = await w.oidc.signInBrowser(url, ALICE.login);
    const answer = new URL(redirect);
    expect(answer.searchParams.get('iss')).toBe(w.oidc.issuer); // the real server names itself
    answer.searchParams.set('iss', 'https://127.0.0.2:9/realms/mail');
    p.write(`${answer.href}\n`);
    p.endInput();
    const r = await p.done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('names another authorization server (https://127.0.0.2:9/realms/mail');
    expect(count('token:authorization_code')).toBe(0);
    expect(storedOAuth2(env, 'mixup')).toBeUndefined();
  }, 120_000);

  it('revocation at the server: token exits 3 with the re-login command, and nothing stored is lost', async () => {
    const env = userEnv(w, { MAILOAUTH_DEVICE_POLL_MS: '200' });
    w.oidc.setAccessTokenLifetime(1);
    try {
      expect((await deviceSetup(env, 'revoked', ['--no-verify', '--clients', ''])).code).toBe(0);
    } finally {
      w.oidc.setAccessTokenLifetime(3600);
    }
    const rt = storedOAuth2(env, 'revoked')?.refreshToken;
    await w.oidc.revokeGrants(ALICE.login);
    const t = await mailoauth(w, ['token', 'revoked'], env);
    expect(t.code, t.out).toBe(3);
    expect(t.stderr).toContain('mailoauth setup --reauth revoked');
    expect(t.stdout).toBe('');
    expect(storedOAuth2(env, 'revoked')?.refreshToken).toBe(rt);
  }, 120_000);
});
