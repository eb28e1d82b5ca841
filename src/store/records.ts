/**
 * What mailoauth keeps in the secret store, per account:
 *  - `<name>`          the access record: the current access token and its expiry (the `token` fast
 *                      path reads only this item);
 *  - `<name>/msal`     MSAL's serialized token cache minus access tokens: the refresh token and the
 *                      account/id-token entries MSAL needs to use it;
 *  - `<name>/oauth2`   plain-OAuth2 accounts (Google): the refresh token, and the client secret
 *                      when the user's own client has one (see OAuth2Record).
 */
export const accessKey = (name: string) => name;
export const msalKey = (name: string) => `${name}/msal`;
export const oauth2Key = (name: string) => `${name}/oauth2`;
/**
 * The item a store's probe writes and deletes to prove it works. Not an account's: account names cannot
 * hold a `/`, and no item kind is called "probe" (an account named "mailoauth-probe" once shared it).
 */
export const PROBE_KEY = 'mailoauth/probe';
/** Every item an account may have, whichever protocol wrote it (remove deletes them all). */
export const accountKeys = (name: string): string[] => [msalKey(name), oauth2Key(name), accessKey(name)];
/** The account whose access record `key` names; undefined for the other items (they hold a `/`). */
export const accessKeyName = (key: string): string | undefined => (key.includes('/') ? undefined : key);

/** What a plain-OAuth2 refresh needs besides the account's (non-secret) metadata. */
export interface OAuth2Record {
  v: 1;
  refreshToken: string;
  /** The user's own client's secret (never in accounts.json); absent for a default public client. */
  clientSecret?: string;
}

export function serializeOAuth2(r: Omit<OAuth2Record, 'v'>): string {
  return JSON.stringify({ v: 1, refreshToken: r.refreshToken, ...(r.clientSecret ? { clientSecret: r.clientSecret } : {}) });
}

/** undefined for anything that is not a record we wrote. */
export function parseOAuth2(text: string | null): OAuth2Record | undefined {
  if (!text) return undefined;
  try {
    const r = JSON.parse(text) as Partial<OAuth2Record>;
    if (r.v === 1 && typeof r.refreshToken === 'string' && r.refreshToken) {
      return { v: 1, refreshToken: r.refreshToken, ...(typeof r.clientSecret === 'string' && r.clientSecret ? { clientSecret: r.clientSecret } : {}) };
    }
  } catch {
    /* not ours */
  }
  return undefined;
}

export interface AccessRecord {
  v: 1;
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  scopes: string[];
}

/** The longest access-token lifetime believed: a platform's larger number is clamped to it. */
export const MAX_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Assumed when a platform gives no usable lifetime: the common hour. */
export const DEFAULT_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/**
 * An expiry from the platform's numbers, clamped to something a Date can hold and a refresh will
 * come before: `expires_in: 1e308` must neither store an invalid date (every later call failing) nor
 * a token that is never refreshed. `expiresAt` in epoch ms (MSAL's computed Date, or now + expires_in).
 */
export function clampExpiresAt(expiresAt: number | undefined, now: number): number {
  if (expiresAt === undefined || Number.isNaN(expiresAt)) return now + DEFAULT_TOKEN_LIFETIME_MS;
  return Math.min(expiresAt, now + MAX_TOKEN_LIFETIME_MS);
}

/** now + expires_in seconds (a number or numeric string), clamped; absent or not positive: the default. */
export function expiryFromSeconds(expiresIn: unknown, now: number): number {
  const n = Number(expiresIn);
  return Number.isFinite(n) && n > 0 ? clampExpiresAt(now + n * 1000, now) : now + DEFAULT_TOKEN_LIFETIME_MS;
}

export function serializeAccess(r: Omit<AccessRecord, 'v'>): string {
  return JSON.stringify({ v: 1, ...r });
}

/** undefined for anything that is not a record we wrote (treated as "no usable access token"). */
export function parseAccess(text: string | null): AccessRecord | undefined {
  if (!text) return undefined;
  try {
    const r = JSON.parse(text) as Partial<AccessRecord>;
    if (r.v === 1 && typeof r.accessToken === 'string' && r.accessToken && typeof r.expiresAt === 'number') {
      return { v: 1, accessToken: r.accessToken, expiresAt: r.expiresAt, scopes: Array.isArray(r.scopes) ? r.scopes : [] };
    }
  } catch {
    /* not ours */
  }
  return undefined;
}

/** Refresh when less than this is left (a token with 5 minutes or less left is refreshed; README "Performance"). */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export type TokenDecision = { use: AccessRecord } | { refresh: 'missing' | 'expiring' | 'asked' };

/** The fast path's whole decision. */
export function decideToken(rec: AccessRecord | undefined, now: number, marginMs = REFRESH_MARGIN_MS): TokenDecision {
  if (!rec) return { refresh: 'missing' };
  return rec.expiresAt - now > marginMs ? { use: rec } : { refresh: 'expiring' };
}

/** How long a token another process just fetched must still live for a queued caller to print it. */
export const FRESH_ENOUGH_MS = 60 * 1000;

/**
 * The decision of a caller that queued for the refresh lock after seeing `seen`. A record another
 * process wrote meanwhile is used even inside the 5-minute margin: when the provider issues tokens
 * that live less than the margin, a fresh one is the best there is, and refreshing again for every
 * queued caller would turn one refresh into one per caller.
 */
export function decideUnderLock(current: AccessRecord | undefined, seen: AccessRecord | undefined, now: number): TokenDecision {
  const d = decideToken(current, now);
  if ('use' in d || !current || current.accessToken === seen?.accessToken) return d;
  return current.expiresAt - now > FRESH_ENOUGH_MS ? { use: current } : d;
}

/**
 * `mailoauth refresh`: refresh now, however long the token has left, unless another process
 * refreshed since this one looked (`seen`): then its token is as new as ours would be.
 */
export function decideForcedUnderLock(current: AccessRecord | undefined, seen: AccessRecord | undefined, now: number): TokenDecision {
  if (current && current.accessToken !== seen?.accessToken && current.expiresAt - now > FRESH_ENOUGH_MS) return { use: current };
  return { refresh: current ? 'asked' : 'missing' };
}

interface SerializedMsalCache {
  Account?: Record<string, unknown>;
  IdToken?: Record<string, unknown>;
  AccessToken?: Record<string, unknown>;
  RefreshToken?: Record<string, { secret?: string }>;
  AppMetadata?: Record<string, unknown>;
}

/** Access tokens are kept in the access record; the MSAL item keeps only what a refresh needs. */
export function trimMsalCache(serialized: string): string {
  const c = JSON.parse(serialized) as SerializedMsalCache;
  c.AccessToken = {};
  return JSON.stringify(c);
}

export function hasRefreshToken(serialized: string | null): boolean {
  if (!serialized) return false;
  try {
    const c = JSON.parse(serialized) as SerializedMsalCache;
    return Object.values(c.RefreshToken ?? {}).some((rt) => typeof rt?.secret === 'string' && rt.secret.length > 0);
  } catch {
    return false;
  }
}
