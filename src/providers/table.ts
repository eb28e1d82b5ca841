import type { Endpoint, OAuth2Endpoints } from '../account.js';
import type { Flow } from '../auth/flow.js';
import type { OAuth2ErrorRows } from '../diagnose/oauth2-errors.js';
import type { CloudId } from './clouds.js';
import { domainOf } from '../account-name.js';

/**
 * The tenant of personal Microsoft accounts (Outlook.com, Hotmail, Live): what the `consumers`
 * authority and the OpenID document of a consumer domain name as issuer.
 */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

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

/**
 * A public client an app vendor registered once for everyone (Thunderbird's): what its registration
 * allows is a fact about the real service, so it is data, with its source in docs/real-services.md.
 * The identity platform shows a redirect it did not register on its own page and never comes back,
 * so mailoauth must not send one: planning refuses it before any request.
 */
export interface KnownClient {
  id: string;
  /** How people know it, in sentences: "Thunderbird's public client". */
  label: string;
  /**
   * The registered redirect URI each browser-based flow uses. An `http://127.0.0.1` (or
   * `http://localhost`) entry is a loopback registration: it matches any port (RFC 8252 §7.3,
   * Microsoft's and Google's loopback rules). A flow without an entry cannot be used with this client.
   */
  redirects: Partial<Record<Exclude<Flow, 'device'>, string>>;
  /** Whether its registration allows the device-code flow ("Allow public client flows"). */
  deviceCode: boolean;
  /** Microsoft clouds the app is registered in; absent: every cloud the provider has. */
  clouds?: CloudId[];
}

/** Thunderbird's Microsoft app: https://localhost (paste) and http://127.0.0.1 on any port; no http://localhost. */
export const THUNDERBIRD_MICROSOFT: KnownClient = {
  id: THUNDERBIRD_MICROSOFT_CLIENT_ID,
  label: "Thunderbird's public client",
  redirects: { browser: 'http://127.0.0.1', paste: 'https://localhost' },
  deviceCode: true,
  // An app registration lives in one cloud; Mozilla registered this one in the worldwide cloud only.
  clouds: ['public'],
};

/** Thunderbird's Google client: an installed app, loopback redirect on 127.0.0.1 (any port). */
export const THUNDERBIRD_GOOGLE: KnownClient = {
  id: THUNDERBIRD_GOOGLE_CLIENT_ID,
  label: "Thunderbird's public client",
  redirects: { browser: 'http://127.0.0.1' },
  deviceCode: false,
};

/** A provider signed in with plain OAuth2 (authorization code + PKCE on a loopback redirect), not MSAL. */
export interface OAuth2Row {
  /** Production endpoints; absent for a provider whose endpoints come from --issuer or flags. */
  endpoints?: OAuth2Endpoints;
  /** The same endpoints' paths under an --authority base URL (the local test platform, a proxy). */
  paths?: OAuth2Endpoints;
  /** The secret of defaultClientId (public, see above). Own clients bring theirs: --client-secret-env. */
  defaultClientSecret?: string;
  /** Extra authorization parameters: what makes the provider hand out a refresh token. */
  authorizeParams: Record<string, string>;
  /**
   * Scopes asked for besides the mail scope so that the reply says who signed in (an id token with
   * `email`), checked against the address asked for before anything is stored.
   */
  identityScopes: string[];
  clientIdPattern: RegExp;
  clientIdExample: string;
  /** Where a user finds their own client's id (a usage error's fix). */
  clientIdHelp?: string;
  /** What the user's own client needs, said before its id is asked for. */
  ownClientSetup: string;
  /** Whether the user's own client comes with a secret (Google's "Desktop app" clients do; public OpenID clients don't). */
  ownClientSecret: 'required' | 'optional';
  /** Which table its error names are read with (src/diagnose/oauth2-errors.ts). */
  errorRows: OAuth2ErrorRows;
  /** Errors it shows on its own page and never sends back: named, with fixes, when the browser does not come back. */
  pageErrors?: string[];
  /** What to do when a sign-in brings no refresh token. */
  noRefreshTokenFix?: string;
}

export interface Provider {
  id: string;
  label: string;
  /** Which adapter of the protocol seam (src/auth/protocol.ts) signs in and refreshes. */
  protocol: 'msal' | 'oauth2';
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
  /** Public clients this provider knows the registration of; the first is the default. */
  knownClients: KnownClient[];
  /** Email domains that always belong to this provider (consumer mail). */
  domains: string[];
  /** MX host names that mean this provider (detect.ts; Microsoft 365's come from clouds.ts). */
  mx?: RegExp[];
  /**
   * Whether a sign-in's reply says who signed in (an id token's email, userinfo). Where it cannot, the
   * identity check has nothing to compare: the IMAP login is then what shows a wrong account.
   */
  identifiesUser?: false;
  /** Present: tokens come from plain OAuth2 (src/auth/oauth2-*.ts); absent: from MSAL. */
  oauth2?: OAuth2Row;
  /** Sign-in flows this provider cannot do, each with the reason a usage error gives. */
  unsupportedFlows?: Partial<Record<Flow, string>>;
  /** How long a refresh token may sit unused before the provider ends the sign-in (src/reauth/), with the sentence that says so; absent: unknown. */
  idleLimit?: { days: number; says: string };
  /** Sign-ins with the user's own client end after this many days when the client is in a test status (Google's "Testing"). */
  ownClientLimit?: { days: number; says: string };
  /** Said at setup (stderr) and by doctor when the account uses its own client, not the default. */
  ownClientNote?: string;
  /** Its access tokens are not JWTs (nothing to inspect; no warning about it). */
  opaqueAccessTokens?: boolean;
  /**
   * IMAP and SMTP take the name the account signed in as (the id token's preferred_username), which
   * can differ from the address the user typed (Outlook.com: a Microsoft account named by another
   * address, or an alias); setup then logs in with the signed-in name.
   */
  loginIsSignInName?: boolean;
}

const withSuffixes = (name: string, suffixes: string) => suffixes.split(' ').map((x) => `${name}.${x}`);

/**
 * Outlook.com's consumer mail domains: the list in Thunderbird's ISP database (thunderbird/autoconfig
 * ispdb/hotmail.com.xml, last changed 2025-07-28), plus outlook.co.nz (missing there:
 * thunderbird-android#7454). Microsoft publishes no complete list; any other consumer domain is
 * recognised by its MX (*.olc.protection.outlook.com, detect.ts). Sources: docs/real-services.md.
 */
export const OUTLOOK_COM_DOMAINS: string[] = [
  'hotmail.com', 'live.com', 'msn.com', 'outlook.com', 'windowslive.com', 'livemail.tw', 'outlook.co.nz',
  ...withSuffixes('outlook', 'at be cl cz de dk es fr hu ie in it jp kr lv my ph pt sa sg sk co.id co.il co.th com.ar com.au com.br com.gr com.tr com.vn'),
  ...withSuffixes('hotmail', 'be ca cl cz de dk es fi fr gr hu it lt lv my nl no ph rs se sg sk co.id co.il co.in co.jp co.kr co.th co.uk co.za com.ar com.au com.br com.hk com.tr com.tw com.vn'),
  ...withSuffixes('live', 'at be ca cl cn de dk fi fr hk ie in it jp nl no ru se co.jp co.kr co.uk co.za com.ar com.au com.mx com.my com.ph com.pt com.sg'),
];

/**
 * The providers Thunderbird ships public OAuth2 clients for, beside Google. Every fact is Thunderbird's
 * (mailnews/base/src/OAuth2Providers.sys.mjs at comm-central cf9726f5, 2026-08-22: client id, secret,
 * endpoints, scopes, redirect) or its ISP database's (thunderbird/autoconfig c6ad7965: domains,
 * MX, hosts); see docs/real-services.md "Providers from Thunderbird". What is not known (which other
 * redirects a client accepts, device code) is not offered: a redirect the client did not register
 * would end on the provider's error page.
 */
const tbClient = (id: string, redirects: KnownClient['redirects']): KnownClient => ({ id, label: "Thunderbird's public client", redirects, deviceCode: false });
const oauth2Row = (o: { endpoints: OAuth2Endpoints; secret?: string }): OAuth2Row => ({
  endpoints: o.endpoints,
  ...(o.secret ? { defaultClientSecret: o.secret } : {}),
  authorizeParams: {},
  // None of these is known to answer openid/email for Thunderbird's client: nothing extra is asked.
  identityScopes: [],
  clientIdPattern: /^[\x21-\x7e]{1,256}$/,
  clientIdExample: 'your-client-id',
  ownClientSetup: 'Your client needs the redirect mailoauth sends (--redirect-uri) and the mail scopes; register it with the provider.',
  ownClientSecret: 'optional',
  errorRows: 'standard',
});
const YAHOO_CLIENT = tbClient('dj0yJmk9WVZUaWRNUUZSQTBNJmQ9WVdrOVNqbHJUMGhtTkU4bWNHbzlNQT09JnM9Y29uc3VtZXJzZWNyZXQmc3Y9MCZ4PTgz', { paste: 'https://127.0.0.1' });
const AOL_CLIENT = tbClient('dj0yJmk9MGNoTTQ0SjhIN1dSJmQ9WVdrOVdIVnFkVVp2UkZNbWNHbzlNQT09JnM9Y29uc3VtZXJzZWNyZXQmc3Y9MCZ4PTNm', { paste: 'https://127.0.0.1' });
const FASTMAIL_CLIENT = tbClient('35f141ae', { browser: 'http://localhost' });
const YANDEX_CLIENT = tbClient('2a00bba7374047a6ab79666485ffce31', { browser: 'http://localhost' });
const MAILRU_CLIENT = tbClient('thunderbird', { paste: 'http://localhost' });
// mailoauth sends PKCE (S256) to all of them; Thunderbird does not for Yandex and Mail.ru (servers ignore what they do not use).
const NO_DEVICE = "Thunderbird's client for it is not known to allow the device-code sign-in.";
const pasteOnly = { device: NO_DEVICE, browser: "Thunderbird's client for it registered no loopback redirect; its sign-in ends on a page you copy the address of." };
const browserOnly = { device: NO_DEVICE, paste: "Thunderbird's client for it registered a loopback redirect only." };

export const THUNDERBIRD_PROVIDERS: Provider[] = [
  {
    id: 'yahoo', label: 'Yahoo Mail', protocol: 'oauth2', authorityHost: 'https://api.login.yahoo.com', defaultTenant: '', scopePrefix: '',
    mailScopes: ['mail-w', 'ycal-w', 'sdct-w'],
    imap: { host: 'imap.mail.yahoo.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.mail.yahoo.com', port: 465, tls: 'implicit' },
    defaultClientId: YAHOO_CLIENT.id, knownClients: [YAHOO_CLIENT],
    domains: ['yahoo.com', 'yahoo.ca', 'yahoo.de', 'yahoo.it', 'yahoo.fr', 'yahoo.es', 'yahoo.se', 'yahoo.co.in', 'yahoo.co.uk', 'yahoo.co.nz',
      'yahoo.com.au', 'yahoo.com.ar', 'yahoo.com.br', 'yahoo.com.mx', 'ymail.com', 'myyahoo.com', 'rocketmail.com'],
    mx: [/(^|\.)am0\.yahoodns\.net\.?$/i],
    oauth2: oauth2Row({ endpoints: { authorizationEndpoint: 'https://api.login.yahoo.com/oauth2/request_auth', tokenEndpoint: 'https://api.login.yahoo.com/oauth2/get_token' } }),
    unsupportedFlows: pasteOnly, identifiesUser: false,
  },
  {
    id: 'aol', label: 'AOL Mail', protocol: 'oauth2', authorityHost: 'https://api.login.aol.com', defaultTenant: '', scopePrefix: '',
    mailScopes: ['mail-w', 'ycal-w', 'sdct-w'],
    imap: { host: 'imap.aol.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.aol.com', port: 465, tls: 'implicit' },
    defaultClientId: AOL_CLIENT.id, knownClients: [AOL_CLIENT],
    domains: ['aol.com', 'aim.com', 'netscape.net', 'netscape.com', 'compuserve.com', 'cs.com', 'wmconnect.com', 'aol.de', 'aol.it', 'aol.fr', 'aol.es',
      'aol.se', 'aol.co.uk', 'aol.co.nz', 'aol.com.au', 'aol.com.ar', 'aol.com.br', 'aol.com.mx'],
    mx: [/(^|\.)gm0\.yahoodns\.net\.?$/i],
    oauth2: oauth2Row({ endpoints: { authorizationEndpoint: 'https://api.login.aol.com/oauth2/request_auth', tokenEndpoint: 'https://api.login.aol.com/oauth2/get_token' } }),
    unsupportedFlows: pasteOnly, identifiesUser: false,
  },
  {
    id: 'fastmail', label: 'Fastmail', protocol: 'oauth2', authorityHost: 'https://api.fastmail.com', defaultTenant: '', scopePrefix: '',
    // Thunderbird asks for all five protocol scopes; mail needs these two.
    mailScopes: ['https://www.fastmail.com/dev/protocol-imap', 'https://www.fastmail.com/dev/protocol-smtp'],
    imap: { host: 'imap.fastmail.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.fastmail.com', port: 465, tls: 'implicit' },
    defaultClientId: FASTMAIL_CLIENT.id, knownClients: [FASTMAIL_CLIENT],
    domains: [],
    mx: [/(^|\.)messagingengine\.com\.?$/i],
    // Thunderbird requires the callback's iss to be exactly this (RFC 9207; Bug 2044463).
    oauth2: oauth2Row({ endpoints: { issuer: 'https://api.fastmail.com', authorizationEndpoint: 'https://api.fastmail.com/oauth/authorize', tokenEndpoint: 'https://api.fastmail.com/oauth/refresh' } }),
    unsupportedFlows: browserOnly, identifiesUser: false,
  },
  {
    id: 'yandex', label: 'Yandex Mail', protocol: 'oauth2', authorityHost: 'https://oauth.yandex.com', defaultTenant: '', scopePrefix: '',
    mailScopes: ['mail:imap_full', 'mail:smtp'],
    imap: { host: 'imap.yandex.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.yandex.com', port: 465, tls: 'implicit' },
    defaultClientId: YANDEX_CLIENT.id, knownClients: [YANDEX_CLIENT],
    domains: ['yandex.ru', 'yandex.com', 'yandex.net', 'yandex.by', 'yandex.kz', 'yandex.ua', 'ya.ru', 'narod.ru'],
    oauth2: oauth2Row({ endpoints: { authorizationEndpoint: 'https://oauth.yandex.com/authorize', tokenEndpoint: 'https://oauth.yandex.com/token' }, secret: '3ded85b4ec574c2187a55dc49d361280' }),
    unsupportedFlows: browserOnly, identifiesUser: false,
  },
  {
    id: 'mail.ru', label: 'Mail.ru', protocol: 'oauth2', authorityHost: 'https://o2.mail.ru', defaultTenant: '', scopePrefix: '',
    mailScopes: ['mail.imap'],
    imap: { host: 'imap.mail.ru', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.mail.ru', port: 465, tls: 'implicit' },
    defaultClientId: MAILRU_CLIENT.id, knownClients: [MAILRU_CLIENT],
    domains: ['mail.ru', 'inbox.ru', 'list.ru', 'bk.ru', 'corp.mail.ru'],
    oauth2: oauth2Row({ endpoints: { authorizationEndpoint: 'https://o2.mail.ru/login', tokenEndpoint: 'https://o2.mail.ru/token' }, secret: 'I0dCAXrcaNFujaaY' }),
    unsupportedFlows: pasteOnly, identifiesUser: false,
  },
];

/** Providers are rows: adding one must not touch the token engine. */
export const PROVIDERS: Provider[] = [
  {
    id: 'microsoft365',
    label: 'Microsoft 365 (work or school)',
    protocol: 'msal',
    authorityHost: 'https://login.microsoftonline.com',
    defaultTenant: 'organizations',
    scopePrefix: 'https://outlook.office.com/',
    mailScopes: ['IMAP.AccessAsUser.All', 'SMTP.Send'],
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
    defaultClientId: THUNDERBIRD_MICROSOFT_CLIENT_ID,
    knownClients: [THUNDERBIRD_MICROSOFT],
    idleLimit: { days: 90, says: 'Microsoft ends a sign-in whose refresh token is unused for 90 days' },
    domains: [],
  },
  {
    id: 'outlook.com',
    label: 'Outlook.com / Hotmail / Live (personal)',
    protocol: 'msal',
    authorityHost: 'https://login.microsoftonline.com',
    defaultTenant: 'consumers',
    scopePrefix: 'https://outlook.office.com/',
    mailScopes: ['IMAP.AccessAsUser.All', 'SMTP.Send'],
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp-mail.outlook.com', port: 587, tls: 'starttls' },
    defaultClientId: THUNDERBIRD_MICROSOFT_CLIENT_ID,
    knownClients: [THUNDERBIRD_MICROSOFT],
    idleLimit: { days: 90, says: 'Microsoft ends a sign-in whose refresh token is unused for 90 days' },
    domains: OUTLOOK_COM_DOMAINS,
    // Outlook.com's own domains and its consumer custom domains.
    mx: [/\.olc\.protection\.outlook\.com\.?$/i],
    // Microsoft: tokens for personal accounts "may also be encrypted" (access-tokens doc): never read them.
    opaqueAccessTokens: true,
    // thunderbird-android#8024/#9089: the mailbox logs in as preferred_username, not the typed alias.
    loginIsSignInName: true,
  },
  {
    id: 'google',
    label: 'Gmail / Google Workspace',
    protocol: 'oauth2',
    authorityHost: 'https://accounts.google.com',
    defaultTenant: '',
    // Google's scope is a full URL of its own; no resource prefix, and no offline_access scope
    // (access_type=offline asks for the refresh token instead).
    scopePrefix: '',
    mailScopes: [GMAIL_SCOPE],
    imap: { host: 'imap.gmail.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.gmail.com', port: 465, tls: 'implicit' },
    defaultClientId: THUNDERBIRD_GOOGLE_CLIENT_ID,
    knownClients: [THUNDERBIRD_GOOGLE],
    domains: ['gmail.com', 'googlemail.com'],
    // Google Workspace: the classic aspmx set, and smtp.google.com (single MX since 2023); Gmail's own gmail-smtp-in.
    mx: [/(^|\.)(aspmx\.l\.google\.com|googlemail\.com|google\.com)\.?$/i],
    oauth2: {
      endpoints: { authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth', tokenEndpoint: 'https://oauth2.googleapis.com/token' },
      paths: { authorizationEndpoint: '/o/oauth2/v2/auth', tokenEndpoint: '/token' },
      defaultClientSecret: THUNDERBIRD_GOOGLE_CLIENT_SECRET,
      // offline: a refresh token; consent: one comes back even when the user consented before.
      authorizeParams: { access_type: 'offline', prompt: 'consent' },
      identityScopes: ['openid', 'email'],
      clientIdPattern: /^\d+-[a-z0-9]+\.apps\.googleusercontent\.com$/,
      clientIdExample: '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com',
      clientIdHelp: "Copy the client id of a \"Desktop app\" OAuth client from Google Cloud console → APIs & Services → Credentials, or leave --client-id out to use Thunderbird's",
      ownClientSetup: 'Your client needs: Google Cloud console → APIs & Services → Credentials → OAuth client ID of type "Desktop app",\n' +
        'and the scope https://mail.google.com/ on its OAuth consent screen (add yourself as a test user while it is in Testing).',
      ownClientSecret: 'required',
      errorRows: 'google',
      pageErrors: ['access_denied', 'org_internal', 'admin_policy_enforced', 'invalid_client', 'redirect_uri_mismatch'],
      noRefreshTokenFix: "Remove mailoauth's access at https://myaccount.google.com/permissions (access_type=offline and prompt=consent were asked for)",
    },
    ownClientNote: 'If your OAuth consent screen is in "Testing" publishing status, Google expires its refresh tokens after 7 days: ' +
        'publish the app ("In production") in Google Cloud console → APIs & Services → OAuth consent screen, or sign in again every week.',
    idleLimit: { days: 180, says: 'Google ends a sign-in whose refresh token is unused for 6 months' },
    ownClientLimit: { days: 7, says: 'Google ends sign-ins to apps whose consent screen is in "Testing" after 7 days (your own client; set it to "In production" to lift this)' },
    unsupportedFlows: {
      device: `Google offers no device-code sign-in for the Gmail scope (${GMAIL_SCOPE}).`,
      paste: 'Google has blocked the copy/paste (out-of-band) sign-in for desktop apps since 2022.',
    },
    opaqueAccessTokens: true,
  },
  ...THUNDERBIRD_PROVIDERS,
  {
    // Any OpenID Connect / OAuth2 provider (Keycloak, Authentik, ... in front of Dovecot's oauth2
    // passdb): endpoints from --issuer (discovery) or flags, the user's own client, --scope, hosts by flag.
    id: 'oidc',
    label: 'Another provider (OpenID Connect / OAuth2)',
    protocol: 'oauth2',
    authorityHost: '',
    defaultTenant: '',
    scopePrefix: '',
    mailScopes: [],
    // No known servers: setup asks for --imap-host and --smtp-host (implicit TLS ports by default).
    imap: { host: '', port: 993, tls: 'implicit' },
    smtp: { host: '', port: 465, tls: 'implicit' },
    defaultClientId: '',
    knownClients: [],
    domains: [],
    oauth2: {
      // A refresh token from an OpenID provider needs offline_access, and (OpenID Connect Core §11) consent.
      authorizeParams: { prompt: 'consent' },
      identityScopes: ['openid', 'email', 'offline_access'],
      clientIdPattern: /^[\x21-\x7e]{1,256}$/,
      clientIdExample: 'mailoauth',
      clientIdHelp: 'Use the client id the provider (its admin) registered for mailoauth',
      ownClientSetup: 'Your provider needs a client for mailoauth: a public ("native") client with the redirect http://127.0.0.1 (any port),\n' +
        'the authorization-code (with PKCE), refresh-token and, for --flow device, device-code grants, and the scopes its mail servers accept.',
      ownClientSecret: 'optional',
      errorRows: 'standard',
      noRefreshTokenFix: 'Allow the client the refresh_token grant and the offline_access scope at the provider',
    },
  },
];

export function providerById(id: string): Provider | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** The provider a domain alone decides (consumer mail domains), if any. */
export function providerForDomain(domain: string): Provider | undefined {
  const d = domain.toLowerCase();
  return PROVIDERS.find((p) => p.domains.includes(d));
}

/** The provider a domain alone decides (consumer domains); otherwise Microsoft 365. */
export function providerForEmail(email: string): Provider {
  return providerForDomain(domainOf(email)) ?? PROVIDERS[0]!;
}

/** Scopes to request: the provider's mail scopes with their resource prefix, plus offline_access (MSAL rows). */
export function fullScopes(p: Provider, extra: string[] = []): string[] {
  return [...[...p.mailScopes, ...extra].map((s) => p.scopePrefix + s), ...(p.oauth2 ? [] : ['offline_access'])];
}

/** The known public client with this id, if the provider has one. */
export function knownClient(p: Pick<Provider, 'knownClients'>, clientId: string): KnownClient | undefined {
  return p.knownClients.find((c) => c.id.toLowerCase() === clientId.toLowerCase());
}

/** The known public client with this id, whichever provider registered it. */
export function knownClientById(clientId: string): KnownClient | undefined {
  for (const p of PROVIDERS) {
    const c = knownClient(p, clientId);
    if (c) return c;
  }
  return undefined;
}

/** Whether the account signs in with the user's own client rather than the provider's default public one. */
export function isOwnClient(a: { provider: string; clientId: string }): boolean {
  return a.clientId !== providerById(a.provider)?.defaultClientId;
}
