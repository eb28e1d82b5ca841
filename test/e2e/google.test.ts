/**
 * Gmail end to end: the built CLI signs someone@gmail.com in through the browser flow (PKCE, loopback)
 * against the local Google stand-in, keeps the refresh token in a real Secret Service, serves tokens
 * from the cache, refreshes at expiry keeping the refresh token Google did not resend, and logs in to
 * a real Dovecot that checks every bearer token with the stand-in (introspection, as for Microsoft).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DovecotServer } from '../fixtures/dovecot.js';
import { GMAIL_SCOPE, GOOGLE_AUTH_PATH, TB_CLIENT, type GoogleIdp } from '../fixtures/google-idp.js';
import type { SmtpTestServer } from '../fixtures/smtp.js';
import { eventually } from '../helpers/eventually.js';
import { skipWithout } from '../helpers/tools.js';
import { WORLD_TOOLS, keychainItem, startGoogleWorld, storedOAuth2, type GoogleWorld } from './harness.js';

const skip = skipWithout('e2e: Gmail', WORLD_TOOLS);
const USER = 'someone@gmail.com';
const OWN = { id: '123456789012-ownclientabcdefghijklmnopqrstuv.apps.googleusercontent.com', secret: 'GOCSPX-own-client-secret' };

// The Google world: SMTP speaks implicit TLS, as smtp.gmail.com:465 (the row's default) does.
let w: GoogleWorld;
let g: GoogleIdp;
let dovecot: DovecotServer;
let smtp: SmtpTestServer;
const imapChecks = () => w.imapChecks.map((c) => c.token);

beforeAll(async () => {
  if (skip) return;
  w = await startGoogleWorld({ users: [USER, 'intruder@gmail.com'] });
  ({ google: g, dovecot, smtp } = w);
  g.addClient(OWN.id, OWN.secret);
});
afterAll(async () => {
  await w?.stop();
});
beforeEach(() => {
  if (skip) return;
  g.clearFaults();
  g.setRotateRefreshTokens(false);
  g.setAccessTokenLifetime(3599);
  g.resetCounts();
});

const FAKE_BROWSER = `${process.execPath} ${resolve(import.meta.dirname, '../fixtures/fake-browser.mjs')}`;

const env = (extra: NodeJS.ProcessEnv = {}) => w.env({ BROWSER: FAKE_BROWSER, ...extra });
const run = (args: string[], e: NodeJS.ProcessEnv) => w.run(args, e);

const accountsText = (e: NodeJS.ProcessEnv & { XDG_CONFIG_HOME: string }) => readFileSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8');

/** `setup --yes` for the Gmail address, pointed at the stand-in, Dovecot and the SMTP fixture. */
function setupArgs(name: string, extra: string[] = []): string[] {
  return ['setup', '--yes', '--email', USER, '--name', name, '--flow', 'browser', '--authority', g.origin,
    '--imap-host', 'localhost', '--imap-port', String(dovecot.imapsPort), '--smtp-host', 'localhost', '--smtp-port', String(smtp.port), ...extra];
}

async function signIn(e: NodeJS.ProcessEnv, name: string, extra: string[] = []) {
  const r = await run(setupArgs(name, extra), e);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe.skipIf(skip)('Gmail: setup, token and verify against the Google stand-in, a real Secret Service and Dovecot', () => {
  it('setup --flow browser: PKCE + loopback, Google parameters, refresh token in the keychain, IMAP verified by Dovecot', async () => {
    const e = env();
    const r = await signIn(e, 'gm');
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Opening your browser to sign in as someone@gmail\.com/);
    expect(r.stderr).not.toMatch(/Note: .*Testing/); // Thunderbird's client is published

    const reqs = g.requests();
    const auth = reqs.filter((q) => q.endpoint === 'authorize');
    expect(auth.map((q) => q.status)).toEqual([302]);
    expect(auth[0]!.path).toBe(GOOGLE_AUTH_PATH);
    expect(auth[0]!.params).toMatchObject({
      // openid email besides the mail scope: the reply must say who signed in (checked before storing).
      client_id: TB_CLIENT.id, response_type: 'code', scope: `${GMAIL_SCOPE} openid email`, code_challenge_method: 'S256',
      access_type: 'offline', prompt: 'consent', login_hint: USER,
    });
    expect(auth[0]!.params.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const redeem = reqs.filter((q) => q.endpoint === 'token:authorization_code');
    // The stand-in answers only when the client secret matches and the verifier hashes to the challenge.
    expect(redeem.map((q) => q.status)).toEqual([200]);
    expect(redeem[0]!.params).toMatchObject({ client_id: TB_CLIENT.id, client_secret: '***', code_verifier: '***' });

    // The refresh token is in the Secret Service as NAME/oauth2, without a secret (Thunderbird's is public).
    const rec = storedOAuth2(e, 'gm');
    expect(rec).toEqual({ v: 1, refreshToken: g.lastRefreshToken(USER) });
    expect(keychainItem(e, 'gm/msal')).toBe('');
    const text = accountsText(e);
    expect(text).not.toContain(rec!.refreshToken);
    expect(text).not.toContain(TB_CLIENT.secret);
    expect(text).not.toMatch(/ya29\./);
    expect(JSON.parse(text).accounts[0]).toMatchObject({
      name: 'gm', email: USER, provider: 'google', auth: 'oauth2', clientId: TB_CLIENT.id, scopes: [GMAIL_SCOPE],
      oauth2: { authorizationEndpoint: `${g.origin}/o/oauth2/v2/auth`, tokenEndpoint: `${g.origin}/token` },
      redirectUri: 'http://127.0.0.1', imap: { host: 'localhost', port: dovecot.imapsPort, tls: 'implicit' },
    });

    // Setup's verify step logged in to Dovecot with the new token (an opaque one: no JWT warning).
    expect(r.stderr).toMatch(/ok\s+IMAP login: localhost:\d+ \(TLS\): \d+ folders?, INBOX 3 \/ unseen 2/);
    expect(r.stderr).toMatch(/ok\s+SMTP login/);
    expect(r.stderr).not.toMatch(/warn\s+token format/);
    expect(await eventually(() => dovecot.loginsFor(USER), (n) => n > 0)).toBeGreaterThan(0);
  });

  it('token: a cache hit makes no request; --xoauth2 names the Gmail user', async () => {
    const e = env();
    await signIn(e, 'hit');
    g.resetCounts();
    const a = await run(['token', 'hit'], e);
    const x = await run(['token', 'hit', '--xoauth2'], e);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toBe('');
    expect(a.stdout).toMatch(/^ya29\.[\w-]+\n$/);
    expect(g.isValidAccessToken(a.stdout)?.email).toBe(USER);
    expect(Buffer.from(x.stdout.trim(), 'base64').toString()).toBe(`user=${USER}\x01auth=Bearer ${a.stdout.trim()}\x01\x01`);
    expect(g.counts()).toEqual({});
  });

  it('expiry: one refresh, and the refresh token Google did not resend is kept', async () => {
    const e = env();
    g.setAccessTokenLifetime(240);
    await signIn(e, 'exp');
    const before = storedOAuth2(e, 'exp')!.refreshToken;
    g.setAccessTokenLifetime(3599);
    g.resetCounts();
    const r = await run(['token', 'exp', '--debug'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(g.isValidAccessToken(r.stdout)?.email).toBe(USER);
    expect(g.counts()).toEqual({ 'token:refresh_token': 1 });
    expect(r.stderr).toMatch(/: token: refreshed$/m);
    expect(r.stderr).not.toContain(before);
    expect(r.stderr).not.toContain(r.stdout.trim());
    expect(storedOAuth2(e, 'exp')).toEqual({ v: 1, refreshToken: before });
    const again = await run(['token', 'exp'], e);
    expect(again.stdout).toBe(r.stdout);
    expect(g.counts()).toEqual({ 'token:refresh_token': 1 });
  });

  it('expiry with rotation: a refresh token that does come back is stored before the token is printed', async () => {
    const e = env();
    g.setAccessTokenLifetime(240);
    await signIn(e, 'rot');
    const before = storedOAuth2(e, 'rot')!.refreshToken;
    g.setRotateRefreshTokens(true);
    const r = await run(['token', 'rot'], e);
    expect(r.code, r.stderr).toBe(0);
    const after = storedOAuth2(e, 'rot')!.refreshToken;
    expect(after).not.toBe(before);
    expect(after).toBe(g.lastRefreshToken(USER));
  });

  it('8 concurrent token processes at expiry share one refresh (the same lock as Microsoft accounts)', async () => {
    const e = env();
    g.setAccessTokenLifetime(240);
    await signIn(e, 'crowd', ['--no-verify']);
    g.setAccessTokenLifetime(3599);
    g.resetCounts();
    const results = await Promise.all(Array.from({ length: 8 }, () => run(['token', 'crowd'], e)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(new Set(results.map((r) => r.stdout)).size).toBe(1);
    expect(g.counts()).toEqual({ 'token:refresh_token': 1 });
  });

  it('revoked ("Token has been expired or revoked.") → exit 3 with the reauth command', async () => {
    const e = env();
    g.setAccessTokenLifetime(240);
    await signIn(e, 'revoked');
    g.revokeRefreshTokens(USER);
    const r = await run(['token', 'revoked'], e);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/invalid_grant: Token has been expired or revoked\./);
    expect(r.stderr).toContain('mailoauth setup --reauth revoked');
  });

  it.each([
    ['503', { endpoint: 'token' as const, grantType: 'refresh_token', status: 503, body: 'Service Unavailable' }, /HTTP 503/],
    ['a hang', { endpoint: 'token' as const, grantType: 'refresh_token', delayMs: 2000 }, /no answer within 400 ms/],
    ['a reset', { endpoint: 'token' as const, grantType: 'refresh_token', reset: true }, /reset|socket|closed/i],
  ])('transient (%s) → bounded retries, exit 4, refresh token unchanged; the next call recovers', async (_, fault, msg) => {
    const e = env({ MAILOAUTH_HTTP_TIMEOUT_MS: '400' });
    g.setAccessTokenLifetime(240);
    await signIn(e, 'flaky');
    const rt = storedOAuth2(e, 'flaky');
    g.resetCounts();
    g.addFault(fault);
    const r = await run(['token', 'flaky'], e);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).toMatch(/refresh token was kept/);
    expect(g.counts()['token:refresh_token']).toBe(3);
    expect(storedOAuth2(e, 'flaky')).toEqual(rt);
    g.clearFaults();
    g.setAccessTokenLifetime(3599);
    const ok = await run(['token', 'flaky'], e);
    expect(ok.code, ok.stderr).toBe(0);
    expect(g.isValidAccessToken(ok.stdout)?.email).toBe(USER);
  });

  it('verify --imap logs in to Dovecot with the Google-style token', async () => {
    const e = env();
    await signIn(e, 'ver', ['--no-verify']);
    const logins = dovecot.loginsFor(USER);
    const r = await run(['verify', 'ver', '--imap'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/INBOX 3 \/ unseen 2/);
    expect(await eventually(() => dovecot.loginsFor(USER), (n) => n >= logins + 1)).toBe(logins + 1);
    expect(imapChecks().at(-1)).toBe(JSON.parse(keychainItem(e, 'ver')).accessToken);
  });

  it.each([['device'], ['paste']])('--flow %s with a Gmail address → exit 2 saying why, before any request', async (flow) => {
    const e = env();
    const r = await run(['setup', '--yes', '--email', USER, '--flow', flow, '--authority', g.origin, '--no-verify'], e);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`--flow ${flow} does not work with Gmail`));
    expect(r.stderr).toMatch(/--flow browser/);
    expect(g.counts()).toEqual({});
  });

  it('the user cancels on Google\'s consent page (access_denied) → exit 3, cause and fix, nothing stored', async () => {
    const e = env();
    g.addFault({ endpoint: 'authorize', redirectError: 'access_denied' });
    const r = await run(setupArgs('denied', ['--no-verify']), e);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/The sign-in was not allowed: you chose Cancel/);
    expect(r.stderr).toContain('mailoauth setup --reauth denied');
    expect(keychainItem(e, 'denied/oauth2')).toBe('');
  });

  it('own client: the secret comes from --client-secret-env into the keychain, the 7-day Testing note is shown, refresh uses it', async () => {
    const envFile = join(w.root, 'browser-env.jsonl');
    const e = env({ MY_GOOGLE_SECRET: OWN.secret, FAKE_BROWSER_ENV_FILE: envFile, SOME_API_TOKEN: 'not-for-browsers' });
    g.setAccessTokenLifetime(240);
    const r = await signIn(e, 'own', ['--client-id', OWN.id, '--client-secret-env', 'MY_GOOGLE_SECRET', '--no-verify']);
    expect(r.stderr).toMatch(/Note: .*"Testing".*7 days/);
    expect(storedOAuth2(e, 'own')).toEqual({ v: 1, refreshToken: g.lastRefreshToken(USER), clientSecret: OWN.secret });
    // The browser ran without the secret (nor anything named like one) in its environment.
    const browserEnvText = readFileSync(envFile, 'utf8');
    expect(browserEnvText).toContain('"FAKE_BROWSER_ENV_FILE"');
    expect(browserEnvText).not.toContain(OWN.secret);
    expect(browserEnvText).not.toContain('SOME_API_TOKEN');
    expect(accountsText(e)).not.toContain(OWN.secret);
    g.setAccessTokenLifetime(3599);
    g.resetCounts();
    const t = await run(['token', 'own'], { ...e, MY_GOOGLE_SECRET: undefined });
    expect(t.code, t.stderr).toBe(0);
    expect(g.counts()).toEqual({ 'token:refresh_token': 1 });
  });

  it('own client with a wrong secret → invalid_client with cause and fix, exit 3', async () => {
    const e = env({ MY_GOOGLE_SECRET: 'not-the-secret' });
    const r = await run(setupArgs('badsecret', ['--client-id', OWN.id, '--client-secret-env', 'MY_GOOGLE_SECRET', '--no-verify']), e);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/Google does not accept the OAuth client .* the client secret is wrong.*invalid_client: Unauthorized/);
    expect(r.stderr).toMatch(/Desktop app/);
  });
  it('doctor --app-help for a Google account: Google Cloud console steps, not Microsoft\'s', async () => {
    const e = env();
    await signIn(e, 'help', ['--no-verify']);
    const r = await run(['doctor', 'help', '--app-help'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Google Cloud console/);
    expect(r.stderr).toMatch(/"Desktop app"/);
    expect(r.stderr).toContain(GMAIL_SCOPE);
    expect(r.stderr).toMatch(/Publishing status .*"In production"/);
    expect(r.stderr).toContain('--email someone@gmail.com');
    expect(r.stderr).not.toMatch(/Entra|Set-CASMailbox|adminconsent/);
  });

  it('another Google account consents (a hijacked or mistaken sign-in) → with --yes refused, exit 3, nothing stored; --expect-user accepts it', async () => {
    const e = env();
    g.setConsentUser('intruder@gmail.com');
    try {
      const r = await run(setupArgs('hijack', ['--no-verify']), e);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/The sign-in was for intruder@gmail\.com, not someone@gmail\.com\. Nothing was stored\./);
      expect(r.stderr).toContain('--expect-user intruder@gmail.com');
      expect(keychainItem(e, 'hijack/oauth2')).toBe('');
      expect(keychainItem(e, 'hijack')).toBe('');
      const ok = await run(setupArgs('hijack', ['--no-verify', '--expect-user', 'intruder@gmail.com']), e);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toMatch(/Signed in as intruder@gmail\.com, as --expect-user said\./);
    } finally {
      g.setConsentUser(undefined);
    }
  });

  // Last: Dovecot delays later logins from the same address after a refusal.
  it('verify, Dovecot and the SMTP server refusing the Google token → exit 6 with Gmail\'s causes and fix, not Set-CASMailbox', async () => {
    const e = env();
    await signIn(e, 'refused', ['--no-verify']);
    const token = JSON.parse(keychainItem(e, 'refused')).accessToken as string;
    w.imapRefuses.add(token);
    smtp.setRejectWith('535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials - gsmtp');
    try {
      const failures = dovecot.authFailuresFor(USER);
      const r = await run(['verify', 'refused'], e);
      expect(r.code, r.stderr).toBe(6);
      expect(r.stdout).toBe('');
      expect(imapChecks().at(-1)).toBe(token);
      expect(await eventually(() => dovecot.authFailuresFor(USER), (n) => n > failures)).toBeGreaterThan(failures);
      expect(r.stderr).toMatch(/^FAIL {2}IMAP login: localhost:\d+ \(TLS\): Gmail refused the token for someone@gmail\.com: the token belongs to another Google account .*\(IMAP itself is always on for personal Gmail accounts\.\)$/m);
      expect(r.stderr).toMatch(/^FAIL {2}SMTP login: localhost:\d+ \(TLS\): Gmail refused the token for someone@gmail\.com/m);
      expect(r.stderr).toMatch(/server said: 535.5\.7\.8 Username and Password not accepted/);
      expect(r.stderr).toMatch(/fix: Sign in again as someone@gmail\.com and allow Gmail access: mailoauth setup --reauth refused$/m);
      expect(r.stderr).not.toMatch(/Set-CASMailbox|Exchange/);
      expect(r.stderr).not.toContain(token);
    } finally {
      smtp.setRejectWith(undefined);
      w.imapRefuses.delete(token);
    }
  });
});
