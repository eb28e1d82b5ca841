/**
 * Google's errors as rows: each name with the stage and the kind of client → cause, fix, exit code.
 */
import { describe, expect, it } from 'vitest';
import { googleDiagnosis } from '../../src/diagnose/google.js';
import { ExitCode } from '../../src/errors.js';
import { THUNDERBIRD_GOOGLE_CLIENT_ID } from '../../src/providers/table.js';

describe('Google errors → cause, fix, exit code', () => {
  const ctx = { account: 'gm', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, ownClient: false, stage: 'refresh' as const };
  it.each([
    ['invalid_grant', 'refresh', false, /expired or was revoked/, /^mailoauth setup --reauth gm$/],
    ['invalid_grant', 'refresh', true, /"Testing" status gets refresh tokens that expire after 7 days/, /Publish app/],
    ['invalid_grant', 'signin', false, /refused the authorization code/, /--reauth gm/],
    ['invalid_client', 'signin', true, /client secret is wrong/, /--client-secret-env/],
    ['invalid_client', 'refresh', false, /Thunderbird's OAuth client/, /Create your own "Desktop app"/],
    ['unauthorized_client', 'refresh', true, /not a "Desktop app" client/, /--client-id ID/],
    ['access_denied', 'signin', true, /not one of its test users/, /Test users/],
    ['access_denied', 'signin', false, /you chose Cancel/, /choose Allow/],
    ['org_internal', 'signin', true, /"Internal" to another Google Workspace organization/, /"External"/],
    ['admin_policy_enforced', 'signin', false, /Workspace admin's API access controls/, /API controls/],
    ['redirect_uri_mismatch', 'signin', true, /loopback redirect/, /Desktop app/],
  ] as const)('%s (%s, own client %s)', (name, stage, ownClient, cause, fix) => {
    const d = googleDiagnosis(name, { ...ctx, stage, ownClient })!;
    expect(d.exit).toBe(ExitCode.ReloginNeeded);
    expect(d.cause).toMatch(cause);
    expect(d.fix).toMatch(fix);
  });

  it('an unknown name has no row; toString and friends are not rows either', () => {
    expect(googleDiagnosis('something_new', ctx)).toBeUndefined();
    expect(googleDiagnosis('toString', ctx)).toBeUndefined();
  });
});
