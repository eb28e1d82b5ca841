import { ExitCode } from '../errors.js';

/**
 * Google's OAuth2 errors → cause and exact fix. Google names errors (`invalid_grant`, ...) rather than
 * numbering them; the same name means different things when a sign-in is being finished and when a
 * stored refresh token is used, so each row says both.
 */
export interface GoogleContext {
  account: string;
  clientId: string;
  /** The user's own client (not Thunderbird's): Testing-status and consent-screen causes apply. */
  ownClient: boolean;
  /** Finishing a sign-in (authorization code) or using the stored refresh token. */
  stage: 'signin' | 'refresh';
}

export interface GoogleDiagnosis {
  cause: string;
  fix: string;
  exit: ExitCode;
}

const reauth = (c: GoogleContext) => `mailoauth setup --reauth ${c.account}`;
const TESTING_7_DAYS = 'an app whose OAuth consent screen is in "Testing" status gets refresh tokens that expire after 7 days';

type Row = { cause: (c: GoogleContext) => string; fix: (c: GoogleContext) => string; exit: ExitCode };

const ROWS: Record<string, Row> = {
  invalid_grant: {
    cause: (c) => c.stage === 'refresh'
      ? `The refresh token has expired or was revoked (password change, access removed at myaccount.google.com/permissions, 6 months unused${c.ownClient ? `, or ${TESTING_7_DAYS}` : ''}).`
      : 'Google refused the authorization code (expired, already used, or the PKCE verifier did not match).',
    fix: (c) => c.stage === 'refresh' && c.ownClient
      ? `${reauth(c)}  (to stop the weekly expiry, publish the app: Google Cloud console → APIs & Services → OAuth consent screen → "Publish app")`
      : reauth(c),
    exit: ExitCode.ReloginNeeded,
  },
  invalid_client: {
    cause: (c) => c.ownClient
      ? `Google does not accept the OAuth client ${c.clientId}: it was deleted, the id is mistyped, or the client secret is wrong.`
      : `Google does not accept Thunderbird's OAuth client (${c.clientId}) any more.`,
    fix: (c) => c.ownClient
      ? `Check the client in Google Cloud console → APIs & Services → Credentials (type "Desktop app"), then: ${reauth(c)} --client-id ID --client-secret-env VAR`
      : `Create your own "Desktop app" OAuth client in Google Cloud console, then: ${reauth(c)} --client-id ID --client-secret-env VAR`,
    exit: ExitCode.ReloginNeeded,
  },
  unauthorized_client: {
    cause: () => 'The OAuth client may not use this sign-in: it is not a "Desktop app" client, or the refresh token was issued to another client.',
    fix: (c) => `Use a client of type "Desktop app" (Google Cloud console → Credentials → Create credentials → OAuth client ID), then: ${reauth(c)} --client-id ID --client-secret-env VAR`,
    exit: ExitCode.ReloginNeeded,
  },
  access_denied: {
    cause: (c) => `The sign-in was not allowed: you chose Cancel${c.ownClient ? ', or the app is in "Testing" status and your address is not one of its test users' : ', or your Google Workspace admin does not allow this app'}.`,
    fix: (c) => c.ownClient
      ? `Add your address under OAuth consent screen → Test users (or publish the app), then: ${reauth(c)}`
      : `Run the sign-in again and choose Allow: ${reauth(c)}`,
    exit: ExitCode.ReloginNeeded,
  },
  org_internal: {
    cause: () => 'The app is "Internal" to another Google Workspace organization: only its own users may sign in with it.',
    fix: (c) => `Sign in with an account of that organization, or set the app's user type to "External" (OAuth consent screen), or use another client: ${reauth(c)} --client-id ID --client-secret-env VAR`,
    exit: ExitCode.ReloginNeeded,
  },
  admin_policy_enforced: {
    cause: () => "Your Google Workspace admin's API access controls block this app for your account.",
    fix: (c) => `Ask your admin to trust the client ${c.clientId} (Admin console → Security → Access and data control → API controls → Manage third-party app access), then: ${reauth(c)}`,
    exit: ExitCode.ReloginNeeded,
  },
  invalid_scope: {
    cause: () => 'Google does not accept the requested scope (the Gmail scope is https://mail.google.com/).',
    fix: (c) => `${reauth(c)} (and check the scope your own client's consent screen lists)`,
    exit: ExitCode.ReloginNeeded,
  },
  redirect_uri_mismatch: {
    cause: () => 'The OAuth client does not accept a loopback redirect (http://127.0.0.1:PORT): it is not a "Desktop app" client.',
    fix: (c) => `Create an OAuth client of type "Desktop app", then: ${reauth(c)} --client-id ID --client-secret-env VAR`,
    exit: ExitCode.ReloginNeeded,
  },
};

/** The diagnosis for a Google error name, or undefined for a name Google has not been seen to use. */
export function googleDiagnosis(error: string, c: GoogleContext): GoogleDiagnosis | undefined {
  const row = Object.hasOwn(ROWS, error) ? ROWS[error] : undefined;
  return row && { cause: row.cause(c), fix: row.fix(c), exit: row.exit };
}
