import type { Account } from '../account.js';
import type { SignInOutcome } from '../auth/protocol.js';
import { updateAccounts, upsertAccount } from '../store/accounts.js';
import { accessKey, serializeAccess } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';

/**
 * What a sign-in leaves behind, in the one order every protocol uses: the secrets (the refresh token)
 * first, then the access record, then the account's metadata that points at them. An interruption
 * between two steps leaves the old account working or the new one complete, never metadata pointing
 * at secrets that are not there.
 */
export async function commitSignIn(env: NodeJS.ProcessEnv, store: SecretStore, account: Account, s: Pick<SignInOutcome, 'secrets' | 'access'>): Promise<void> {
  for (const { key, value } of s.secrets) await store.set(key, value);
  await store.set(accessKey(account.name), serializeAccess(s.access));
  await updateAccounts(env, (f) => upsertAccount(f, account));
}
