import type { Account } from '../account.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { maybeAlert } from '../reauth/maybe-alert.js';
import { findAccount, readAccounts } from '../store/accounts.js';
import { openStore } from '../store/open-store.js';
import { accessKey, decideToken, parseAccess, type AccessRecord, type TokenDecision } from '../store/records.js';
import { formatToken, type TokenOptions } from '../token-format.js';

export { formatToken, xoauth2, type TokenOptions } from '../token-format.js';

/**
 * A valid access record for account `name`: on a cache hit it reads accounts.json and the runtime
 * cache or one store item, and loads nothing else; MSAL and the lock are imported only when a refresh
 * is due.
 */
export async function getAccessRecord(d: Deps, name: string, log?: (line: string) => void): Promise<{ account: Account; rec: AccessRecord }> {
  const account = findAccount(readAccounts(d.env), name);
  return { account, rec: await accessRecordFor(d, account, log) };
}

/** `force`: refresh however long the stored token has left (`mailoauth refresh`). */
export async function accessRecordFor(d: Deps, account: Account, log?: (line: string) => void, o: { force?: boolean } = {}): Promise<AccessRecord> {
  const store = openStore(account, d.env, { now: d.now, log, interactive: d.isTTY });
  const seen = parseAccess(await store.get(accessKey(account.name)));
  const decision: TokenDecision = o.force ? { refresh: 'asked' } : decideToken(seen, d.now());
  if ('use' in decision) {
    log?.(`cached access token valid for ${Math.round((decision.use.expiresAt - d.now()) / 1000)} s`);
    return decision.use;
  }
  log?.(`access token ${decision.refresh}; refreshing`);
  const { refreshUnderLock } = await import('../auth/refresh.js');
  const rec = await refreshUnderLock({ env: d.env, now: d.now, log }, account, store, seen, o);
  if (d.env.MAILOAUTH_TEST_PAUSE_AT) await (await import('../test-pause.js')).testPause(d.env, 'after-store');
  return rec;
}

/**
 * `mailoauth token ACCOUNT`: the hot path, run by mail clients on every connect. After the token is
 * out (or the refresh was refused for good), the user is alerted, once a day, when the account's
 * sign-in ended or ends within days (src/reauth/).
 */
export async function tokenCommand(d: Deps, name: string, o: TokenOptions): Promise<void> {
  const log = debugLog(d);
  const account = findAccount(readAccounts(d.env), name);
  let rec: AccessRecord;
  try {
    rec = await accessRecordFor(d, account, log);
  } catch (e) {
    if (e instanceof UserError && e.exitCode === ExitCode.ReloginNeeded) await maybeAlert(d, account, e, { log });
    throw e;
  }
  d.stdout.write(formatToken(rec, account.email, account.name, o) + '\n');
  await maybeAlert(d, account, undefined, { log });
}

/** --debug lines on stderr, timed from the call; they name what happens, never a token. */
export function debugLog(d: Deps): ((line: string) => void) | undefined {
  const t0 = d.now();
  return d.debug ? (l: string) => d.stderr.write(`mailoauth [+${d.now() - t0} ms]: ${l}\n`) : undefined;
}
