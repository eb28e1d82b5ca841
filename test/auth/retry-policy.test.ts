import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, nextDelay, parseRetryAfter, type Outcome } from '../../src/auth/retry-policy.js';

describe('retry policy', () => {
  const resp = (status: number, json = true, retryAfterSec?: number): Outcome => ({ kind: 'response', status, json, retryAfterSec });
  it.each<[string, Outcome, number, number | undefined]>([
    ['200 stops', resp(200), 1, undefined],
    ['400 JSON (the server answered) stops', resp(400), 1, undefined],
    ['503 retries with backoff', resp(503), 1, 400],
    ['503 second attempt doubles', resp(503), 2, 800],
    ['503 on the last attempt stops', resp(503), 3, undefined],
    ['500 retries', resp(500), 1, 400],
    ['429 waits Retry-After', resp(429, true, 2), 1, 2000],
    ['429 with a Retry-After too long to wait stops', resp(429, true, 3600), 1, undefined],
    ['429 without Retry-After backs off', resp(429), 1, 400],
    ['200 with an HTML body retries', resp(200, false), 1, 400],
    ['reset retries', { kind: 'network', reason: 'reset' }, 1, 400],
    ['timeout on the last attempt stops', { kind: 'network', reason: 'timeout' }, 3, undefined],
  ])('%s', (_, o, attempt, want) => expect(nextDelay(o, attempt, DEFAULT_RETRY)).toBe(want));

  it.each([
    ['5', 5],
    [' 12 ', 12],
    [new Date(1_010_000).toUTCString(), 10],
    ['soon', undefined],
    [undefined, undefined],
  ])('Retry-After %s → %s s', (v, want) => expect(parseRetryAfter(v, 1_000_000)).toBe(want));
});
