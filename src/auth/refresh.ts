import type { Account } from '../account.js';
import { envMs } from '../deps.js';
import { updateAccounts } from '../store/accounts.js';
import { withLock } from '../store/lock.js';
import { ExitCode, UserError } from '../errors.js';
import { learnLifetime } from '../reauth/reauth-date.js';
import { accessKey, decideForcedUnderLock, decideUnderLock, parseAccess, serializeAccess, type AccessRecord } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';
import { refresherFor } from './refreshers.js';

export interface RefreshDeps {
  env: NodeJS.ProcessEnv;
  now(): number;
  log?: (line: string) => void;
}

/**
 * The slow path of `mailoauth token`: one refresh per account at a time, across processes.
 * Whoever gets the lock first refreshes; everyone queued behind it finds a fresh access record and
 * returns it without a request of its own, and without ever loading MSAL. `seen` is the record the
 * caller found before it queued: one written since counts as fresh (see decideUnderLock).
 * The protocol (MSAL, plain OAuth2) is the account's adapter's business: it stores a rotated refresh
 * token before it returns; this stores the access record before the caller prints it.
 */
export async function refreshUnderLock(d: RefreshDeps, account: Account, store: SecretStore, seen?: AccessRecord, o: { force?: boolean } = {}): Promise<AccessRecord> {
  const waitMs = envMs(d.env, 'MAILOAUTH_LOCK_WAIT_MS', 90_000);
  const staleMs = envMs(d.env, 'MAILOAUTH_LOCK_STALE_MS', 10_000);
  d.log?.('waiting for the refresh lock');
  return withLock(d.env, `token-${account.name}`, { waitMs, staleMs }, async () => {
    d.log?.('holding the refresh lock');
    const again = (o.force ? decideForcedUnderLock : decideUnderLock)(parseAccess(await store.get(accessKey(account.name))), seen, d.now());
    if ('use' in again) {
      d.log?.('another process refreshed while we waited; using its token');
      return again.use;
    }
    const refresh = await refresherFor(account)();
    const rec = await refresh(d, account, store).catch(async (e: unknown) => {
      await learnFromRefusal(d, account, e);
      throw e;
    });
    await store.set(accessKey(account.name), serializeAccess(rec));
    d.log?.('stored the access token');
    // Bookkeeping only: a busy accounts file must not cost the caller its token.
    await updateAccounts(d.env, (f) => ({
      ...f,
      accounts: f.accounts.map((a) => (a.name === account.name ? { ...a, lastRefreshAt: new Date(d.now()).toISOString() } : a)),
    })).then(() => d.log?.('recorded the refresh time'), (e) => d.log?.(`could not record the refresh time: ${(e as Error).message}`));
    return rec;
  });
}

/**
 * A refusal that says how long sign-ins last here (AADSTS70043/50133) is kept in accounts.json, so
 * the next sign-in's re-auth date is known (src/reauth/). Bookkeeping only, like lastRefreshAt.
 */
async function learnFromRefusal(d: RefreshDeps, account: Account, e: unknown): Promise<void> {
  if (!(e instanceof UserError) || e.exitCode !== ExitCode.ReloginNeeded) return;
  const learned = learnLifetime(account, e.aadsts, d.now());
  if (learned === account.signInLifetime) return;
  await updateAccounts(d.env, (f) => ({ ...f, accounts: f.accounts.map((a) => (a.name === account.name ? { ...a, signInLifetime: learned } : a)) }))
    .then(() => d.log?.(`learned the sign-in lifetime: ${learned?.ms} ms`), (err) => d.log?.(`could not record the sign-in lifetime: ${(err as Error).message}`));
}
