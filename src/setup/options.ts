/** `mailoauth setup`'s flags as commander hands them over (strings, unchecked): planSetup checks them. */
export interface SetupOptions {
  email?: string;
  name?: string;
  provider?: string;
  clientId?: string;
  /** Name of the environment variable holding the client secret (plain-OAuth2 providers). */
  clientSecretEnv?: string;
  tenant?: string;
  /** public, usgov, usgov-dod or china (src/providers/clouds.ts). */
  cloud?: string;
  /** A shared mailbox opened with the signed-in user's token (`--email` is then the user who signs in). */
  mailbox?: string;
  /** The identity the platform will report when it is not --email (an Outlook.com alias, a UPN): accepted without asking. */
  expectUser?: string;
  /** Standards OAuth2 providers: the issuer whose metadata names the endpoints (OpenID discovery, RFC 8414). */
  issuer?: string;
  /** ...or the endpoints themselves. */
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  deviceAuthorizationEndpoint?: string;
  /** The scopes the provider's mail servers accept, space- or comma-separated. */
  scope?: string;
  flow?: string;
  store?: string;
  /** --store gpg: the key the secrets are encrypted to. */
  gpgRecipient?: string;
  authority?: string;
  redirectUri?: string;
  port?: string;
  imapHost?: string;
  imapPort?: string;
  smtpHost?: string;
  smtpPort?: string;
  verify?: boolean;
  /** xoauth2 or oauthbearer, for both servers: without it setup uses what the servers offer (XOAUTH2 first). */
  sasl?: string;
  yes?: boolean;
  reauth?: string;
  clients?: string;
  caFile?: string;
  maildir?: string;
  dryRun?: boolean;
  force?: boolean;
}
