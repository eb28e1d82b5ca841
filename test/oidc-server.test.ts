/**
 * The oidc-provider fixture itself, against the library's real behaviour: its discovery document,
 * a device sign-in approved at its own pages over HTTP, a browser sign-in with PKCE (over HTTP, and
 * in real headless Chromium), refresh-token rotation with reuse detection, revocation, and a private
 * Dovecot whose oauth2 passdb introspects the library's tokens over HTTPS (XOAUTH2 and OAUTHBEARER).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { Agent, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from './fixtures/dovecot.js';
import { oidcChromium } from './fixtures/oidc-chromium.js';
import { MAIL_SCOPE, startOidcServer, type OidcServer } from './fixtures/oidc-server.js';
import { makeTestCa, type TestCa } from './fixtures/tls.js';
import { skipWithout } from './helpers/tools.js';

const skip = skipWithout('oidc-provider fixture', ['dovecot', 'openssl', 'chromium', 'timeout']);

const ALICE = { login: 'alice', email: 'alice@mail.example' };
const BOB = { login: 'bob', email: 'bob@mail.example' };
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

interface Tokens { access_token: string; refresh_token?: string; id_token?: string; scope: string; expires_in: number; token_type: string }

let dir: string;
let ca: TestCa;
let caPem: Buffer;
let agent: Agent;
let oidc: OidcServer;
let dovecot: DovecotServer;
let discovery: Record<string, unknown>;

function call(method: string, url: string, form?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, timeout: 10_000, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

const endpoint = (name: string) => discovery[name] as string;
const token = (form: Record<string, string>) => call('POST', endpoint('token_endpoint'), { client_id: oidc.clientId, ...form });
const refresh = (rt: string) => token({ grant_type: 'refresh_token', refresh_token: rt });

/** A device sign-in as the app does it, approved by `login` at the server's pages. */
async function deviceSignIn(login: string): Promise<Tokens> {
  const da = await call('POST', endpoint('device_authorization_endpoint'), { client_id: oidc.clientId, scope: oidc.scope });
  expect(da.status).toBe(200);
  await oidc.approveDeviceCode(da.body.user_code as string, login);
  const t = await token({ grant_type: DEVICE_GRANT, device_code: da.body.device_code as string });
  expect(t.status, t.text).toBe(200);
  return t.body as unknown as Tokens;
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(redirectUri: string, challenge: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: oidc.clientId, response_type: 'code', redirect_uri: redirectUri, scope: oidc.scope, state: 'st-1',
    code_challenge: challenge, code_challenge_method: 'S256', prompt: 'consent', ...extra,
  });
  return `${endpoint('authorization_endpoint')}?${q.toString()}`;
}

/** One SASL exchange with Dovecot's implicit-TLS port; resolves to the tagged reply line. */
function imapAuthenticate(mech: 'XOAUTH2' | 'OAUTHBEARER', user: string, bearer: string): Promise<string> {
  const port = dovecot.imapsPort;
  const initial = mech === 'XOAUTH2'
    ? `user=${user}\x01auth=Bearer ${bearer}\x01\x01`
    : `n,a=${user},\x01host=localhost\x01port=${port}\x01auth=Bearer ${bearer}\x01\x01`;
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: caPem });
    let buf = '';
    let sent = false;
    const timer = setTimeout(() => finish(new Error(`IMAP ${mech}: no tagged reply within 10 s; got ${JSON.stringify(buf)}`)), 10_000);
    function finish(r: string | Error) {
      clearTimeout(timer);
      sock.removeAllListeners('data');
      sock.on('error', () => {});
      sock.end();
      if (r instanceof Error) reject(r);
      else resolve(r);
    }
    sock.on('error', (e) => finish(e));
    sock.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      for (let nl = buf.indexOf('\r\n'); nl >= 0; nl = buf.indexOf('\r\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (!sent && line.startsWith('* OK')) {
          sent = true;
          sock.write(`a AUTHENTICATE ${mech} ${Buffer.from(initial).toString('base64')}\r\n`);
        } else if (line.startsWith('+')) {
          // The server's error challenge (RFC 7628 §3.2.2): answer with the dummy response to get the NO.
          sock.write(mech === 'OAUTHBEARER' ? 'AQ==\r\n' : '\r\n');
        } else if (line.startsWith('a ')) {
          finish(line);
        }
      }
    });
  });
}

/** A loopback listener like an app's: remembers the query of each request to `/`, answers a small page. */
async function loopbackListener(): Promise<{ server: Server; uri: string; hits: URLSearchParams[] }> {
  const hits: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/') {
      res.writeHead(404).end(); // Chromium also asks for /favicon.ico
      return;
    }
    hits.push(url.searchParams);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Signed in</title><h1>Signed in</h1>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}
async function dovecotLogged(re: RegExp, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!re.test(dovecot.log()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return re.test(dovecot.log());
}
const closeServer = (s: Server) => new Promise<void>((r) => {
  s.closeAllConnections();
  s.close(() => r());
});

describe.skipIf(skip)('oidc-provider fixture: a real OpenID Provider and a Dovecot that introspects its tokens', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mailoauth-oidc-'));
    ca = await makeTestCa(join(dir, 'tls'));
    caPem = await readFile(ca.caFile);
    agent = new Agent({ ca: caPem, keepAlive: false });
    oidc = await startOidcServer({ tls: ca, users: [ALICE, BOB] });
    discovery = (await call('GET', oidc.discoveryUrl)).body;
    dovecot = await startDovecot({
      introspectUrl: oidc.dovecotIntrospectUrl, introspectCaFile: ca.caFile, usernameAttribute: 'email',
      tls: ca, users: [ALICE.email, BOB.email], mechanisms: ['xoauth2', 'oauthbearer'],
    });
  });
  afterAll(async () => {
    await dovecot?.stop();
    await oidc?.stop();
    agent?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('discovery: the OpenID document names every endpoint a mail app needs; RFC 8414 metadata only under the issuer path', async () => {
    expect(discovery).toMatchObject({
      issuer: oidc.issuer,
      authorization_endpoint: `${oidc.issuer}/auth`,
      token_endpoint: `${oidc.issuer}/token`,
      device_authorization_endpoint: `${oidc.issuer}/device/auth`,
      revocation_endpoint: `${oidc.issuer}/token/revocation`,
      introspection_endpoint: `${oidc.issuer}/token/introspection`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(discovery.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', DEVICE_GRANT]));
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'offline_access', MAIL_SCOPE]));
    // The same document at the RFC 8414 location of an issuer without a path (served since oidc-provider 9.10).
    const asMeta = await call('GET', `${oidc.origin}/.well-known/oauth-authorization-server`);
    expect(asMeta.body).toEqual(discovery);

    // A Keycloak-style issuer with a path: OpenID discovery appends to the issuer; RFC 8414 §3.1 would
    // insert the well-known prefix before the path — the library does not serve that location.
    const realm = await startOidcServer({ tls: ca, users: [ALICE], issuerPath: '/realms/mail' });
    try {
      expect(realm.issuer).toBe(`${realm.origin}/realms/mail`);
      const doc = await call('GET', `${realm.issuer}/.well-known/openid-configuration`);
      expect(doc.body).toMatchObject({ issuer: realm.issuer, token_endpoint: `${realm.issuer}/token`, device_authorization_endpoint: `${realm.issuer}/device/auth` });
      expect((await call('GET', `${realm.origin}/.well-known/oauth-authorization-server/realms/mail`)).status).toBe(404);
      expect((await call('GET', `${realm.issuer}/.well-known/oauth-authorization-server`)).body).toMatchObject({ issuer: realm.issuer });
    } finally {
      await realm.stop();
    }
  });

  it('device flow: pending until a person approves at the library\'s pages over HTTP; then access + refresh token for that user', async () => {
    oidc.resetCounts();
    const da = await call('POST', endpoint('device_authorization_endpoint'), { client_id: oidc.clientId, scope: oidc.scope });
    expect(da.status).toBe(200);
    expect(da.body).toMatchObject({ verification_uri: `${oidc.issuer}/device`, expires_in: 600 });
    expect(da.body.user_code).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    expect(da.body).not.toHaveProperty('interval'); // RFC 8628 §3.2: the client must then wait 5 s
    const poll = () => token({ grant_type: DEVICE_GRANT, device_code: da.body.device_code as string });

    const pending = await poll();
    expect(pending.status).toBe(400);
    expect(pending.body.error).toBe('authorization_pending');

    const approval = await oidc.approveDeviceCode(da.body.user_code as string, ALICE.login);
    // The pages a person sees: code entry, confirmation, login, consent, success.
    expect(approval.pages).toEqual(['Sign-in', 'Device Login Confirmation', 'Sign-in', 'Sign-in', 'Sign-in Success']);

    const t = await poll();
    expect(t.status, t.text).toBe(200);
    const tokens = t.body as unknown as Tokens;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: oidc.scope });
    expect(tokens.refresh_token).toBeTruthy();
    expect(await oidc.introspect(tokens.access_token)).toMatchObject({ active: true, sub: ALICE.login, email: ALICE.email, client_id: oidc.clientId });
    // The device code is spent.
    expect((await poll()).body.error).toBe('invalid_grant');
    expect(oidc.counts()).toMatchObject({ device_authorization: 1, 'token:device_code': 3 });
    expect(oidc.requests().filter((r) => r.route === 'token').map((r) => r.error ?? r.status)).toEqual(['authorization_pending', 200, 'invalid_grant']);
  });

  it('device flow: the person presses Abort on the confirmation page → access_denied for the app', async () => {
    const da = await call('POST', endpoint('device_authorization_endpoint'), { client_id: oidc.clientId, scope: oidc.scope });
    await oidc.approveDeviceCode(da.body.user_code as string, BOB.login, { deny: true });
    const t = await token({ grant_type: DEVICE_GRANT, device_code: da.body.device_code as string });
    expect(t.body.error).toBe('access_denied');
    // A code nobody issued is refused on the verification page.
    await expect(oidc.approveDeviceCode('BBBB-CCCC', BOB.login)).rejects.toThrow(/code you entered is incorrect/);
  });

  it('browser flow over HTTP: login + consent → the loopback URI on any port gets code, state and iss; PKCE S256 checked', async () => {
    const listener = await loopbackListener();
    try {
      const { verifier, challenge } = pkce();
      const signIn = await oidc.signInBrowser(authorizeUrl(listener.uri, challenge), ALICE.login, { deliver: true });
      expect(signIn.pages).toEqual(['Sign-in', 'Sign-in']); // login, then consent (both titled Sign-in by the library)
      expect(signIn.delivered?.status).toBe(200);
      const back = listener.hits[0]!;
      expect(signIn.redirect.startsWith(`${listener.uri}/?`) || signIn.redirect.startsWith(`${listener.uri}?`)).toBe(true);
      expect(back.get('state')).toBe('st-1');
      expect(back.get('iss')).toBe(oidc.issuer);
      const code = back.get('code')!;

      // PKCE: a wrong verifier is refused (the code survives it); the right one redeems the code, once.
      const redeem = (v: string) => token({ grant_type: 'authorization_code', code, redirect_uri: listener.uri, code_verifier: v });
      expect((await redeem(pkce().verifier)).body).toMatchObject({ error: 'invalid_grant' });
      const ok = await redeem(verifier);
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body).toMatchObject({ scope: oidc.scope, token_type: 'Bearer' });
      expect(ok.body.refresh_token).toBeTruthy();
      expect(await oidc.introspect(ok.body.access_token as string)).toMatchObject({ active: true, sub: ALICE.login, email: ALICE.email });
      // A code presented twice: refused, and the grant it made is revoked (RFC 6749 §4.1.2 "SHOULD").
      expect((await redeem(verifier)).body.error).toBe('invalid_grant');
      expect(await oidc.introspect(ok.body.access_token as string)).toEqual({ active: false });
    } finally {
      await closeServer(listener.server);
    }
  });

  it('browser flow: no refresh token without prompt=consent; no PKCE, an unregistered redirect or an unknown login is refused', async () => {
    const { verifier, challenge } = pkce();
    const uri = 'http://localhost:47001';
    const noConsent = await oidc.signInBrowser(authorizeUrl(uri, challenge, { prompt: 'login' }), ALICE.login);
    const t = await token({ grant_type: 'authorization_code', code: new URL(noConsent.redirect).searchParams.get('code')!, redirect_uri: uri, code_verifier: verifier });
    expect(t.status, t.text).toBe(200);
    expect(t.body.refresh_token).toBeUndefined();
    expect(t.body.scope).toBe(`openid email ${MAIL_SCOPE}`);

    // Without a code_challenge the library sends the browser back with invalid_request.
    const url = new URL(authorizeUrl('http://127.0.0.1:47002', challenge));
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const noPkce = await oidc.signInBrowser(url.href, ALICE.login);
    expect(new URL(noPkce.redirect).searchParams.get('error')).toBe('invalid_request');
    // A redirect that is not a registered loopback form ends on the library's own error page.
    await expect(oidc.signInBrowser(authorizeUrl('http://app.example:47003/', challenge), ALICE.login)).rejects.toThrow(/invalid_redirect_uri/);
    await expect(oidc.signInBrowser(authorizeUrl('http://127.0.0.1:47004/cb', challenge), ALICE.login)).rejects.toThrow(/invalid_redirect_uri/);
    // A login that is no account: the development login page takes it, the library then fails the request.
    await expect(oidc.signInBrowser(authorizeUrl('http://127.0.0.1:47005', challenge), 'mallory')).rejects.toThrow(/server_error/);
  });

  it('refresh: every refresh rotates the refresh token; presenting a rotated one revokes the whole grant', async () => {
    oidc.resetCounts();
    const first = await deviceSignIn(ALICE.login);
    const r1 = await refresh(first.refresh_token!);
    expect(r1.status, r1.text).toBe(200);
    const rt2 = r1.body.refresh_token as string;
    expect(rt2).toBeTruthy();
    expect(rt2).not.toBe(first.refresh_token);
    expect(await oidc.introspect(r1.body.access_token as string)).toMatchObject({ active: true, email: ALICE.email });

    const reuse = await refresh(first.refresh_token!);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    // Reuse detection: the newest refresh token and the access tokens of the grant die with it.
    expect((await refresh(rt2)).body.error).toBe('invalid_grant');
    expect(await oidc.introspect(r1.body.access_token as string)).toEqual({ active: false });
    expect(oidc.counts()['token:refresh_token']).toBe(3);
  });

  it('revocation at the server: refresh answers invalid_grant, the access token is inactive', async () => {
    const t = await deviceSignIn(BOB.login);
    expect(await oidc.revokeGrants(BOB.login)).toBeGreaterThanOrEqual(1);
    const r = await refresh(t.refresh_token!);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_grant');
    expect(await oidc.introspect(t.access_token)).toEqual({ active: false });
  });

  it('Dovecot introspects the library\'s tokens over HTTPS: a fresh token logs in over XOAUTH2 and OAUTHBEARER; another user, a revoked or an expired token is refused', async () => {
    const t = await deviceSignIn(ALICE.login);
    const before = dovecot.loginsFor(ALICE.email);
    expect(await imapAuthenticate('XOAUTH2', ALICE.email, t.access_token)).toMatch(/^a OK .*Logged in/);
    expect(await imapAuthenticate('OAUTHBEARER', ALICE.email, t.access_token)).toMatch(/^a OK .*Logged in/);
    expect(dovecot.loginsFor(ALICE.email)).toBe(before + 2);
    // The token names alice's mailbox (introspection `email`): it does not open bob's.
    expect(await imapAuthenticate('XOAUTH2', BOB.email, t.access_token)).toMatch(/^a NO \[AUTHENTICATIONFAILED\]/);

    // Revoked at the server: Dovecot's next introspection says inactive.
    const bob = await deviceSignIn(BOB.login);
    expect(await imapAuthenticate('OAUTHBEARER', BOB.email, bob.access_token)).toMatch(/^a OK/);
    await oidc.revokeGrants(BOB.login);
    expect(await imapAuthenticate('OAUTHBEARER', BOB.email, bob.access_token)).toMatch(/^a NO \[AUTHENTICATIONFAILED\]/);

    // Expired: a 1-second token, once the library itself calls it inactive.
    oidc.setAccessTokenLifetime(1);
    let short: string;
    try {
      short = ((await refresh(t.refresh_token!)).body.access_token as string);
    } finally {
      oidc.setAccessTokenLifetime(600);
    }
    const until = Date.now() + 10_000;
    while ((await oidc.introspect(short)).active === true && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(await oidc.introspect(short)).toEqual({ active: false });
    expect(await imapAuthenticate('XOAUTH2', ALICE.email, short)).toMatch(/^a NO \[AUTHENTICATIONFAILED\]/);
    // Why, in Dovecot's words (its log is written asynchronously: wait for the lines, bounded).
    expect(await dovecotLogged(/oauth2\(bob@mail\.example,.*Username 'bob@mail\.example' did not match 'alice@mail\.example'/)).toBe(true);
    expect(await dovecotLogged(/oauth2\(alice@mail\.example,.*Introspection failed: Provided token is not valid/)).toBe(true);
  });

  it('headless Chromium signs in at the library\'s login and consent pages and is sent back to the loopback listener', async () => {
    const listener = await loopbackListener();
    try {
      const { verifier, challenge } = pkce();
      const chrome = oidcChromium({ dir, certFile: ca.certFile, login: ALICE.login });
      const run = await chrome.open(authorizeUrl(listener.uri, challenge));
      expect(run.code, `${run.stderr}\n${JSON.stringify(run.result)}`).toBe(0);
      expect(run.result).toMatchObject({ ok: true, title: 'Signed in', pages: ['Sign-in', 'Sign-in'] });
      console.log(`oidc-chromium: launch ${run.result?.timings.launchMs} ms, sign-in ${run.result?.timings.signInMs} ms`);
      expect(listener.hits).toHaveLength(1);
      const back = listener.hits[0]!;
      expect(back.get('iss')).toBe(oidc.issuer);
      const t = await token({ grant_type: 'authorization_code', code: back.get('code')!, redirect_uri: listener.uri, code_verifier: verifier });
      expect(t.status, t.text).toBe(200);
      expect(await oidc.introspect(t.body.access_token as string)).toMatchObject({ active: true, sub: ALICE.login, email: ALICE.email });
      expect(await imapAuthenticate('XOAUTH2', ALICE.email, t.body.access_token as string)).toMatch(/^a OK/);
    } finally {
      await closeServer(listener.server);
    }
  }, 90_000);
});
