import type { Account } from '../account.js';
import type { AccessRecord } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';
import type { RefreshDeps } from './refresh.js';

/**
 * One adapter per token protocol. Called with the account's refresh lock held, it trades the stored
 * refresh token for an access token and stores a rotated refresh token before returning; storing the
 * access record and everything around it (lock, recheck, exit codes) stays in refresh.ts.
 */
export type Refresher = (d: RefreshDeps, account: Account, store: SecretStore) => Promise<AccessRecord>;

/** Loaded only when a refresh is due, and only the one the account needs (MSAL costs ~60 ms to load). */
const REFRESHERS: Record<NonNullable<Account['auth']>, () => Promise<Refresher>> = {
  msal: async () => (await import('./msal-refresh.js')).refreshWithMsal,
  oauth2: async () => (await import('./oauth2-refresh.js')).refreshWithOAuth2,
};

/** The adapter for an account; accounts written before there was a choice are MSAL's. */
export function refresherFor(account: Pick<Account, 'auth'>): () => Promise<Refresher> {
  return REFRESHERS[account.auth ?? 'msal'] ?? REFRESHERS.msal;
}
