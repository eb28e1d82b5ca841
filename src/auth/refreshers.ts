import type { Account } from '../account.js';
import type { Refresher } from './refresher.js';

/** Loaded only when a refresh is due, and only the one the account needs (MSAL costs ~60 ms to load). */
const REFRESHERS: Record<NonNullable<Account['auth']>, () => Promise<Refresher>> = {
  msal: async () => (await import('./msal-refresh.js')).refreshWithMsal,
  oauth2: async () => (await import('./oauth2-refresh.js')).refreshWithOAuth2,
};

/** The adapter for an account; accounts written before there was a choice are MSAL's. */
export function refresherFor(account: Pick<Account, 'auth'>): () => Promise<Refresher> {
  return REFRESHERS[account.auth ?? 'msal'] ?? REFRESHERS.msal;
}
