import { describe, expect, it } from 'vitest';
import { classifyAuthError } from '../../src/auth/classify.js';
import { TransientHttpError, type Exchange } from '../../src/auth/http-client.js';
import { ExitCode } from '../../src/errors.js';

describe('classifyAuthError', () => {
  const ctx = { account: 'work', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753', authority: 'https://login.microsoftonline.com/contoso.com' };
  const errExchange = (body: object, status = 400): Exchange => ({ method: 'POST', url: 'https://idp/t/oauth2/v2.0/token', outcome: { kind: 'response', status, json: true }, body, attempts: 1 });
  it.each([
    ['expired refresh token', { errorCode: 'invalid_grant' }, errExchange({ error: 'invalid_grant', error_codes: [700082] }), ExitCode.ReloginNeeded, /setup --reauth work/],
    ['revoked', { errorCode: 'invalid_grant' }, errExchange({ error: 'invalid_grant', error_codes: [50173] }), ExitCode.ReloginNeeded, /setup --reauth work/],
    ['consent needed: the URL', { errorCode: 'invalid_grant' }, errExchange({ error: 'invalid_grant', error_codes: [65001] }), ExitCode.ReloginNeeded, /contoso\.com\/adminconsent\?client_id=9e5f94bc/],
    ['Conditional Access on device code (MSAL hid the code)', { errorCode: 'post_request_failed', errorMessage: 'access_denied' }, errExchange({ error: 'access_denied', error_codes: [53003] }), ExitCode.ReloginNeeded, /--flow browser/],
    ['unknown invalid_grant', { errorCode: 'invalid_grant' }, errExchange({ error: 'invalid_grant', error_description: 'AADSTS9999999: odd' }), ExitCode.ReloginNeeded, /reauth/],
    ['unknown error keeps the server text and correlation id', { errorCode: 'weird' }, errExchange({ error: 'weird', error_description: 'Something else\r\nTrace ID: x', correlation_id: 'c-1' }), ExitCode.Unexpected, /doctor/],
  ])('%s', (_, err, last, code, fix) => {
    const u = classifyAuthError(err, last, ctx, true);
    expect(u.exitCode).toBe(code);
    expect(u.fix).toMatch(fix);
  });
  it('unknown error message carries the raw server text and correlation id', () => {
    const u = classifyAuthError({ errorCode: 'weird' }, errExchange({ error: 'weird', error_description: 'Something else\r\nTrace ID: x', correlation_id: 'c-1' }), ctx, true);
    expect(u.message).toContain('Something else');
    expect(u.message).toContain('c-1');
  });
  it('transport failure → exit 4, says the refresh token was kept', () => {
    const ex: Exchange = { method: 'POST', url: 'https://idp.example/t/oauth2/v2.0/token', outcome: { kind: 'response', status: 503, json: false }, attempts: 3 };
    const u = classifyAuthError(new TransientHttpError(ex), ex, ctx, true);
    expect(u.exitCode).toBe(ExitCode.Unavailable);
    expect(u.message).toMatch(/idp\.example.*503.*3 attempt.*kept/);
  });
});
