import { describe, expect, it } from 'vitest';
import {
  decideForcedUnderLock, decideToken, decideUnderLock, hasRefreshToken, parseAccess, parseOAuth2, serializeOAuth2, trimMsalCache,
} from '../../src/store/records.js';

const MIN = 60_000;

describe('decideToken: the fast path decision', () => {
  const rec = (left: number) => ({ v: 1 as const, accessToken: 'at', expiresAt: 1_000_000 + left, scopes: [] });
  it.each([
    ['no record', undefined, { refresh: 'missing' }],
    ['an hour left', rec(60 * MIN), 'use'],
    ['5 min + 1 s left', rec(5 * MIN + 1000), 'use'],
    ['exactly 5 min left', rec(5 * MIN), { refresh: 'expiring' }],
    ['1 min left', rec(MIN), { refresh: 'expiring' }],
    ['expired', rec(-MIN), { refresh: 'expiring' }],
  ])('%s', (_, r, want) => {
    const got = decideToken(r, 1_000_000);
    if (want === 'use') expect(got).toEqual({ use: r });
    else expect(got).toEqual(want);
  });
});

describe('decideUnderLock: a caller that waited for the refresh lock', () => {
  const rec = (token: string, left: number) => ({ v: 1 as const, accessToken: token, expiresAt: 1_000_000 + left, scopes: [] });
  it.each([
    ['nothing stored', undefined, undefined, { refresh: 'missing' }],
    ['still the record it saw, inside the margin', rec('a', 4 * MIN), rec('a', 4 * MIN), { refresh: 'expiring' }],
    ['replaced by a 4-minute token (short-lived provider)', rec('b', 4 * MIN), rec('a', 30_000), 'use'],
    ['written while it saw none', rec('b', 4 * MIN), undefined, 'use'],
    ['replaced, but by a token about to expire', rec('b', 30_000), rec('a', 10_000), { refresh: 'expiring' }],
    ['replaced by one outside the margin', rec('b', 60 * MIN), rec('a', MIN), 'use'],
  ])('%s', (_, current, seen, want) => {
    const got = decideUnderLock(current, seen, 1_000_000);
    if (want === 'use') expect(got).toEqual({ use: current });
    else expect(got).toEqual(want);
  });
});

describe('parseAccess: only records we wrote count', () => {
  it.each([
    [null, false],
    ['', false],
    ['not json', false],
    ['{"v":2,"accessToken":"a","expiresAt":1}', false],
    ['{"v":1,"accessToken":"","expiresAt":1}', false],
    ['{"v":1,"accessToken":"a","expiresAt":"soon"}', false],
    ['{"v":1,"accessToken":"a","expiresAt":1,"scopes":["x"]}', true],
  ])('%s → usable %s', (text, ok) => {
    expect(parseAccess(text) !== undefined).toBe(ok);
  });
});

describe('MSAL cache trimming keeps the refresh token, drops access tokens', () => {
  const cache = JSON.stringify({ Account: { a: {} }, AccessToken: { k: { secret: 'AT' } }, RefreshToken: { r: { secret: 'RT' } }, IdToken: {}, AppMetadata: {} });
  it('trims', () => {
    const t = JSON.parse(trimMsalCache(cache));
    expect(t.AccessToken).toEqual({});
    expect(t.RefreshToken.r.secret).toBe('RT');
  });
  it.each([
    [cache, true],
    [JSON.stringify({ RefreshToken: {} }), false],
    [JSON.stringify({ RefreshToken: { r: { secret: '' } } }), false],
    ['garbage', false],
    [null, false],
  ])('hasRefreshToken(%s) = %s', (c, want) => expect(hasRefreshToken(c)).toBe(want));
});

describe('the OAuth2 record', () => {
  it('the OAuth2 record keeps the refresh token and only an own client\'s secret', () => {
    expect(parseOAuth2(serializeOAuth2({ refreshToken: '1//x' }))).toEqual({ v: 1, refreshToken: '1//x' });
    expect(parseOAuth2(serializeOAuth2({ refreshToken: '1//x', clientSecret: 's' }))).toEqual({ v: 1, refreshToken: '1//x', clientSecret: 's' });
    expect(parseOAuth2('{"RefreshToken":{}}')).toBeUndefined();
    expect(parseOAuth2(null)).toBeUndefined();
  });
});

const NOW = Date.parse('2025-06-15T12:00:00Z');

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
