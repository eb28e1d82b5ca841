import type { Deps } from '../deps.js';
import { findAccount, readAccounts } from '../store/accounts.js';
import { openStore } from '../store/open-store.js';
import { accessKey, decideToken, parseAccess, type AccessRecord } from '../store/records.js';

export interface TokenOptions {
  xoauth2?: boolean;
  json?: boolean;
}

/**
 * `mailoauth token ACCOUNT`: the hot path, run by mail clients on every connect. On a cache hit it
 * reads accounts.json and one keychain item and loads nothing else: MSAL and the lock are imported
 * only when a refresh is due.
 */
export async function tokenCommand(d: Deps, name: string, o: TokenOptions): Promise<void> {
  const account = findAccount(readAccounts(d.env), name);
  const store = openStore(account.store, d.env);
  const t0 = d.now();
  const log = d.debug ? (l: string) => d.stderr.write(`mailoauth [+${d.now() - t0} ms]: ${l}\n`) : undefined;
  const decision = decideToken(parseAccess(await store.get(accessKey(account.name))), d.now());
  let rec: AccessRecord;
  if ('use' in decision) {
    rec = decision.use;
    log?.(`cached access token valid for ${Math.round((rec.expiresAt - d.now()) / 1000)} s`);
  } else {
    log?.(`access token ${decision.refresh}; refreshing`);
    const { refreshUnderLock } = await import('../auth/refresh.js');
    rec = await refreshUnderLock({ env: d.env, now: d.now, log }, account, store);
  }
  d.stdout.write(formatToken(rec, account.email, account.name, o) + '\n');
}

export function formatToken(rec: AccessRecord, email: string, name: string, o: TokenOptions): string {
  if (o.json) {
    return JSON.stringify({ access_token: rec.accessToken, expires_at: new Date(rec.expiresAt).toISOString(), account: name, scopes: rec.scopes });
  }
  if (o.xoauth2) return xoauth2(email, rec.accessToken);
  return rec.accessToken;
}

/** SASL XOAUTH2 initial response, base64 (what imaplib/Alpine-style helpers want). */
export function xoauth2(user: string, token: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
}
