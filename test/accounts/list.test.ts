import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { formatTable, listRow } from '../../src/accounts/list.js';
import { planSetup } from '../../src/setup/plan.js';

describe('list rows for Google accounts', () => {
  it.each([
    [100, []],
    [160, []],
    [170, [/must be signed in again by .*Google ends a sign-in whose refresh token is unused for 6 months/]],
  ])('list: a Google refresh token unused for %i days', (days, want) => {
    const now = Date.parse('2025-12-01T00:00:00Z');
    const a = { ...planSetup({ email: 'someone@gmail.com' }, {}, 'linux').account, createdAt: new Date(now - days * 86_400_000).toISOString() } as Account;
    const w = listRow(a, { state: 'none' }, now).warnings;
    expect(w).toHaveLength(want.length);
    want.forEach((re, i) => expect(w[i]).toMatch(re));
  });
});

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

const account = (o: Partial<Account> = {}): Account => ({
  name: 'work', email: 'alice@contoso.example', provider: 'microsoft365', clientId: 'c', tenant: 'organizations',
  authority: 'https://login.microsoftonline.com/organizations', scopes: [], store: 'keychain',
  imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
  createdAt: new Date(NOW - 100 * DAY).toISOString(), ...o,
});

describe('list rows', () => {
  it.each([
    ['used today', { lastRefreshAt: new Date(NOW - 3600_000).toISOString() }, 0, false],
    ['75 days: 15 days left, no warning yet', { lastRefreshAt: new Date(NOW - 75 * DAY).toISOString() }, 75, false],
    ['76 days: 14 days left, warning', { lastRefreshAt: new Date(NOW - 76 * DAY).toISOString() }, 76, true],
    ['never refreshed: age from sign-in', {}, 100, true],
  ])('%s', (_, change, days, warn) => {
    const r = listRow(account(change), { state: 'valid', expiresAt: NOW + 3000_000 }, NOW);
    expect(r.refreshTokenAgeDays).toBe(days);
    expect(r.reauthBasis).toBe('idle');
    expect(r.warnings.length > 0).toBe(warn);
    if (warn) expect(r.warnings[0]).toMatch(/^work must be signed in again (by|now).*unused for 90 days.*mailoauth refresh work/);
  });

  it('no recorded sign-in or refresh time: age and re-auth date unknown, no warning', () => {
    const r = listRow(account({ createdAt: undefined as unknown as string }), { state: 'none' }, NOW);
    expect(r).toMatchObject({ refreshTokenAgeDays: null, refreshTokenLastUsedAt: null, reauthBy: null, reauthBasis: 'unknown', warnings: [] });
    expect(formatTable([r], NOW)).toMatch(/none stored \(fetched on next use\)\s+unknown\s+unknown\n$/);
  });

  it('the table: one row per account, token expiry in words, the re-auth date', () => {
    const rows = [
      listRow(account({ lastRefreshAt: new Date(NOW).toISOString() }), { state: 'valid', expiresAt: NOW + 50 * 60_000 }, NOW),
      listRow(account({ name: 'old', email: 'old@contoso.example' }), { state: 'expired', expiresAt: NOW - 3 * 3600_000 }, NOW),
      listRow(account({ name: 'nokey' }), { state: 'keychain-unavailable' }, NOW),
      listRow(account({ name: 'team', email: 'team@contoso.example', delegate: 'alice@contoso.example' }), { state: 'none' }, NOW),
    ];
    const lines = formatTable(rows, NOW).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+PROVIDER\s+EMAIL\s+ACCESS TOKEN\s+REFRESH TOKEN LAST USED\s+SIGN IN AGAIN BY$/);
    expect(lines[1]).toMatch(/^work\s+microsoft365\s+alice@contoso\.example\s+in 50 min\s+today\s+2025-08-30 \(in 90 days\)$/);
    expect(lines[2]).toMatch(/expired 3 h ago \(renewed on next use\)\s+100 days ago\s+2025-05-22 \(overdue\) \(soon!\)$/);
    expect(lines[3]).toMatch(/keychain unavailable/);
    expect(lines[4]).toMatch(/^team\s+microsoft365\s+team@contoso\.example \(as alice@contoso\.example\)\s+none stored/);
    expect(rows[3]!.signedInAs).toBe('alice@contoso.example');
    expect(rows[0]!.signedInAs).toBeNull();
  });
});
