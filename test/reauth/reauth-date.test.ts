import { describe, expect, it } from 'vitest';
import { learnLifetime, reauthDate } from '../../src/reauth/reauth-date.js';
import { DAY, NOW, account, google, iso } from './support.js';

const OWN_GOOGLE = '123-abc.apps.googleusercontent.com';

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
