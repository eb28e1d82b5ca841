import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { THUNDERBIRD_GOOGLE_CLIENT_ID } from '../../src/providers/table.js';
import { alertFor } from '../../src/reauth/alert.js';
import { learnLifetime, reauthDate } from '../../src/reauth/reauth-date.js';
import { reauthFinding } from '../../src/reauth/reauth-finding.js';
import { claimToday, localDay } from '../../src/reauth/send-alert.js';
import { decideForcedUnderLock } from '../../src/store/records.js';

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-15T12:00:00Z');
const iso = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
const OWN_GOOGLE = '123-abc.apps.googleusercontent.com';

function account(o: Partial<Account> = {}): Account {
  return {
    name: 'work', email: 'alice@contoso.example', provider: 'microsoft365', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753',
    tenant: 'organizations', authority: 'https://login.microsoftonline.com/organizations', scopes: [],
    imap: { host: 'h', port: 993, tls: 'implicit' }, smtp: { host: 'h', port: 587, tls: 'starttls' }, store: 'keychain',
    createdAt: iso(200), ...o,
  };
}
const google = (o: Partial<Account> = {}) => account({ provider: 'google', email: 'a@gmail.com', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, ...o });

describe('reauthDate: the earliest date any rule gives', () => {
  it.each([
    ['Microsoft, refreshed 10 days ago: 90 days after that', account({ lastRefreshAt: iso(10) }), 80, 'idle'],
    ['Microsoft, never refreshed: 90 days after sign-in', account({ createdAt: iso(30), lastRefreshAt: undefined }), 60, 'idle'],
    ['Google\'s own (production) client: 6 months unused', google({ lastRefreshAt: iso(10) }), 170, 'idle'],
    ['own Google client, signed in 2 days ago: 7 days ("Testing")', google({ clientId: OWN_GOOGLE, signedInAt: iso(2), lastRefreshAt: iso(0) }), 5, 'testing-app'],
    ['own Google client that kept working past 7 days: it is in production', google({ clientId: OWN_GOOGLE, signedInAt: iso(20), lastRefreshAt: iso(1) }), 179, 'idle'],
    ['a learned sign-in frequency of 24 h, signed in 5 h ago', account({ signedInAt: new Date(NOW - 5 * 3600_000).toISOString(), lastRefreshAt: iso(0), signInLifetime: { ms: 24 * 3600_000, learnedFrom: 'AADSTS70043', at: iso(3) } }), 0, 'sign-in-frequency'],
    ['a learned lifetime a later refresh disproved (the policy changed)', account({ signedInAt: iso(5), lastRefreshAt: iso(1), signInLifetime: { ms: 2 * DAY, learnedFrom: 'AADSTS70043', at: iso(20) } }), 89, 'idle'],
  ])('%s', (_, a, days, basis) => {
    const r = reauthDate(a);
    expect(r.basis).toBe(basis);
    expect(Math.floor((r.by! - NOW) / DAY)).toBe(days);
  });

  it('nothing recorded: unknown', () => {
    expect(reauthDate(account({ createdAt: undefined as unknown as string }))).toEqual({ by: null, basis: 'unknown', why: expect.any(String) });
  });
});

describe('learnLifetime: what AADSTS70043/50133 teach', () => {
  const a = account({ signedInAt: new Date(NOW - (24 * 3600_000 + 35 * 60_000)).toISOString() });
  it.each([
    ['70043, 24 h 35 min after sign-in: 24 h', 70043, 24 * 3600_000],
    ['50133 too', 50133, 24 * 3600_000],
    ['another code teaches nothing', 700082, undefined],
    ['no code', undefined, undefined],
  ])('%s', (_, code, ms) => expect(learnLifetime(a, code, NOW)?.ms).toBe(ms));
});

describe('alertFor: when token/refresh tell the user', () => {
  it.each([
    ['4 days left: not yet', account({ lastRefreshAt: iso(86) }), undefined, undefined],
    ['3 days left', account({ lastRefreshAt: iso(87) }), undefined, 'due'],
    ['passed already', account({ lastRefreshAt: iso(95) }), undefined, 'due'],
    ['refused with exit 3', account({ lastRefreshAt: iso(1) }), new UserError(ExitCode.ReloginNeeded, 'revoked', 'x'), 'failed'],
    ['a network failure is no reason', account({ lastRefreshAt: iso(1) }), new UserError(ExitCode.Unavailable, 'down'), undefined],
  ])('%s', (_, a, failure, kind) => expect(alertFor(a, NOW, failure)?.kind).toBe(kind));

  it('names the one command to run; device code only where the provider has it', () => {
    expect(alertFor(account({ lastRefreshAt: iso(88) }), NOW)!.fix).toBe('mailoauth setup --reauth work (add --flow device to finish on a phone)');
    expect(alertFor(google({ lastRefreshAt: iso(178) }), NOW)!.fix).toBe('mailoauth setup --reauth work');
  });
});

describe('doctor: the sign-in line, 14 days ahead', () => {
  it.each([
    [account({ lastRefreshAt: iso(10) }), 'ok', /good until 2025-09-03/],
    [account({ lastRefreshAt: iso(76) }), 'warn', /must be renewed by 2025-06-29, in 14 days/],
    [account({ lastRefreshAt: iso(91) }), 'warn', /a new sign-in was due on/],
  ])('%#', (a, level, detail) => {
    const f = reauthFinding(a, NOW);
    expect(f.level).toBe(level);
    expect(f.detail).toMatch(detail);
    if (level === 'warn') expect(f.fix).toMatch(/mailoauth refresh work/);
  });
});

describe('claimToday: one alert per account per local day, across processes', () => {
  it('the first claim of a day wins; the next day can claim again; old stamps go', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-claim-'));
    expect(claimToday(dir, 'work', NOW)).toBe(true);
    expect(claimToday(dir, 'work', NOW + 60_000)).toBe(false);
    expect(claimToday(dir, 'other', NOW)).toBe(true);
    expect(claimToday(dir, 'work', NOW + DAY)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([`other.${localDay(NOW)}`, `work.${localDay(NOW + DAY)}`]);
  });
  it('a stamp of another account sharing a prefix is left alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-claim-'));
    writeFileSync(join(dir, `work.team.${localDay(NOW)}`), '');
    expect(claimToday(dir, 'work', NOW + DAY)).toBe(true);
    expect(readdirSync(dir)).toContain(`work.team.${localDay(NOW)}`);
  });
});

describe('decideForcedUnderLock: `mailoauth refresh` refreshes unless someone just did', () => {
  const rec = (t: string, left: number) => ({ v: 1 as const, accessToken: t, expiresAt: NOW + left, scopes: [] });
  it.each([
    ['a fresh token it saw itself: refresh anyway', rec('a', 3600_000), rec('a', 3600_000), { refresh: 'asked' }],
    ['replaced since it looked: use that', rec('b', 3600_000), rec('a', 3600_000), 'use'],
    ['replaced by one about to expire: refresh', rec('b', 30_000), rec('a', 3600_000), { refresh: 'asked' }],
    ['nothing stored', undefined, undefined, { refresh: 'missing' }],
  ] as const)('%s', (_, current, seen, want) => {
    expect(decideForcedUnderLock(current, seen, NOW)).toEqual(want === 'use' ? { use: current } : want);
  });
});
