import { ExitCode } from '../errors.js';
import { googleDiagnosis, type GoogleContext, type GoogleDiagnosis } from './google.js';

/** Which table of error rows a provider's OAuth2 errors are read with (the provider row says). */
export type OAuth2ErrorRows = 'google' | 'standard';

export type OAuth2ErrorContext = GoogleContext & { provider: string };

const reauth = (c: OAuth2ErrorContext) => `mailoauth setup --reauth ${c.account}`;

type Row = { cause: (c: OAuth2ErrorContext) => string; fix: (c: OAuth2ErrorContext) => string; exit: ExitCode };

/**
 * The errors any OAuth2 server names (RFC 6749 §4.1.2.1 and §5.2, RFC 8628 §3.5), for providers
 * without rows of their own: what they mean when a sign-in is being finished and when the stored
 * refresh token is used.
 */
const STANDARD: Record<string, Row> = {
  invalid_grant: {
    cause: (c) => c.stage === 'refresh'
      ? 'The refresh token has expired or was revoked (signed out, password changed, unused for too long, or reused after rotation).'
      : 'The provider refused the authorization code (expired, already used, or the PKCE verifier did not match).',
    fix: reauth,
    exit: ExitCode.ReloginNeeded,
  },
  invalid_client: {
    cause: (c) => `The provider does not accept the client ${c.clientId} (unknown, or its secret is wrong).`,
    fix: (c) => `Check the client id and secret with the provider's admin, then: ${reauth(c)} --client-id ID [--client-secret-env VAR]`,
    exit: ExitCode.ReloginNeeded,
  },
  unauthorized_client: {
    cause: () => 'The client may not use this sign-in (grant type not allowed for it, or the refresh token was issued to another client).',
    fix: (c) => `Ask the provider's admin to allow the authorization-code and refresh-token grants (and device code, if you use it) for the client, then: ${reauth(c)}`,
    exit: ExitCode.ReloginNeeded,
  },
  access_denied: {
    cause: () => 'The sign-in was not allowed (you chose to deny it, or a policy refused it).',
    fix: (c) => `Run the sign-in again and allow access: ${reauth(c)}`,
    exit: ExitCode.ReloginNeeded,
  },
  invalid_scope: {
    cause: () => 'The provider does not accept the requested scopes.',
    fix: (c) => `Check the scopes the provider's mail server needs, then: ${reauth(c)} --scope "..."`,
    exit: ExitCode.ReloginNeeded,
  },
  expired_token: {
    cause: () => 'The device code expired before it was entered.',
    fix: (c) => `Run the sign-in again and enter the new code in time: ${reauth(c)}`,
    exit: ExitCode.ReloginNeeded,
  },
  consent_required: {
    cause: () => 'The provider needs your consent to this client first.',
    fix: (c) => `Sign in with the browser and allow access: ${reauth(c)} --flow browser`,
    exit: ExitCode.ReloginNeeded,
  },
  login_required: {
    cause: () => 'The provider needs a new sign-in.',
    fix: reauth,
    exit: ExitCode.ReloginNeeded,
  },
};

/** The diagnosis for an error name, from the provider's rows (Google's), else the standard ones. */
export function oauth2Diagnosis(rows: OAuth2ErrorRows, error: string, c: OAuth2ErrorContext): GoogleDiagnosis | undefined {
  if (rows === 'google') {
    const g = googleDiagnosis(error, c);
    if (g) return g;
  }
  const row = Object.hasOwn(STANDARD, error) ? STANDARD[error] : undefined;
  return row && { cause: row.cause(c), fix: row.fix(c), exit: row.exit };
}
