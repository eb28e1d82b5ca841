import type { Account } from '../account.js';
import type { Deps } from '../deps.js';
import { daysLeft, inDays, reauthDate, renewAdvice, WARN_DAYS, type ReauthDate } from '../reauth/reauth-date.js';
import { readAccounts } from '../store/accounts.js';
import { openStore } from '../store/open-store.js';
import { accessKey, parseAccess } from '../store/records.js';
import { KeychainUnavailable, type SecretStore } from '../store/secret-store.js';

const DAY = 86_400_000;

export type TokenState = 'valid' | 'expired' | 'none' | 'keychain-unavailable' | 'unreadable';

export interface ListRow {
  account: string;
  provider: string;
  email: string;
  /** A shared mailbox's account: who signs in for it (the token is theirs); null otherwise. */
  signedInAs: string | null;
  store: Account['store'];
  tokenState: TokenState;
  /** ISO time the stored access token expires, when there is one. */
  tokenExpiresAt: string | null;
  /** ISO time the refresh token was last used (last refresh, else sign-in); null when unrecorded. */
  refreshTokenLastUsedAt: string | null;
  refreshTokenAgeDays: number | null;
  /** ISO date by which a new sign-in will be needed; null when unknown (src/reauth/reauth-date.ts). */
  reauthBy: string | null;
  reauthBasis: ReauthDate['basis'];
  /** Why that date. */
  reauthWhy: string;
  warnings: string[];
}

/** The pure part: one row from the metadata and what the store said. */
export function listRow(a: Account, token: { state: TokenState; expiresAt?: number }, now: number): ListRow {
  const lastUsed = Date.parse(a.lastRefreshAt ?? a.createdAt ?? '');
  const age = Number.isNaN(lastUsed) ? null : Math.max(0, Math.floor((now - lastUsed) / DAY));
  const reauth = reauthDate(a);
  const left = daysLeft(reauth, now);
  const warnings: string[] = [];
  if (reauth.by !== null && left !== null && left <= WARN_DAYS) {
    warnings.push(`${a.name} must be signed in again ${left < 0 ? 'now' : `by ${day(reauth.by)}`}: ${reauth.why}. ${renewAdvice(reauth.basis, a.name)}`);
  }
  return {
    account: a.name,
    provider: a.provider,
    email: a.email,
    signedInAs: a.delegate ?? null,
    store: a.store,
    tokenState: token.state,
    tokenExpiresAt: token.expiresAt !== undefined ? new Date(token.expiresAt).toISOString() : null,
    refreshTokenLastUsedAt: Number.isNaN(lastUsed) ? null : new Date(lastUsed).toISOString(),
    refreshTokenAgeDays: age,
    reauthBy: reauth.by === null ? null : new Date(reauth.by).toISOString(),
    reauthBasis: reauth.basis,
    reauthWhy: reauth.why,
    warnings,
  };
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The date, and how far: "2025-03-01 (in 40 days)". */
export function formatReauth(r: ListRow, now: number): string {
  if (r.reauthBy === null) return 'unknown';
  const t = Date.parse(r.reauthBy);
  return `${day(t)} (${inDays(t, now)})`;
}

export function formatExpiry(r: ListRow, now: number): string {
  if (r.tokenState === 'valid' || r.tokenState === 'expired') {
    const left = Date.parse(r.tokenExpiresAt!) - now;
    return left > 0 ? `in ${span(left)}` : `expired ${span(-left)} ago (renewed on next use)`;
  }
  return { none: 'none stored (fetched on next use)', 'keychain-unavailable': 'keychain unavailable', unreadable: 'unreadable' }[r.tokenState];
}

function span(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 90) return `${min} min`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} days`;
}

function lastUsedText(days: number | null): string {
  if (days === null) return 'unknown';
  return days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`;
}

export function formatTable(rows: ListRow[], now: number): string {
  const head = ['ACCOUNT', 'PROVIDER', 'EMAIL', 'ACCESS TOKEN', 'REFRESH TOKEN LAST USED', 'SIGN IN AGAIN BY'];
  const body = rows.map((r) => [
    r.account,
    r.provider,
    r.signedInAs ? `${r.email} (as ${r.signedInAs})` : r.email,
    formatExpiry(r, now),
    lastUsedText(r.refreshTokenAgeDays),
    `${formatReauth(r, now)}${r.warnings.length ? ' (soon!)' : ''}`,
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width[i]!))).join('  ')).join('\n') + '\n';
}

/**
 * `mailoauth list [--json]`: every account with its access-token expiry (read from the store), how
 * long ago its refresh token was last used, and the date a new sign-in will be needed. A keychain that does not answer marks its rows
 * "keychain unavailable" instead of failing the listing, and is asked only once.
 */
export async function listAccounts(d: Deps, o: { json: boolean }): Promise<void> {
  const { accounts } = readAccounts(d.env);
  const stores = new Map<Account['store'], SecretStore | 'unavailable'>();
  const rows: ListRow[] = [];
  for (const a of accounts) {
    let store = stores.get(a.store);
    if (!store) stores.set(a.store, (store = openStore(a, d)));
    let token: { state: TokenState; expiresAt?: number };
    if (store === 'unavailable') {
      token = { state: 'keychain-unavailable' };
    } else {
      try {
        const rec = parseAccess(await store.get(accessKey(a.name)));
        token = rec ? { state: rec.expiresAt > d.now() ? 'valid' : 'expired', expiresAt: rec.expiresAt } : { state: 'none' };
      } catch (e) {
        if (e instanceof KeychainUnavailable) {
          stores.set(a.store, 'unavailable');
          token = { state: 'keychain-unavailable' };
        } else {
          token = { state: 'unreadable' };
          d.stderr.write(`warning: could not read the stored token of ${a.name}: ${(e as Error).message}\n`);
        }
      }
    }
    rows.push(listRow(a, token, d.now()));
  }
  if (o.json) {
    d.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else if (rows.length === 0) {
    d.stderr.write('No accounts yet. Set one up with: mailoauth setup\n');
  } else {
    d.stdout.write(formatTable(rows, d.now()));
  }
  for (const w of rows.flatMap((r) => r.warnings)) d.stderr.write(`warning: ${w}\n`);
  if ([...stores.values()].includes('unavailable')) {
    d.stderr.write(`warning: the OS keychain did not answer, so token expiry is unknown; see: mailoauth doctor\n`);
  }
}
