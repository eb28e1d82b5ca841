import type { Account } from '../account.js';
import { isOwnClient, providerById } from '../providers/table.js';

const DAY = 86_400_000;
/** `doctor` and `list` warn this many days ahead. */
export const WARN_DAYS = 14;
/** `token` and `refresh` send a desktop notification (once a day) this many days ahead. */
export const NOTIFY_DAYS = 3;

export type ReauthBasis = 'idle' | 'testing-app' | 'sign-in-frequency';

/** The date by which a new sign-in will be needed, and why; `by: null` when nothing is known. */
export type ReauthDate =
  | { by: number; basis: ReauthBasis; why: string }
  | { by: null; basis: 'unknown'; why: string };

type Facts = Pick<Account, 'provider' | 'clientId' | 'createdAt' | 'lastRefreshAt' | 'signedInAt' | 'signInLifetime'>;

const time = (iso: string | undefined) => {
  const t = Date.parse(iso ?? '');
  return Number.isNaN(t) ? undefined : t;
};


/**
 * Each rule gives a date or nothing; the earliest date wins. A rule that a later successful refresh
 * disproves (a refresh after the date it predicted) no longer applies: the 7 days of a Google app in
 * "Testing" once the app turned out to be in production, a learned sign-in frequency once the
 * policy changed.
 */
const RULES: Array<(a: Facts) => { by: number; basis: ReauthBasis; why: string } | undefined> = [
  (a) => {
    // As `list` shows "refresh token last used": the last refresh, else the sign-in.
    const used = time(a.lastRefreshAt ?? a.signedInAt ?? a.createdAt);
    if (used === undefined) return undefined;
    const idle = providerById(a.provider)?.idleLimit;
    if (!idle) return undefined;
    return { by: used + idle.days * DAY, basis: 'idle', why: `${idle.says} (last used ${new Date(used).toISOString().slice(0, 10)}); a daily \`mailoauth refresh\` keeps it alive` };
  },
  (a) => {
    const limit = providerById(a.provider)?.ownClientLimit;
    const signedIn = time(a.signedInAt ?? a.createdAt);
    if (!limit || !isOwnClient(a) || signedIn === undefined) return undefined;
    const by = signedIn + limit.days * DAY;
    if ((time(a.lastRefreshAt) ?? 0) > by) return undefined;
    return { by, basis: 'testing-app', why: limit.says };
  },
  (a) => {
    const signedIn = time(a.signedInAt ?? a.createdAt);
    const learned = a.signInLifetime;
    if (!learned || signedIn === undefined) return undefined;
    const by = signedIn + learned.ms;
    if ((time(a.lastRefreshAt) ?? 0) > by) return undefined;
    return { by, basis: 'sign-in-frequency', why: `your organization ends sign-ins after about ${span(learned.ms)} (learned from ${learned.learnedFrom} on ${learned.at.slice(0, 10)})` };
  },
];

/** Pure: the re-auth date of an account from what accounts.json records. */
export function reauthDate(a: Facts): ReauthDate {
  const dates = RULES.map((r) => r(a)).filter((d) => d !== undefined);
  if (dates.length === 0) return { by: null, basis: 'unknown', why: 'no sign-in or refresh time is recorded' };
  return dates.reduce((x, y) => (y.by < x.by ? y : x));
}

/** What renews a sign-in before its date: a refresh keeps an idle one alive; the others need a new sign-in. */
const RENEW: Record<ReauthDate['basis'], (name: string) => string> = {
  idle: (n) => `Renew it now with: mailoauth refresh ${n} (and keep it renewed: mailoauth schedule --install)`,
  'testing-app': (n) => `Sign in again (mailoauth setup --reauth ${n}), or set the app "In production" in the Google Cloud console`,
  'sign-in-frequency': (n) => `Sign in again before then: mailoauth setup --reauth ${n}`,
  unknown: (n) => `mailoauth setup --reauth ${n}`,
};

export function renewAdvice(basis: ReauthDate['basis'], name: string): string {
  return RENEW[basis](name);
}

/** For people: "in 3 days" (a part of a day counts as one), or "overdue". */
export function inDays(by: number, now: number): string {
  if (by < now) return 'overdue';
  const n = Math.ceil((by - now) / DAY);
  return `in ${n} day${n === 1 ? '' : 's'}`;
}

/** Days left until `by`, rounded down (negative once passed). */
export function daysLeft(d: ReauthDate, now: number): number | null {
  return d.by === null ? null : Math.floor((d.by - now) / DAY);
}

export function span(ms: number): string {
  const h = Math.round(ms / 3_600_000);
  return h < 48 ? `${h} hours` : `${Math.round(h / 24)} days`;
}

/** AADSTS codes that mean "the sign-in reached the age a Conditional Access sign-in frequency allows". */
export const SIGN_IN_FREQUENCY_CODES: ReadonlySet<number> = new Set([70043, 50133]);

/**
 * What a refusal teaches: the sign-in lived from `signedInAt` to `now`, so the policy's frequency is at
 * most that (rounded down to whole hours; refreshes come at least hourly, so it is close).
 */
export function learnLifetime(a: Facts, aadsts: number | undefined, now: number): Account['signInLifetime'] {
  const signedIn = time(a.signedInAt ?? a.createdAt);
  if (aadsts === undefined || !SIGN_IN_FREQUENCY_CODES.has(aadsts) || signedIn === undefined || now - signedIn < 3_600_000) return a.signInLifetime;
  return { ms: Math.floor((now - signedIn) / 3_600_000) * 3_600_000, learnedFrom: `AADSTS${aadsts}`, at: new Date(now).toISOString() };
}
