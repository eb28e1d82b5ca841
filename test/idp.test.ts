import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPN, startIdp, type Idp } from './fixtures/idp.js';
import { makeTestCa, type TestCa } from './fixtures/tls.js';

const CLIENT_ID = '9e5f94bc-e8a4-4e73-b8be-63364c29d753';
const SCOPES = ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access'];
const OTHER_UPN = 'other@contoso.example';

interface Res { status: number; headers: Record<string, string | string[] | undefined>; text: string }

let dir: string;
let ca: TestCa;
let agent: Agent;
let idp: Idp;

/** One request, trusting the test CA (this process started without NODE_EXTRA_CA_CERTS). */
function call(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}): Promise<Res> {
  const u = new URL(url);
  const body = init.form ? new URLSearchParams(init.form).toString() : init.json !== undefined ? JSON.stringify(init.json) : undefined;
  const headers: Record<string, string> = {};
  if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const method = init.method ?? (body !== undefined ? 'POST' : 'GET');
  return new Promise((resolve, reject) => {
    const opts = { method, headers, timeout: 10_000 };
    const req = u.protocol === 'https:' ? httpsRequest(u, { ...opts, agent }) : httpRequest(u, opts);
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.end(body);
  });
}

const parse = (r: Res) => JSON.parse(r.text) as Record<string, unknown>;
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
const tokenUrl = (tenant = 'organizations') => `${idp.authority(tenant)}/oauth2/v2.0/token`;
const token = (form: Record<string, string>) => call(tokenUrl(), { form: { client_id: CLIENT_ID, ...form } });

async function deviceCodeLogin(upn?: string): Promise<Record<string, unknown>> {
  const dc = parse(await call(`${idp.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: SCOPES.join(' ') } }));
  idp.approveDeviceCode(String(dc.user_code), upn);
  const r = await token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: String(dc.device_code) });
  expect(r.status).toBe(200);
  return parse(r);
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(q: Record<string, string>): string {
  return `${idp.authority()}/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: CLIENT_ID, response_type: 'code', redirect_uri: 'http://127.0.0.1:53682/', scope: SCOPES.join(' '),
    state: 'st4te', code_challenge_method: 'S256', ...q,
  }).toString()}`;
}

function expectAadsts(r: Res, status: number, error: string, code: number) {
  expect(r.status).toBe(status);
  const b = parse(r);
  expect(b.error).toBe(error);
  expect(b.error_codes).toEqual([code]);
  expect(String(b.error_description)).toMatch(
    new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`));
  expect(b.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(b.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(b.timestamp).toEqual(expect.any(String));
  expect(b.error_uri).toBe(`${idp.origin}/error?code=${code}`);
  return b;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mailoauth-idp-'));
  ca = await makeTestCa(join(dir, 'tls'));
  agent = new Agent({ ca: await readFile(ca.caFile), keepAlive: false });
  idp = await startIdp({ tls: ca, users: [{ upn: DEFAULT_UPN, name: 'Test User' }, { upn: OTHER_UPN }] });
  idp.registerApp('another-client', { redirectUris: [] });
});

afterAll(async () => {
  await idp?.stop();
  agent?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  idp.clearFaults();
  idp.setAccessTokenLifetime(3600);
});

describe('test CA', () => {
  it('makes a server certificate for 127.0.0.1 and localhost signed by the CA', async () => {
    const { X509Certificate } = await import('node:crypto');
    const caCert = new X509Certificate(await readFile(ca.caFile));
    const cert = new X509Certificate(await readFile(ca.certFile));
    expect(caCert.subject).toContain('CN=mailoauth test CA');
    expect(caCert.ca).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
  });
});

describe('discovery', () => {
  it('serves an OpenID configuration shaped like Microsoft’s', async () => {
    expect(idp.tenantId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(idp.host).toBe(new URL(idp.origin).host);
    expect(idp.authority()).toBe(`${idp.origin}/organizations`);
    const r = await call(`${idp.authority()}/v2.0/.well-known/openid-configuration`);
    expect(r.status).toBe(200);
    const c = parse(r);
    expect(c).toMatchObject({
      issuer: `${idp.origin}/${idp.tenantId}/v2.0`,
      authorization_endpoint: `${idp.origin}/organizations/oauth2/v2.0/authorize`,
      token_endpoint: `${idp.origin}/organizations/oauth2/v2.0/token`,
      device_authorization_endpoint: `${idp.origin}/organizations/oauth2/v2.0/devicecode`,
      jwks_uri: `${idp.origin}/organizations/discovery/v2.0/keys`,
      end_session_endpoint: `${idp.origin}/organizations/oauth2/v2.0/logout`,
      tenant_region_scope: 'WW',
      cloud_instance_name: 'microsoftonline.com',
      msgraph_host: 'graph.microsoft.com',
    });
    expect(c.response_modes_supported).toEqual(expect.arrayContaining(['query', 'form_post']));
    // A domain or GUID resolves to the tenant's GUID, as the wizard's tenant lookup expects.
    const d = parse(await call(`${idp.authority('contoso.example')}/v2.0/.well-known/openid-configuration`));
    expect(d.token_endpoint).toBe(`${idp.origin}/${idp.tenantId}/oauth2/v2.0/token`);
    const keys = parse(await call(String(c.jwks_uri)));
    expect(keys).toEqual({ keys: [] });
  });

  it('answers instance discovery', async () => {
    const r = parse(await call(`${idp.origin}/common/discovery/instance?api-version=1.1`));
    expect(r.tenant_discovery_endpoint).toBe(`${idp.origin}/{tenant}/v2.0/.well-known/openid-configuration`);
    expect(r.metadata).toEqual([{ preferred_network: idp.host, preferred_cache: idp.host, aliases: [idp.host] }]);
  });
});

describe('device code grant', () => {
  it('is pending until approved, then issues tokens once', async () => {
    const r = await call(`${idp.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: SCOPES.join(' ') } });
    expect(r.status).toBe(200);
    const dc = parse(r);
    expect(dc.user_code).toMatch(/^[A-Z0-9]{8,9}$/);
    expect(dc).toMatchObject({ verification_uri: `${idp.origin}/devicelogin`, expires_in: 900, interval: 0 });
    expect(dc.message).toBe(`To sign in, use a web browser to open the page ${idp.origin}/devicelogin and enter the code ${String(dc.user_code)} to authenticate.`);
    await expect(idp.waitForDeviceCode(1000)).resolves.toEqual({ userCode: dc.user_code, deviceCode: dc.device_code });

    const poll = () => token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: String(dc.device_code), scope: ['openid', 'profile', ...SCOPES].join(' ') });
    expectAadsts(await poll(), 400, 'authorization_pending', 70016);
    idp.approveDeviceCode();
    const ok = await poll();
    expect(ok.status).toBe(200);
    const t = parse(ok);
    expect(t).toMatchObject({
      token_type: 'Bearer',
      scope: 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send',
      expires_in: 3600,
      ext_expires_in: 3600,
    });
    const at = claims(String(t.access_token));
    expect(at).toMatchObject({
      aud: 'https://outlook.office.com', scp: 'IMAP.AccessAsUser.All SMTP.Send', upn: DEFAULT_UPN,
      unique_name: DEFAULT_UPN, tid: idp.tenantId, appid: CLIENT_ID,
    });
    expect(Number(at.exp) - Number(at.iat)).toBe(3600);
    expect(JSON.parse(Buffer.from(String(t.access_token).split('.')[0] ?? '', 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'HS256' });
    const id = claims(String(t.id_token));
    expect(id).toMatchObject({ aud: CLIENT_ID, tid: idp.tenantId, oid: at.oid, preferred_username: DEFAULT_UPN, name: 'Test User', ver: '2.0',
      iss: `${idp.origin}/${idp.tenantId}/v2.0` });
    expect(JSON.parse(Buffer.from(String(t.client_info), 'base64url').toString())).toEqual({ uid: at.oid, utid: idp.tenantId });
    expect(idp.isValidAccessToken(String(t.access_token))?.upn).toBe(DEFAULT_UPN);
    expect(idp.lastRefreshToken(DEFAULT_UPN)).toBe(t.refresh_token);

    expectAadsts(await poll(), 400, 'bad_verification_code', 70000); // single use
  });

  it('reports a denial with the given AADSTS error, and expired codes', async () => {
    const dc = parse(await call(`${idp.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: SCOPES.join(' ') } }));
    idp.denyDeviceCode(String(dc.user_code), { error: 'invalid_grant', code: 53003, description: 'Access has been blocked by Conditional Access policies.' });
    const b = expectAadsts(await token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: String(dc.device_code) }),
      400, 'invalid_grant', 53003);
    expect(String(b.error_description)).toContain('Conditional Access');

    const short = await startIdp({ tls: ca, deviceCodeLifetimeSec: 0 });
    try {
      const e = parse(await call(`${short.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: 'openid' } }));
      const r = await call(`${short.authority()}/oauth2/v2.0/token`, { form: { client_id: CLIENT_ID,
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: String(e.device_code) } });
      expect(r.status).toBe(400);
      expect(parse(r).error).toBe('expired_token');
    } finally {
      await short.stop();
    }
  });

  it('can be approved on the /devicelogin page, for a named user', async () => {
    const form = await call(`${idp.origin}/devicelogin`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('<form');
    const dc = parse(await call(`${idp.authority('common')}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: SCOPES.join(' ') } }));
    const userCode = String(dc.user_code);
    expect((await call(`${idp.origin}/devicelogin`, { form: { code: 'NOPE', user: OTHER_UPN } })).status).toBe(400);
    const ok = await call(`${idp.origin}/devicelogin`, { form: { code: userCode.toLowerCase(), user: OTHER_UPN } });
    expect(ok.status).toBe(200);
    const r = parse(await token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: String(dc.device_code) }));
    expect(claims(String(r.access_token)).upn).toBe(OTHER_UPN);
  });

  it('waitForDeviceCode is bounded', async () => {
    const t0 = Date.now();
    await expect(idp.waitForDeviceCode(100)).rejects.toThrow(/no device code/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('authorization code grant with PKCE', () => {
  it('redirects with a code that redeems once with the right verifier', async () => {
    const { verifier, challenge } = pkce();
    const r = await call(authorizeUrl({ code_challenge: challenge, login_hint: OTHER_UPN }));
    expect(r.status).toBe(302);
    const loc = new URL(String(r.headers.location));
    expect(`${loc.origin}${loc.pathname}`).toBe('http://127.0.0.1:53682/');
    expect(loc.searchParams.get('state')).toBe('st4te');
    const code = loc.searchParams.get('code') ?? '';
    expect(JSON.parse(Buffer.from(loc.searchParams.get('client_info') ?? '', 'base64url').toString()).utid).toBe(idp.tenantId);
    const redeem = (v: string, redirect = 'http://127.0.0.1:53682/') =>
      token({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: v, scope: SCOPES.join(' ') });
    expectAadsts(await redeem(pkce().verifier), 400, 'invalid_grant', 501481);
    expectAadsts(await redeem(verifier, 'http://127.0.0.1:53683/'), 400, 'invalid_grant', 500112);
    const ok = await redeem(verifier);
    expect(ok.status).toBe(200);
    expect(claims(String(parse(ok).access_token)).upn).toBe(OTHER_UPN);
    expectAadsts(await redeem(verifier), 400, 'invalid_grant', 54005);
  });

  it('rejects a wrong verifier', async () => {
    const { challenge } = pkce();
    const r = await call(authorizeUrl({ code_challenge: challenge }));
    const code = new URL(String(r.headers.location)).searchParams.get('code') ?? '';
    const bad = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:53682/', code_verifier: 'x'.repeat(43) });
    expectAadsts(bad, 400, 'invalid_grant', 501481);
  });

  it('requires S256, supports form_post, and redirects AADSTS faults', async () => {
    const noPkce = new URL(String((await call(authorizeUrl({}))).headers.location));
    expect(noPkce.searchParams.get('error')).toBe('invalid_request');
    expect(noPkce.searchParams.get('state')).toBe('st4te');
    const plain = new URL(String((await call(authorizeUrl({ code_challenge: 'abc', code_challenge_method: 'plain' }))).headers.location));
    expect(plain.searchParams.get('error')).toBe('invalid_request');

    const post = await call(authorizeUrl({ code_challenge: pkce().challenge, response_mode: 'form_post' }));
    expect(post.status).toBe(200);
    expect(post.text).toMatch(/<form method="POST"[^>]*action="http:\/\/127\.0\.0\.1:53682\/"/);
    expect(post.text).toMatch(/name="code" value="[^"]+"/);
    expect(post.text).toContain('name="state" value="st4te"');

    // Refusals stay on the platform's page; only a user's "no" (access_denied) goes back to the app.
    idp.addFault({ endpoint: 'authorize', times: 1, aadsts: { error: 'invalid_grant', code: 53003, description: 'Access has been blocked by Conditional Access policies.' } });
    const blocked = await call(authorizeUrl({ code_challenge: pkce().challenge }));
    expect(blocked.status).toBe(400);
    expect(blocked.headers.location).toBeUndefined();
    expect(blocked.text).toMatch(/AADSTS53003: Access has been blocked/);
    idp.addFault({ endpoint: 'authorize', times: 1, aadsts: { error: 'access_denied', code: 65004, description: 'User declined to consent to access the app.' } });
    const err = new URL(String((await call(authorizeUrl({ code_challenge: pkce().challenge }))).headers.location));
    expect(err.searchParams.get('error')).toBe('access_denied');
    expect(err.searchParams.get('error_description')).toMatch(/^AADSTS65004: User declined/);
    expect(err.searchParams.get('code')).toBeNull();
  });

  it("registered redirects only: Thunderbird's app has https://localhost and http://127.0.0.1 (any port), no http://localhost; a mismatch is the platform's page", async () => {
    const challenge = pkce().challenge;
    const at = async (redirect: string) => call(authorizeUrl({ code_challenge: challenge, redirect_uri: redirect }));
    for (const ok of ['http://127.0.0.1:1234', 'http://127.0.0.1:61000/', 'https://localhost', 'https://localhost/']) {
      const r = await at(ok);
      expect(r.status, ok).toBe(302);
      expect(String(r.headers.location)).toMatch(new RegExp(`^${ok.replace(/\/$/, '').replace(/[.:/]/g, (c) => `\\${c}`)}/?\\?`));
    }
    for (const bad of ['http://localhost:7598/', 'http://localhost', 'http://[::1]:1234', 'https://localhost:8443', 'http://127.0.0.1:1234/cb', 'https://evil.example']) {
      const r = await at(bad);
      expect(r.status, bad).toBe(400);
      expect(r.headers.location, bad).toBeUndefined();
      expect(r.text).toContain("Sorry, but we\u2019re having trouble signing you in.");
      expect(r.text).toMatch(/AADSTS50011: The redirect URI &#39;.*&#39; specified in the request does not match the redirect URIs configured for the application &#39;9e5f94bc-e8a4-4e73-b8be-63364c29d753&#39;/);
    }
  });

  it("an app the platform does not know: AADSTS700016 on the page (authorize), as JSON elsewhere; Thunderbird's app is unknown in a national cloud", async () => {
    const stranger = '11111111-2222-3333-4444-555555555555';
    const page = await call(authorizeUrl({ code_challenge: pkce().challenge, client_id: stranger }));
    expect(page.status).toBe(400);
    expect(page.headers.location).toBeUndefined();
    expect(page.text).toMatch(/AADSTS700016: Application with identifier &#39;11111111-2222-3333-4444-555555555555&#39; was not found/);
    expectAadsts(await call(`${idp.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: stranger, scope: SCOPES.join(' ') } }), 400, 'unauthorized_client', 700016);
    const gov = await startIdp({ tls: ca, cloud: 'usgov' });
    try {
      const r = await call(`${gov.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: SCOPES.join(' ') } });
      expect(r.status).toBe(400);
      expect(parse(r)).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
      gov.registerApp(stranger, { redirectUris: ['http://127.0.0.1'] });
      expect((await call(`${gov.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: stranger, scope: SCOPES.join(' ') } })).status).toBe(200);
      expect(parse(await call(`${gov.authority()}/v2.0/.well-known/openid-configuration`))).toMatchObject({ cloud_instance_name: 'microsoftonline.us' });
    } finally {
      await gov.stop();
    }
  });
});

describe('strict where Microsoft is strict', () => {
  it('a domain that is no tenant: 400 invalid_tenant AADSTS90002; verified domains (its users\' domains, setDomain) answer', async () => {
    const doc = (name: string) => call(`${idp.origin}/${name}/v2.0/.well-known/openid-configuration`);
    const none = expectAadsts(await doc('nobody-here.example'), 400, 'invalid_tenant', 90002);
    expect(String(none.error_description)).toMatch(/^AADSTS90002: Tenant 'nobody-here\.example' not found/);
    expect(parse(await doc('contoso.example'))).toMatchObject({ issuer: `${idp.origin}/${idp.tenantId}/v2.0`, cloud_instance_name: 'microsoftonline.com' });
    expect((await doc(idp.tenantId)).status).toBe(200);
    // Outlook.com's domains are nobody's tenant here (Microsoft's answer for them is undocumented: the stricter one).
    expectAadsts(await doc('hotmail.com'), 400, 'invalid_tenant', 90002);
    expect(parse(await doc('consumers')).issuer).toBe(`${idp.origin}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`);
  });

  it('token replies name resource scopes with their prefix, plus those consented earlier; never openid/profile/offline_access', async () => {
    idp.addConsent(OTHER_UPN, CLIENT_ID, ['https://outlook.office.com/EWS.AccessAsUser.All']);
    const t = await deviceCodeLogin(OTHER_UPN);
    expect(String(t.scope).split(' ').sort()).toEqual(['https://outlook.office.com/EWS.AccessAsUser.All', 'https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send']);
    expect(String(t.scope)).not.toMatch(/openid|profile|offline_access/);
    expect(claims(String(t.access_token)).scp).toMatch(/EWS\.AccessAsUser\.All/);
    // id_token only when openid was asked for (deviceCodeLogin does not).
    expect(t.id_token).toBeUndefined();
  });

  it('personal accounts (consumers): opaque access tokens, the consumer tenant, preferred_username = the sign-in name even when an alias was typed', async () => {
    idp.addUser({ upn: 'live.person@example.org', aliases: ['person@outlook.com'] });
    const dc = parse(await call(`${idp.authority('consumers')}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: ['openid', 'profile', ...SCOPES].join(' ') } }));
    idp.approveDeviceCode(String(dc.user_code), 'person@outlook.com');
    const r = parse(await call(`${idp.authority('consumers')}/oauth2/v2.0/token`, { form: { client_id: CLIENT_ID, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: String(dc.device_code) } }));
    expect(String(r.access_token)).toMatch(/^EwA/);
    expect(String(r.access_token).split('.')).toHaveLength(1);
    expect(claims(String(r.id_token))).toMatchObject({ preferred_username: 'live.person@example.org', tid: '9188040d-6c67-4c5b-b112-36a304b66dad' });
    expect(parse(await call(idp.introspectUrl, { form: { token: String(r.access_token) } }))).toMatchObject({ active: true, username: 'live.person@example.org' });
  });
});

describe('refresh token grant', () => {
  it('rotates the refresh token and keeps the old one valid', async () => {
    const first = await deviceCodeLogin();
    const rt1 = String(first.refresh_token);
    const second = parse(await token({ grant_type: 'refresh_token', refresh_token: rt1, scope: SCOPES.join(' ') }));
    const rt2 = String(second.refresh_token);
    expect(rt2).not.toBe(rt1);
    expect(second.access_token).not.toBe(first.access_token);
    expect(idp.lastRefreshToken(DEFAULT_UPN)).toBe(rt2);
    expect(idp.lastRefreshToken()).toBe(rt2);
    const again = await token({ grant_type: 'refresh_token', refresh_token: rt1 });
    expect(again.status).toBe(200);
    expect(claims(String(parse(again).access_token)).scp).toBe('IMAP.AccessAsUser.All SMTP.Send');
  });

  it('answers unknown, foreign-client and revoked refresh tokens with invalid_grant', async () => {
    const unknown = expectAadsts(await token({ grant_type: 'refresh_token', refresh_token: 'not-a-token' }), 400, 'invalid_grant', 9002313);
    expect(unknown.suberror).toBe('bad_token');
    const mine = await deviceCodeLogin();
    const other = await deviceCodeLogin(OTHER_UPN);
    const foreign = await call(tokenUrl(), { form: { client_id: 'another-client', grant_type: 'refresh_token', refresh_token: String(mine.refresh_token) } });
    expect(parse(foreign).error).toBe('invalid_grant');

    idp.revokeRefreshTokens(DEFAULT_UPN);
    const revoked = expectAadsts(await token({ grant_type: 'refresh_token', refresh_token: String(mine.refresh_token) }), 400, 'invalid_grant', 50173);
    expect(revoked.suberror).toBe('bad_token');
    expect(String(revoked.error_description)).toContain('revoked');
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(other.refresh_token) })).status).toBe(200);

    idp.revokeRefreshTokens(undefined, 700082);
    expectAadsts(await token({ grant_type: 'refresh_token', refresh_token: String(other.refresh_token) }), 400, 'invalid_grant', 700082);
    // Signing in again yields a working refresh token.
    const fresh = await deviceCodeLogin();
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(fresh.refresh_token) })).status).toBe(200);
  });

  it('reports missing parameters and unsupported grants like Azure AD', async () => {
    expectAadsts(await call(tokenUrl(), { form: { grant_type: 'refresh_token', refresh_token: 'x' } }), 400, 'invalid_request', 900144);
    expectAadsts(await token({ grant_type: 'password' }), 400, 'unsupported_grant_type', 70003);
  });
});

describe('faults', () => {
  it('answers 503 a given number of times, then normally; and until cleared', async () => {
    const url = `${idp.authority()}/v2.0/.well-known/openid-configuration`;
    idp.addFault({ endpoint: 'openid', times: 2, status: 503, body: '<html>Service Unavailable</html>', headers: { 'Retry-After': '1' } });
    const a = await call(url);
    expect(a.status).toBe(503);
    expect(a.headers['retry-after']).toBe('1');
    expect(a.headers['content-type']).toMatch(/text\/html/);
    expect((await call(url)).status).toBe(503);
    expect((await call(url)).status).toBe(200);

    idp.addFault({ endpoint: 'token', grantType: 'refresh_token', status: 500, body: '{"error":' });
    const rt = String((await deviceCodeLogin()).refresh_token); // device_code grant is not matched
    const bad = await token({ grant_type: 'refresh_token', refresh_token: rt });
    expect(bad.status).toBe(500);
    expect(bad.text).toBe('{"error":');
    expect((await token({ grant_type: 'refresh_token', refresh_token: rt })).status).toBe(500);
    idp.clearFaults();
    expect((await token({ grant_type: 'refresh_token', refresh_token: rt })).status).toBe(200);
  });

  it('answers with an AADSTS error', async () => {
    idp.addFault({ endpoint: 'devicecode', times: 1, aadsts: { error: 'invalid_client', code: 7000218, description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." } });
    const r = await call(`${idp.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: 'openid' } });
    expectAadsts(r, 401, 'invalid_client', 7000218);
  });

  it('resets the connection', async () => {
    idp.addFault({ endpoint: 'openid', times: 1, reset: true });
    await expect(call(`${idp.authority()}/v2.0/.well-known/openid-configuration`)).rejects.toThrow();
    expect((await call(`${idp.authority()}/v2.0/.well-known/openid-configuration`)).status).toBe(200);
    expect(idp.requests().filter((e) => e.endpoint === 'openid').slice(-2).map((e) => e.status)).toEqual([0, 200]);
  });

  it('delays the answer, alone or before the rest of the fault', async () => {
    idp.addFault({ endpoint: 'openid', times: 1, delayMs: 300 });
    let t0 = Date.now();
    expect((await call(`${idp.authority()}/v2.0/.well-known/openid-configuration`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    idp.addFault({ endpoint: 'introspect', times: 1, delayMs: 200, status: 502 });
    t0 = Date.now();
    expect((await call(idp.introspectUrl, { form: { token: 'x' } })).status).toBe(502);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });
});

describe('introspection (plain HTTP)', () => {
  it('says active for our unexpired tokens only', async () => {
    expect(idp.introspectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/introspect$/);
    const at = String((await deviceCodeLogin()).access_token);
    const ok = parse(await call(idp.introspectUrl, { form: { token: at } }));
    expect(ok).toMatchObject({ active: true, username: DEFAULT_UPN, scope: 'IMAP.AccessAsUser.All SMTP.Send' });
    expect(Number(ok.exp)).toBeGreaterThan(Date.now() / 1000);

    const [h, p, s] = at.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims(at), upn: 'evil@contoso.example' })).toString('base64url')}.${s}`;
    expect(parse(await call(idp.introspectUrl, { form: { token: forged } }))).toEqual({ active: false });
    expect(parse(await call(idp.introspectUrl, { form: { token: 'garbage' } }))).toEqual({ active: false });
    expect(idp.isValidAccessToken(`${h}.${p}.${s}x`)).toBeUndefined();

    idp.setAccessTokenLifetime(-1);
    const expired = String((await deviceCodeLogin()).access_token);
    expect(parse(await call(idp.introspectUrl, { form: { token: expired } }))).toEqual({ active: false });
    expect(idp.isValidAccessToken(expired)).toBeUndefined();
  });
});

describe('counts, request log and the HTTP control API', () => {
  it('counts every request per endpoint key, faulted ones included', async () => {
    idp.resetCounts();
    await call(`${idp.authority()}/v2.0/.well-known/openid-configuration`);
    idp.addFault({ endpoint: 'token', grantType: 'urn:ietf:params:oauth:grant-type:device_code', times: 1, status: 503 });
    const dc = parse(await call(`${idp.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: SCOPES.join(' ') } }));
    const poll = () => token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: String(dc.device_code) });
    expect((await poll()).status).toBe(503);
    expect((await poll()).status).toBe(400);
    idp.approveDeviceCode(String(dc.user_code));
    const t = parse(await poll());
    await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) });
    await call(authorizeUrl({ code_challenge: pkce().challenge }));
    await call(idp.introspectUrl, { form: { token: String(t.access_token) } });
    await call(idp.introspectUrl, { form: { token: 'x' } });
    expect(idp.counts()).toEqual({ openid: 1, devicecode: 1, 'token:device_code': 3, 'token:refresh_token': 1, authorize: 1, introspect: 2 });
    const log = idp.requests().slice(-9);
    expect(log.map((e) => e.status)).toEqual([200, 200, 503, 400, 200, 200, 302, 200, 200]);
    expect(log[2]).toMatchObject({ method: 'POST', path: '/organizations/oauth2/v2.0/token', grantType: 'urn:ietf:params:oauth:grant-type:device_code' });
    idp.resetCounts();
    expect(idp.counts()).toEqual({});
  });

  it('mirrors the control API over HTTP for other processes', async () => {
    const c = idp.controlUrl;
    const info = parse(await call(c));
    expect(info).toMatchObject({ origin: idp.origin, host: idp.host, tenantId: idp.tenantId, introspectUrl: idp.introspectUrl });
    expect((await call(`${c}/counts/reset`, { json: {} })).status).toBe(200);

    const waiting = call(`${c}/device-code?timeoutMs=5000`);
    const dc = parse(await call(`${idp.authority()}/oauth2/v2.0/devicecode`, { form: { client_id: CLIENT_ID, scope: SCOPES.join(' ') } }));
    expect(parse(await waiting)).toEqual({ userCode: dc.user_code, deviceCode: dc.device_code });
    expect((await call(`${c}/approve`, { json: { userCode: dc.user_code, upn: OTHER_UPN } })).status).toBe(200);
    expect((await call(`${c}/approve`, { json: { userCode: 'ZZZZZZZZZ' } })).status).toBe(409);
    const t = parse(await token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: String(dc.device_code) }));
    expect(parse(await call(`${c}/last-refresh-token?upn=${encodeURIComponent(OTHER_UPN)}`))).toEqual({ refreshToken: t.refresh_token });

    await call(`${c}/faults`, { json: { endpoint: 'token', grantType: 'refresh_token', times: 1, aadsts: { error: 'interaction_required', code: 50076 } } });
    expectAadsts(await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) }), 400, 'interaction_required', 50076);
    await call(`${c}/faults`, { json: { endpoint: 'token', status: 503 } });
    await call(`${c}/faults/clear`, { json: {} });
    expect((await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) })).status).toBe(200);

    await call(`${c}/access-token-lifetime`, { json: { sec: 120 } });
    expect(parse(await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) })).expires_in).toBe(120);
    await call(`${c}/revoke`, { json: { upn: OTHER_UPN, code: 70008 } });
    expectAadsts(await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) }), 400, 'invalid_grant', 70008);

    expect(parse(await call(`${c}/counts`))).toMatchObject({ devicecode: 1, 'token:device_code': 1, 'token:refresh_token': 4 });
    expect((await call(`${c}/nope`)).status).toBe(404);
  });
});

/** A child node process (NODE_EXTRA_CA_CERTS only takes effect at startup) running real msal-node. */
const MSAL_SCRIPT = String.raw`
import { PublicClientApplication, CryptoProvider } from '@azure/msal-node';
const cfg = JSON.parse(process.env.IDP_TEST_CONFIG);
const out = {};
const make = () => new PublicClientApplication({ auth: { clientId: cfg.clientId, authority: cfg.authority, knownAuthorities: [cfg.host] } });
const rts = (pca) => Object.values(JSON.parse(pca.getTokenCache().serialize()).RefreshToken ?? {}).map((r) => r.secret);
const errorFields = (e) => ({ name: e.name, errorCode: e.errorCode, errorNo: e.errorNo, subError: e.subError });

const pca = make();
const r1 = await pca.acquireTokenByDeviceCode({ scopes: cfg.scopes, timeout: 30,
  deviceCodeCallback: (r) => process.stderr.write(r.message + '\n') });
const accounts = await pca.getTokenCache().getAllAccounts();
out.accounts = accounts.map((a) => ({ username: a.username, tenantId: a.tenantId, homeAccountId: a.homeAccountId }));
out.at1 = r1.accessToken;
out.rt1 = rts(pca);
const r2 = await pca.acquireTokenSilent({ account: accounts[0], scopes: cfg.scopes, forceRefresh: true });
out.at2 = r2.accessToken;
out.rt2 = rts(pca);
const r3 = await pca.acquireTokenSilent({ account: accounts[0], scopes: cfg.scopes });
out.at3 = r3.accessToken;
out.fromCache3 = r3.fromCache;

await fetch(cfg.controlUrl + '/revoke', { method: 'POST', body: JSON.stringify({ code: 700082 }) });
try {
  await pca.acquireTokenSilent({ account: accounts[0], scopes: cfg.scopes, forceRefresh: true });
  out.revoked = 'no error';
} catch (e) {
  out.revoked = errorFields(e);
}

const pca2 = make();
const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
const redirectUri = 'http://127.0.0.1';
const url = await pca2.getAuthCodeUrl({ scopes: cfg.scopes, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', loginHint: cfg.otherUpn });
const res = await fetch(url, { redirect: 'manual' });
const code = new URL(res.headers.get('location')).searchParams.get('code');
const r4 = await pca2.acquireTokenByCode({ code, scopes: cfg.scopes, redirectUri, codeVerifier: verifier });
out.at4 = r4.accessToken;
out.account4 = r4.account?.username;
out.accounts2 = (await pca2.getTokenCache().getAllAccounts()).length;
process.stdout.write(JSON.stringify(out));
`;

describe('msal-node against the identity platform (child process)', () => {
  let own: Idp;
  beforeAll(async () => {
    own = await startIdp({ tls: ca, users: [{ upn: DEFAULT_UPN }, { upn: OTHER_UPN }] });
  });
  afterAll(async () => {
    await own?.stop();
  });

  it('device code, silent refresh with rotation, revocation and auth code + PKCE', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', MSAL_SCRIPT], {
      cwd: join(import.meta.dirname, '..'),
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: ca.caFile,
        IDP_TEST_CONFIG: JSON.stringify({ clientId: CLIENT_ID, authority: own.authority('organizations'), host: own.host,
          scopes: SCOPES.filter((s) => s !== 'offline_access'), controlUrl: own.controlUrl, otherUpn: OTHER_UPN }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const exited = new Promise<number | null>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 45_000);
      child.on('close', (code) => { clearTimeout(kill); resolve(code); });
    });

    const dc = await own.waitForDeviceCode(20_000);
    own.approveDeviceCode(dc.userCode);
    const code = await exited;
    expect(stderr).toContain(`enter the code ${dc.userCode} to authenticate`);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as {
      accounts: Array<{ username: string; tenantId: string; homeAccountId: string }>;
      at1: string; at2: string; at3: string; at4: string; rt1: string[]; rt2: string[]; fromCache3: boolean;
      revoked: { name: string; errorCode: string; errorNo: string; subError: string } | string;
      account4: string; accounts2: number;
    };
    expect(out.accounts).toHaveLength(1);
    expect(out.accounts[0]).toMatchObject({ username: DEFAULT_UPN, tenantId: own.tenantId });
    expect(out.at2).not.toBe(out.at1);
    expect(own.isValidAccessToken(out.at2)?.upn).toBe(DEFAULT_UPN);
    expect(out.rt1).toHaveLength(1);
    expect(out.rt2).toHaveLength(1);
    expect(out.rt2[0]).not.toBe(out.rt1[0]);
    // What MSAL's serialized cache holds is the newest refresh token the platform issued to that user.
    expect(own.lastRefreshToken(DEFAULT_UPN)).toBe(out.rt2[0]);
    expect(out.fromCache3).toBe(true);
    expect(out.at3).toBe(out.at2);
    expect(out.revoked).toMatchObject({ errorCode: 'invalid_grant', subError: 'bad_token' });
    expect(String((out.revoked as { errorNo: string }).errorNo)).toBe('700082');
    expect(out.account4).toBe(OTHER_UPN);
    expect(own.isValidAccessToken(out.at4)?.upn).toBe(OTHER_UPN);
    expect(out.accounts2).toBe(1);
    const counts = own.counts();
    expect(counts.openid).toBeGreaterThanOrEqual(1);
    expect(counts).toMatchObject({ devicecode: 1, 'token:refresh_token': 2, 'token:authorization_code': 1, authorize: 1 });
    expect(counts['token:device_code']).toBeGreaterThanOrEqual(1);
  });
});
