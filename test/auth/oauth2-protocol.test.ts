import { describe, expect, it } from 'vitest';
import { endpointsFrom, metadataUrls } from '../../src/auth/discovery.js';
import { parseDeviceStart } from '../../src/auth/oauth2-device.js';
import { oauth2Diagnosis } from '../../src/diagnose/oauth2-errors.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { planSetup, type SetupOptions } from '../../src/setup/plan.js';
import { createHash } from 'node:crypto';
import { authorizationUrl, pkcePair } from '../../src/auth/oauth2-protocol.js';
import { providerById } from '../../src/providers/table.js';

describe('discovery: where an issuer\'s metadata is, and what it must say', () => {
  it.each([
    ['https://sso.example.org', ['https://sso.example.org/.well-known/openid-configuration', 'https://sso.example.org/.well-known/oauth-authorization-server']],
    ['https://sso.example.org/realms/mail/', [
      'https://sso.example.org/realms/mail/.well-known/openid-configuration',
      'https://sso.example.org/.well-known/oauth-authorization-server/realms/mail', // RFC 8414 §3.1
      'https://sso.example.org/realms/mail/.well-known/oauth-authorization-server', // oidc-provider 9.10+
    ]],
  ])('%s', (issuer, want) => expect(metadataUrls(issuer)).toEqual(want));

  const ISS = 'https://sso.example.org/realms/mail';
  const doc = { issuer: ISS, authorization_endpoint: `${ISS}/auth`, token_endpoint: `${ISS}/token`, device_authorization_endpoint: `${ISS}/device/auth`, userinfo_endpoint: `${ISS}/me`, revocation_endpoint: `${ISS}/revoke` };
  it('reads the endpoints (device, userinfo, revocation when named)', () => {
    expect(endpointsFrom(doc, `${ISS}/`)).toEqual({
      issuer: ISS, authorizationEndpoint: `${ISS}/auth`, tokenEndpoint: `${ISS}/token`, deviceAuthorizationEndpoint: `${ISS}/device/auth`, userinfoEndpoint: `${ISS}/me`, revocationEndpoint: `${ISS}/revoke`,
    });
  });
  it.each([
    ['another issuer\'s metadata (RFC 8414 §3.3)', { ...doc, issuer: 'https://evil.example' }, /names another issuer/],
    ['no token endpoint', { ...doc, token_endpoint: undefined }, /no https authorization and token endpoints/],
    ['an http token endpoint', { ...doc, token_endpoint: 'http://sso.example.org/token' }, /no https authorization and token endpoints/],
  ])('refused: %s', (_, d, msg) => expect(() => endpointsFrom(d, ISS)).toThrow(msg));
});

describe('device authorization replies (RFC 8628 §3.2)', () => {
  it.each([
    ['no interval: 5 s', { device_code: 'd', user_code: 'U', verification_uri: 'https://x/device', expires_in: 600 }, { intervalS: 5, expiresInS: 600 }],
    ['Google\'s verification_url', { device_code: 'd', user_code: 'U', verification_url: 'https://x/device', interval: 2 }, { verificationUri: 'https://x/device', intervalS: 2 }],
    ['absurd numbers are bounded', { device_code: 'd', user_code: 'U', verification_uri: 'https://x', expires_in: 1e308, interval: 1e9 }, { expiresInS: 3600, intervalS: 60 }],
    ['the complete URI kept', { device_code: 'd', user_code: 'U', verification_uri: 'https://x', verification_uri_complete: 'https://x?c=U' }, { verificationUriComplete: 'https://x?c=U' }],
  ])('%s', (_, body, want) => expect(parseDeviceStart(body)).toMatchObject(want));
  it('no code is an error', () => expect(() => parseDeviceStart({ verification_uri: 'https://x' })).toThrow(/without a code/));
});

describe('OAuth2 error names: the provider\'s rows, else the standard ones', () => {
  const c = { account: 'mail', clientId: 'mailoauth', ownClient: true, stage: 'refresh' as const, provider: 'oidc' };
  it.each([
    ['standard', 'invalid_grant', /expired or was revoked.*reused after rotation/, /mailoauth setup --reauth mail/],
    ['standard', 'expired_token', /device code expired/, /reauth mail/],
    ['standard', 'invalid_client', /does not accept the client mailoauth/, /--client-id ID/],
    ['google', 'invalid_grant', /myaccount\.google\.com\/permissions/, /Publish app/],
    ['google', 'expired_token', /device code expired/, /reauth/],
  ] as const)('%s %s', (rows, name, cause, fix) => {
    const d = oauth2Diagnosis(rows, name, c)!;
    expect(d.cause).toMatch(cause);
    expect(d.fix).toMatch(fix);
    expect(d.exit).toBe(ExitCode.ReloginNeeded);
  });
  it('an unknown name has no row', () => expect(oauth2Diagnosis('standard', 'nope', c)).toBeUndefined());
});

describe('planSetup for --provider oidc', () => {
  const base: SetupOptions = { email: 'me@example.org', provider: 'oidc', issuer: 'https://sso.example.org/realms/mail', clientId: 'mailoauth', scope: 'openid email offline_access mail', imapHost: 'mail.example.org', smtpHost: 'mail.example.org', flow: 'device' };
  it('issuer kept for discovery, scopes from --scope, implicit-TLS defaults for the ports', () => {
    expect(planSetup(base, {}, 'linux').account).toMatchObject({
      auth: 'oauth2', provider: 'oidc', clientId: 'mailoauth', tenant: '', authority: 'https://sso.example.org/realms/mail',
      scopes: ['openid', 'email', 'offline_access', 'mail'], oauth2: { issuer: 'https://sso.example.org/realms/mail', authorizationEndpoint: '', tokenEndpoint: '' },
      imap: { host: 'mail.example.org', port: 993, tls: 'implicit' }, smtp: { host: 'mail.example.org', port: 465, tls: 'implicit' },
    });
  });
  it('endpoints given instead of an issuer', () => {
    const p = planSetup({ ...base, issuer: undefined, authorizationEndpoint: 'https://sso.example.org/auth', tokenEndpoint: 'https://sso.example.org/token', deviceAuthorizationEndpoint: 'https://sso.example.org/device' }, {}, 'linux');
    expect(p.account.oauth2).toEqual({ authorizationEndpoint: 'https://sso.example.org/auth', tokenEndpoint: 'https://sso.example.org/token', deviceAuthorizationEndpoint: 'https://sso.example.org/device' });
  });
  it.each<[string, SetupOptions, RegExp]>([
    ['no client id', { ...base, clientId: undefined }, /has no public client mailoauth knows: name yours with --client-id/],
    ['no scope', { ...base, scope: undefined }, /needs the scopes its mail servers accept: --scope/],
    ['no issuer or endpoints', { ...base, issuer: undefined }, /needs to know where to sign in: --issuer URL/],
    ['an http issuer', { ...base, issuer: 'http://sso.example.org' }, /must be https/],
    ['only one endpoint', { ...base, issuer: undefined, tokenEndpoint: 'https://x/token' }, /Give both --authorization-endpoint and --token-endpoint/],
    ['no mail servers', { ...base, imapHost: undefined }, /needs the mail servers: --imap-host and --smtp-host/],
    ['a scope with a quote', { ...base, scope: 'mail "x"' }, /is not a scope/],
    ['--tenant', { ...base, tenant: 'x' }, /--tenant does not apply/],
  ])('%s → exit 2', (_, o, msg) => {
    let err: unknown;
    try {
      planSetup(o, {}, 'linux');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(ExitCode.Usage);
    expect((err as UserError).message).toMatch(msg);
  });
  it('--issuer and --scope do not apply to Microsoft', () => {
    expect(() => planSetup({ email: 'a@contoso.com', issuer: 'https://x', flow: 'device' }, {}, 'linux')).toThrow(/--issuer does not apply to Microsoft 365/);
  });
});

describe('PKCE and the authorization URL', () => {
  const google = providerById('google')!;
  it('PKCE: the challenge is the S256 of the verifier; the authorization URL carries Google\'s parameters', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[\w-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    const u = new URL(authorizationUrl('https://accounts.google.com/o/oauth2/v2/auth', {
      clientId: 'c', redirectUri: 'http://127.0.0.1:5000', scopes: ['https://mail.google.com/'], state: 's', challenge, loginHint: 'a@gmail.com', extra: google.oauth2!.authorizeParams,
    }));
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: 'c', redirect_uri: 'http://127.0.0.1:5000', response_type: 'code', scope: 'https://mail.google.com/', state: 's',
      code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'a@gmail.com', access_type: 'offline', prompt: 'consent',
    });
  });
});
