import type { Account } from '../account.js';
import type { Deps } from '../deps.js';
import type { SecretStore } from '../store/secret-store.js';
import type { SignedInIdentity } from './identity.js';
import type { Flow } from './flow.js';

/**
 * THE PROTOCOL SEAM. Every way of getting tokens — MSAL for Microsoft's identity platform, standards
 * OAuth2/OpenID Connect for everyone else (Google, the providers Thunderbird ships clients for, any
 * issuer by discovery) — is one adapter behind these four parts. Setup, the wizard, token, refresh,
 * verify, doctor and list never branch on the protocol; a provider row (src/providers/table.ts) says
 * which adapter it uses and carries every fact the adapter needs.
 *
 *  1. plan     — pure and light, loaded by every setup: turns flags, the stored account and the
 *                provider row into the account's protocol fields (client id, tenant or endpoints,
 *                authority, scopes). src/setup/plan-msal.ts, src/setup/plan-oauth2.ts (PLANNERS in
 *                src/setup/plan.ts). Bad input is a usage error here, before any request.
 *  2. prepare  — optional, network: what the plan could not know offline (OpenID/RFC 8414 discovery
 *                of an issuer's endpoints). Runs after the store is proven writable.
 *  3. signIn   — the flow the plan chose (device code, browser + PKCE on a loopback listener,
 *                paste the redirected address), as the provider allows: returns what must be stored
 *                and who signed in; stores nothing. A redirect nobody answers ends in the typed
 *                NoBrowserAnswer; a platform's refusal in a PlatformError carrying its code.
 *  4. refresh  — src/auth/refreshers.ts: with the account's lock held, trade the stored refresh
 *                token for an access token, storing a rotated refresh token before returning.
 *
 * Errors are described by the adapter (AADSTS rows for MSAL, the provider row's OAuth2 error rows
 * for the rest) and come out as UserErrors with their exit code and fix.
 *
 * Setup then commits in one order for every protocol (src/setup/commit.ts): the secrets, then the
 * access record, then the account's metadata — an interruption leaves the old account or the new one.
 * The adapters are registered in src/auth/protocols.ts.
 */
export type ProtocolId = NonNullable<Account['auth']>;

export interface SignInRequest {
  /** The planned account (not yet stored). */
  account: Omit<Account, 'createdAt'> & { createdAt?: string };
  /** Who signs in (the account's email, or a shared mailbox's delegate). */
  signInUser: string;
  flow: Flow;
  /** The redirect for this attempt (auth/redirects.ts decided it); none for device code. */
  redirectUri?: string;
  port?: number;
  /** The user's own client's secret, from --client-secret-env for this run. */
  clientSecret?: string;
  /** The store, to read what an earlier sign-in kept (an own client's secret on --reauth). */
  store: SecretStore;
}

export interface SignInOutcome {
  /** Items for the secret store, written first: the refresh token lives in one of them. */
  secrets: Array<{ key: string; value: string }>;
  access: { accessToken: string; expiresAt: number; scopes: string[] };
  /** Who the platform says signed in, and which tenant the request was for (checked before anything is stored). */
  identity: SignedInIdentity & { expectedTenant?: string };
  /** What the account keeps from this sign-in (MSAL's account id and metadata; the redirect used). */
  keep: Partial<Account>;
  /** Said to the user before signing in (an own client's 7-day note...). */
  notes?: string[];
}

export interface SignInProtocol {
  /** Step 2: fill in, over the network, what the plan could not know. Returns the account as it will be stored. */
  prepare?(d: Deps, account: SignInRequest['account']): Promise<SignInRequest['account']>;
  /** Step 3. */
  signIn(d: Deps, req: SignInRequest): Promise<SignInOutcome>;
}
