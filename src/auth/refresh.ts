import type { Account } from '../account.js';
import { updateAccounts } from '../store/accounts.js';
import { withLock } from '../store/lock.js';
import { ExitCode, UserError } from '../errors.js';
import { learnLifetime } from '../reauth/reauth-date.js';
import { accessKey, decideForcedUnderLock, decideUnderLock, parseAccess, serializeAccess, type AccessRecord } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';
import type { RefreshDeps } from './refresher.js';
import { refresherFor } from './refreshers.js';

/** How a refresh under the lock ended: this process refreshed, or a peer did while it queued. */
export type LockedRefresh = { kind: 'refreshed' | 'peer-refreshed'; rec: AccessRecord };

/**
 * The slow path of `mailoauth token`: one refresh per account at a time, across processes.
 * Whoever gets the lock first refreshes; everyone queued behind it finds a fresh access record and
 * returns it without a request of its own, and without ever loading MSAL. `seen` is the record the
 * caller found before it queued: one written since counts as fresh (see decideUnderLock).
 * The protocol (MSAL, plain OAuth2) is the account's adapter's business: it stores a rotated refresh
 * token before it returns; this stores the access record before the caller prints it.
 */
export async function refreshUnderLock(d: RefreshDeps, account: Account, store: SecretStore, seen?: AccessRecord, o: { force?: boolean } = {}): Promise<LockedRefresh> {
  d.log?.('lock: waiting for the refresh lock');
  return withLock(d.env, `token-${account.name}`, d.tuning.lock, async (): Promise<LockedRefresh> => {
    d.log?.('lock: holding the refresh lock');
    const again = (o.force ? decideForcedUnderLock : decideUnderLock)(parseAccess(await store.get(accessKey(account.name))), seen, d.now());
    if ('use' in again) {
      d.log?.('lock: another process refreshed while we waited; using its token');
      return { kind: 'peer-refreshed', rec: again.use };
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
    return { kind: 'refreshed', rec };
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
