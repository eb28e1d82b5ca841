import { describe, expect, it } from 'vitest';
import { TransientHttpError, type Exchange } from '../../src/auth/http-client.js';
import { classifyOAuth2Error, clientSecretFor, parseTokenReply } from '../../src/auth/oauth2.js';
import { ExitCode } from '../../src/errors.js';
import { THUNDERBIRD_GOOGLE_CLIENT_ID, THUNDERBIRD_GOOGLE_CLIENT_SECRET } from '../../src/providers/table.js';
import { userError } from '../helpers/user-error.js';

const OWN_ID = '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com';

describe('the client secret sent', () => {
  it('the public secret is sent only for the default client; an own client sends its own', () => {
    expect(clientSecretFor({ provider: 'google', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID })).toBe(THUNDERBIRD_GOOGLE_CLIENT_SECRET);
    expect(clientSecretFor({ provider: 'google', clientId: OWN_ID })).toBeUndefined();
    expect(clientSecretFor({ provider: 'google', clientId: OWN_ID }, 'mine')).toBe('mine');
    expect(clientSecretFor({ provider: 'microsoft365', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753' })).toBeUndefined();
  });
});

describe('token replies', () => {
  it.each([
    ['refresh without refresh_token', { access_token: 'ya29.a', expires_in: 3599, scope: 'https://mail.google.com/', token_type: 'Bearer' },
      { accessToken: 'ya29.a', expiresAt: 1_000 + 3_599_000, refreshToken: undefined, scopes: ['https://mail.google.com/'] }],
    ['rotation', { access_token: 'ya29.b', expires_in: 60, refresh_token: '1//new' }, { accessToken: 'ya29.b', expiresAt: 61_000, refreshToken: '1//new', scopes: ['req'] }],
    ['no expires_in: an hour', { access_token: 'ya29.c' }, { expiresAt: 3_601_000 }],
  ])('token reply: %s', (_, body, want) => {
    expect(parseTokenReply(body, 1_000, ['req'])).toMatchObject(want);
  });

  it('a reply without an access token is an error, not an empty token', () => {
    expect(userError(() => parseTokenReply({ error: 'x' }, 0, [])).exitCode).toBe(ExitCode.Unexpected);
  });
});

describe('OAuth2 errors → cause, fix, exit code', () => {
  const ex = (status: number, body: unknown): Exchange => ({ method: 'POST', url: 'https://oauth2.googleapis.com/token', outcome: { kind: 'response', status, json: true }, body, attempts: 1 });
  const c = { account: 'gm', email: 'a@gmail.com', provider: 'google', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, tokenEndpoint: 'https://oauth2.googleapis.com/token', stage: 'refresh' as const };
  it.each([
    ['revoked', undefined, ex(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }), ExitCode.ReloginNeeded, /\(invalid_grant: Token has been expired or revoked\.\)/],
    ['503 after retries', new TransientHttpError({ ...ex(503, undefined), outcome: { kind: 'response', status: 503, json: false }, attempts: 3 }), undefined, ExitCode.Unavailable, /oauth2\.googleapis\.com\) is unavailable: HTTP 503 with a body that is not JSON after 3 attempt\(s\)\. The stored refresh token was kept\./],
    ['an error sent back to the loopback listener', { errorCode: 'access_denied', errorMessage: '' }, undefined, ExitCode.ReloginNeeded, /you chose Cancel/],
    ['an unknown error, verbatim', undefined, ex(400, { error: 'weird', error_description: 'Something new' }), ExitCode.Unexpected, /The provider refused: weird: Something new/],
  ])('classify: %s', (_, err, last, exit, msg) => {
    const e = classifyOAuth2Error(err, last, c);
    expect(e.exitCode).toBe(exit);
    expect(e.message).toMatch(msg);
  });
});
