import type { Account } from '../account.js';
import type { Log } from '../debug-log.js';
import type { Deps } from '../deps.js';
import { findAccount, readAccounts } from '../store/accounts.js';
import { openStore } from '../store/open-store.js';
import type { LockedRefresh } from '../auth/refresh.js';
import { accessKey, decideToken, parseAccess, type AccessRecord } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';
import { testPause } from '../test-pause.js';

/**
 * How `token` got its access record: the stored one (`cache`), a refresh by this process, or a
 * refresh by another process it queued behind at the lock (`peer-refreshed`). Callers switch on
 * `kind` (doctor says which; --debug names it), never on log lines.
 */
export type TokenOutcome = { kind: 'cache'; rec: AccessRecord } | LockedRefresh;

export type TokenDeps = Pick<Deps, 'env' | 'tuning' | 'now' | 'canPrompt'>;

/**
 * A valid access record for `account`: on a cache hit it reads the runtime cache or one store item,
 * and loads nothing else; MSAL and the lock are imported only when a refresh is due.
 */
export async function accessRecordFor(d: TokenDeps, account: Account, log?: Log): Promise<TokenOutcome> {
  const store = openStore(account, d, log);
  const seen = parseAccess(await store.get(accessKey(account.name)));
  const decision = decideToken(seen, d.now());
  if ('use' in decision) {
    log?.(`cached access token valid for ${Math.round((decision.use.expiresAt - d.now()) / 1000)} s`);
    return { kind: 'cache', rec: decision.use };
  }
  log?.(`access token ${decision.refresh}; refreshing`);
  return underLock(d, account, store, seen, log, false);
}

/** `mailoauth refresh`: refresh however long the stored token has left (unless a peer just did). */
export async function refreshNow(d: TokenDeps, account: Account, log?: Log): Promise<LockedRefresh> {
  const store = openStore(account, d, log);
  const seen = parseAccess(await store.get(accessKey(account.name)));
  log?.('refreshing as asked');
  return underLock(d, account, store, seen, log, true);
}

async function underLock(d: TokenDeps, account: Account, store: SecretStore, seen: AccessRecord | undefined, log: Log | undefined, force: boolean): Promise<LockedRefresh> {
  const { refreshUnderLock } = await import('../auth/refresh.js');
  const outcome = await refreshUnderLock({ env: d.env, tuning: d.tuning, now: d.now, log }, account, store, seen, { force });
  await testPause(d.tuning.testPauseAt, 'after-store');
  return outcome;
}

/** The account named `name` (accounts.json) and its access record, as accessRecordFor gets it. */
export async function getAccessRecord(d: TokenDeps, name: string, log?: Log): Promise<{ account: Account; outcome: TokenOutcome }> {
  const account = findAccount(readAccounts(d.env), name);
  return { account, outcome: await accessRecordFor(d, account, log) };
}
