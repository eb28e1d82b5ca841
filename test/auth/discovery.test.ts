import { describe, expect, it } from 'vitest';
import { endpointsFrom, metadataUrls } from '../../src/auth/discovery.js';

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
