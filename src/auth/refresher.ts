import type { Account } from '../account.js';
import type { AccessRecord } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';
import type { Tuning } from '../tuning.js';

/** What a refresh needs from the edges. */
export interface RefreshDeps {
  env: NodeJS.ProcessEnv;
  tuning: Tuning;
  now(): number;
  log?: (line: string) => void;
}

/**
 * THE REFRESH SEAM: one adapter per token protocol (msal-refresh.ts, oauth2-refresh.ts; registered
 * in refreshers.ts). Called with the account's refresh lock held, it trades the stored refresh token
 * for an access token and stores a rotated refresh token before returning; storing the access record
 * and everything around it (lock, recheck, exit codes) stays in refresh.ts.
 */
export type Refresher = (d: RefreshDeps, account: Account, store: SecretStore) => Promise<AccessRecord>;
