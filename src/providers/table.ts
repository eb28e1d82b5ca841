import type { Endpoint, OAuth2Endpoints } from '../account.js';
import type { Flow } from '../auth/signin.js';

/** Thunderbird's public Microsoft client: registered as a public client, no secret. */
export const THUNDERBIRD_MICROSOFT_CLIENT_ID = '9e5f94bc-e8a4-4e73-b8be-63364c29d753';

/**
 * Thunderbird's Google client, an installed (desktop) app. Google's installed apps cannot keep a
 * secret, and Google says so: this one is public, so it lives here, not in the keychain.
 */
export const THUNDERBIRD_GOOGLE_CLIENT_ID = '406964657835-aq8lmia8j95dhl1a2bvharmfk3t1hgqj.apps.googleusercontent.com';
export const THUNDERBIRD_GOOGLE_CLIENT_SECRET = 'kSmqreRr0qwBWJgbf5Y-PjSU';

/** The one scope Gmail's IMAP and SMTP accept (Google has no narrower mail scope for them). */
export const GMAIL_SCOPE = 'https://mail.google.com/';

/** A provider signed in with plain OAuth2 (authorization code + PKCE on a loopback redirect), not MSAL. */
export interface OAuth2Row {
  /** Production endpoints. */
  endpoints: OAuth2Endpoints;
  /** The same endpoints' paths under an --authority base URL (the local test platform, a proxy). */
  paths: OAuth2Endpoints;
  /** The secret of defaultClientId (public, see above). Own clients bring theirs: --client-secret-env. */
  defaultClientSecret?: string;
  /** Extra authorization parameters: what makes the provider hand out a refresh token. */
  authorizeParams: Record<string, string>;
  /** The loopback redirect form this provider prefers (port added at run time). */
  loopbackRedirect: 'http://127.0.0.1' | 'http://localhost';
  clientIdPattern: RegExp;
  clientIdExample: string;
  /** Said at setup (stderr) and by doctor when the account uses its own client, not the default. */
  ownClientNote?: string;
}

export interface Provider {
  id: string;
  label: string;
  /** Authority host, no trailing slash. */
  authorityHost: string;
  /** Tenant used when the user gives none. */
  defaultTenant: string;
  /** Resource prefix for mail scopes. */
  scopePrefix: string;
  /** Scopes requested at sign-in (prefix applied), offline_access added by fullScopes(). */
  mailScopes: string[];
  imap: Endpoint;
  smtp: Endpoint;
  defaultClientId: string;
  /** Email domains that always belong to this provider (consumer mail). */
  domains: string[];
  /** Present: tokens come from plain OAuth2 (src/auth/oauth2-*.ts); absent: from MSAL. */
  oauth2?: OAuth2Row;
  /** Sign-in flows this provider cannot do, each with the reason a usage error gives. */
  unsupportedFlows?: Partial<Record<Flow, string>>;
  /** Its access tokens are not JWTs (nothing to inspect; no warning about it). */
  opaqueAccessTokens?: boolean;
}

/** Providers are rows: adding one must not touch the token engine. */
export const PROVIDERS: Provider[] = [
  {
    id: 'microsoft365',
    label: 'Microsoft 365 (work or school)',
    authorityHost: 'https://login.microsoftonline.com',
    defaultTenant: 'organizations',
    scopePrefix: 'https://outlook.office.com/',
    mailScopes: ['IMAP.AccessAsUser.All', 'SMTP.Send'],
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
    defaultClientId: THUNDERBIRD_MICROSOFT_CLIENT_ID,
    domains: [],
  },
  {
    id: 'outlook.com',
    label: 'Outlook.com / Hotmail / Live (personal)',
    authorityHost: 'https://login.microsoftonline.com',
    defaultTenant: 'consumers',
    scopePrefix: 'https://outlook.office.com/',
    mailScopes: ['IMAP.AccessAsUser.All', 'SMTP.Send'],
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp-mail.outlook.com', port: 587, tls: 'starttls' },
    defaultClientId: THUNDERBIRD_MICROSOFT_CLIENT_ID,
    domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'passport.com', 'hotmail.co.uk',
      'hotmail.fr', 'hotmail.de', 'hotmail.it', 'hotmail.es', 'live.co.uk', 'live.fr', 'live.de',
      'outlook.de', 'outlook.fr', 'outlook.es', 'outlook.it', 'outlook.jp'],
  },
  {
    id: 'google',
    label: 'Gmail / Google Workspace',
    authorityHost: 'https://accounts.google.com',
    defaultTenant: '',
    // Google's scope is a full URL of its own; no resource prefix, and no offline_access scope
    // (access_type=offline asks for the refresh token instead).
    scopePrefix: '',
    mailScopes: [GMAIL_SCOPE],
    imap: { host: 'imap.gmail.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.gmail.com', port: 465, tls: 'implicit' },
    defaultClientId: THUNDERBIRD_GOOGLE_CLIENT_ID,
    domains: ['gmail.com', 'googlemail.com'],
    oauth2: {
      endpoints: { authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth', tokenEndpoint: 'https://oauth2.googleapis.com/token' },
      paths: { authorizationEndpoint: '/o/oauth2/v2/auth', tokenEndpoint: '/token' },
      defaultClientSecret: THUNDERBIRD_GOOGLE_CLIENT_SECRET,
      // offline: a refresh token; consent: one comes back even when the user consented before.
      authorizeParams: { access_type: 'offline', prompt: 'consent' },
      loopbackRedirect: 'http://127.0.0.1',
      clientIdPattern: /^\d+-[a-z0-9]+\.apps\.googleusercontent\.com$/,
      clientIdExample: '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com',
      ownClientNote: 'If your OAuth consent screen is in "Testing" publishing status, Google expires its refresh tokens after 7 days: ' +
        'publish the app ("In production") in Google Cloud console → APIs & Services → OAuth consent screen, or sign in again every week.',
    },
    unsupportedFlows: {
      device: `Google offers no device-code sign-in for the Gmail scope (${GMAIL_SCOPE}).`,
      paste: 'Google has blocked the copy/paste (out-of-band) sign-in for desktop apps since 2022.',
    },
    opaqueAccessTokens: true,
  },
];

export function providerById(id: string): Provider | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** The provider a domain alone decides (consumer domains); otherwise Microsoft 365. */
export function providerForEmail(email: string): Provider {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return PROVIDERS.find((p) => p.domains.includes(domain)) ?? PROVIDERS[0]!;
}

/** Scopes to request: the provider's mail scopes with their resource prefix, plus offline_access (MSAL rows). */
export function fullScopes(p: Provider, extra: string[] = []): string[] {
  return [...[...p.mailScopes, ...extra].map((s) => p.scopePrefix + s), ...(p.oauth2 ? [] : ['offline_access'])];
}
