/**
 * Load: a crowd of `mailoauth token` processes at expiry (mbsync channels, offlineimap threads and a
 * mutt + msmtp pair all connecting at once) shares one refresh, round after round.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';
import { ageAccess, startWorld, storedRefreshToken, TOOLS, USER, type Env, type World } from './world.js';

const skip = skipWithout('reliability: load', TOOLS);
const CROWD = 50;
const ROUNDS = 5;

let w: World;
beforeAll(async () => {
  if (!skip) w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

/** What the passing of 56 minutes does to the stored access record: 4 minutes left, inside the 5-minute margin. */
const ageAccessRecord = (e: Env, name: string) => ageAccess(e, name, Date.now() + 4 * 60_000, `aged by the load test: ${name}`);

describe.skipIf(skip)(`load: ${CROWD} concurrent token processes at expiry`, () => {
  it(`share exactly one refresh and print one valid token, ${ROUNDS} rounds in a row`, async () => {
    const e = w.env();
    await w.signIn(e, 'crowd');
    const seen = new Set<string>();
    for (let round = 1; round <= ROUNDS; round++) {
      const before = await ageAccessRecord(e, 'crowd');
      w.idp.resetCounts();
      const t0 = Date.now();
      const results = await Promise.all(Array.from({ length: CROWD }, () => w.run(['token', 'crowd'], e, 120_000)));
      const ms = Date.now() - t0;
      expect(results.filter((r) => r.code !== 0).map((r) => `${r.code}: ${r.stderr}`), `round ${round}: failures`).toEqual([]);
      const tokens = new Set(results.map((r) => r.stdout));
      expect(tokens.size, `round ${round}: distinct tokens`).toBe(1);
      const token = [...tokens][0]!.trim();
      expect(token).not.toBe(before);
      expect(seen.has(token)).toBe(false);
      seen.add(token);
      expect(w.idp.isValidAccessToken(token)?.upn).toBe(USER);
      expect(results.filter((r) => r.stderr !== '').length).toBe(0);
      expect(w.idp.counts(), `round ${round}: requests`).toEqual({ 'token:refresh_token': 1 });
      expect(await storedRefreshToken(e, 'crowd')).toBe(w.idp.lastRefreshToken(USER));
      console.log(`load round ${round}: ${CROWD} processes → ${w.idp.counts()['token:refresh_token']} refresh request, ${tokens.size} token, 0 errors, ${ms} ms`);
    }
  }, 240_000);

  it('with a provider whose tokens live less than the margin, callers queued at the lock still share one refresh', async () => {
    // 4-minute tokens: every token this platform issues is already "due". Queued callers must take the
    // one a peer just fetched instead of refreshing again each in turn.
    const e = w.env({ MAILOAUTH_LOCK_STALE_MS: '2000' });
    w.idp.setAccessTokenLifetime(240);
    try {
      await w.signIn(e, 'short');
      w.idp.resetCounts();
      // The first caller takes the lock and stops before its request: the rest queue behind it.
      const first = w.start(['token', 'short'], { ...e, MAILOAUTH_TEST_PAUSE_AT: 'before-request' });
      first.endInput();
      await until('the first caller to pause', () => first.stderr().includes('paused:before-request'));
      const queued = Array.from({ length: CROWD - 1 }, () => w.start(['token', 'short', '--debug'], e, 120_000));
      for (const p of queued) p.endInput();
      await until('every caller queued at the lock', () => queued.every((p) => /: lock: /.test(p.stderr())), 60_000, 50);
      // It dies holding the lock; the lock goes stale and one queued caller refreshes for all.
      first.kill('SIGKILL');
      const results = await Promise.all(queued.map((p) => p.done));
      expect(results.filter((r) => r.code !== 0).map((r) => `${r.code}: ${r.stderr}`)).toEqual([]);
      const tokens = new Set(results.map((r) => r.stdout));
      expect(tokens.size).toBe(1);
      expect(w.idp.isValidAccessToken([...tokens][0]!.trim())).toBeTruthy();
      expect(w.idp.counts()).toEqual({ 'token:refresh_token': 1 });
      // The typed outcome each caller names last (src/token/print.ts): one refreshed, everyone else took its token.
      const outcomes = results.map((r) => /: token: (\S+)$/m.exec(r.stderr)?.[1]).sort();
      expect(outcomes).toEqual(['refreshed', ...Array<string>(CROWD - 2).fill('peer-refreshed')].sort());
      console.log(`short-lived tokens: ${CROWD - 1} queued callers → ${w.idp.counts()['token:refresh_token']} refresh request, ${tokens.size} token`);
    } finally {
      w.idp.setAccessTokenLifetime(3600);
    }
  }, 120_000);

  it('leaves no token in any file or output', async () => {
    const scanned = await w.expectNoLeaks();
    console.log(`secrets (load): ${scanned.tokens} tokens checked against ${scanned.files} files and ${scanned.runs} runs`);
  });
});
