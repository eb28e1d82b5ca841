import type { SaslChoices } from './auth/sasl.js';

/** What mailoauth knows about one mailbox. Everything here is non-secret; tokens live in the SecretStore. */
export type TlsMode = 'implicit' | 'starttls';

export interface Endpoint {
  host: string;
  port: number;
  tls: TlsMode;
}

export type StoreKind = 'keychain' | 'file' | 'gpg';

/** Where a plain-OAuth2 provider signs in and refreshes. */
export interface OAuth2Endpoints {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** RFC 8628: present when the provider offers the device-code sign-in. */
  deviceAuthorizationEndpoint?: string;
  /** OpenID Connect: who signed in, when the id token does not carry an email. */
  userinfoEndpoint?: string;
  revocationEndpoint?: string;
  /** The issuer the endpoints were discovered from (--issuer); discovery runs again on --reauth only if they are missing. */
  issuer?: string;
}

export interface Account {
  /** ACCOUNT everywhere: the email unless --name gave a shorter one. Safe alphabet, see accountName.ts. */
  name: string;
  /** The login user: the SASL XOAUTH2 `user=` and the IMAP/SMTP username. */
  email: string;
  /** Row id in src/providers/table.ts. */
  provider: string;
  /** Microsoft cloud (src/providers/clouds.ts); absent means the worldwide one. */
  cloud?: string;
  /**
   * Shared mailbox: the user who signs in (and whose token it is) when `email` is a shared mailbox
   * that user has full access to. Absent for a normal mailbox (then the signed-in user is `email`).
   */
  delegate?: string;
  /**
   * Which adapter refreshes the token (src/auth/refreshers.ts): absent or 'msal' = MSAL (Microsoft
   * identity platform), 'oauth2' = plain OAuth2 (Google).
   */
  auth?: 'msal' | 'oauth2';
  /** 'oauth2' accounts: the endpoints (the provider's, or under --authority). */
  oauth2?: OAuth2Endpoints;
  clientId: string;
  tenant: string;
  /** Full authority URL, e.g. https://login.microsoftonline.com/organizations */
  authority: string;
  scopes: string[];
  imap: Endpoint;
  smtp: Endpoint;
  /**
   * The SASL mechanism each server needs and the config blocks use (src/auth/sasl.ts); absent, or a
   * protocol absent, means XOAUTH2. Setup records OAUTHBEARER where a server offers no XOAUTH2.
   */
  sasl?: SaslChoices;
  store: StoreKind;
  /** `--store gpg`: the GPG key the secrets are encrypted to (key id, fingerprint or user id). */
  gpgRecipient?: string;
  /** MSAL's homeAccountId of the signed-in user, to find it again in the MSAL cache. */
  homeAccountId?: string;
  /** The authority's OpenID document saved at sign-in, so a refresh needs no discovery request. */
  authorityMetadata?: string;
  /** Redirect URI used at sign-in (browser/paste flows), kept for --reauth. */
  redirectUri?: string;
  createdAt: string;
  lastRefreshAt?: string;
  /** When the user last signed in (setup or --reauth); absent in accounts written before it was kept. */
  signedInAt?: string;
  /**
   * A sign-in lifetime learned from the provider refusing a refresh for it (Conditional Access sign-in
   * frequency, AADSTS70043/50133): the time from sign-in to that refusal. See src/reauth/.
   */
  signInLifetime?: { ms: number; learnedFrom: string; at: string };
}
