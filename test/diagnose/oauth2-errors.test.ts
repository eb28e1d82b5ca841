import { describe, expect, it } from 'vitest';
import { oauth2Diagnosis } from '../../src/diagnose/oauth2-errors.js';
import { ExitCode } from '../../src/errors.js';

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
