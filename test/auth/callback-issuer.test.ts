import { describe, expect, it } from 'vitest';
import { checkCallbackIssuer } from '../../src/auth/callback-issuer.js';
import { parsePastedRedirect } from '../../src/auth/paste-step.js';

describe('RFC 9207: the issuer an authorization response names', () => {
  const known = { issuer: 'https://api.fastmail.com', authorizationEndpoint: 'https://api.fastmail.com/oauth/authorize' };
  const unknown = { authorizationEndpoint: 'https://api.login.yahoo.com/oauth2/request_auth' };
  it.each([
    ['no iss: accepted (most servers send none)', undefined, known, 'ok'],
    ['the known issuer, exactly', 'https://api.fastmail.com', known, 'ok'],
    ['the known issuer with a trailing slash is another string', 'https://api.fastmail.com/', known, 'other-server'],
    ['another server', 'https://evil.example', known, 'other-server'],
    ['issuer unknown: same origin as the authorization endpoint', 'https://api.login.yahoo.com', unknown, 'ok'],
    ['issuer unknown: another origin', 'https://login.yahoo.com', unknown, 'other-server'],
    ['issuer unknown: not a URL', 'yahoo', unknown, 'other-server'],
  ] as const)('%s', (_, iss, expected, kind) => expect(checkCallbackIssuer(iss, expected).kind).toBe(kind));
});

describe('a pasted redirect', () => {
  it('gives the code and the iss it carries', () => {
    expect(parsePastedRedirect('http://127.0.0.1/?code=C&state=S&iss=https%3A%2F%2Fsso.example.org', 'S')).toEqual({ code: 'C', iss: 'https://sso.example.org' });
    expect(parsePastedRedirect('https://localhost/?code=C&state=S', 'S')).toEqual({ code: 'C', iss: undefined });
  });
});
