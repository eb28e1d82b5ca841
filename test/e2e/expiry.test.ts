/**
 * Journey 3: tokens expire while the clients keep working. The scenario is a 6-minute token
 * (one minute above the 5-minute refresh margin); here the minute is shortened to seconds: before each
 * expiry `mailoauth refresh` stores a token the platform issued with 300 + 2 seconds (nextExpiry), and
 * the waiting is real time, nothing in the keychain is touched: the token falls inside the margin and
 * the next `mailoauth token` refreshes it.
 *
 *   round 1  the token from setup: all four clients at once, all cache hits (0 refreshes);
 *   expiry   the stored token enters the margin;
 *   round 2  all four clients at once: they all succeed, with the NEW token, after ONE refresh;
 *   expiry   that token's successor enters the margin too;
 *   round 3  all four at once again: one more refresh, never one per client.
 *
 * Before each round a new message is delivered, and each client must show it: the syncs download it,
 * neomutt draws it in its index, msmtp's message arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import {
  TOOLS, USER, clientRound, clientVersion, deviceSignIn, nextExpiry, proved, refreshes, setupArgs, startWorld, storedAccess,
  userEnv, type ClientRound, type UserEnv, type World,
} from './harness.js';

const skip = skipWithout('e2e: expiry journey', TOOLS);
const NAME = 'exp';

describe.skipIf(skip)('journey: access tokens expire under running clients', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  /** One round of the four clients, and the platform's refresh count after it. */
  async function round(env: UserEnv, n: number): Promise<ClientRound & { refreshes: number }> {
    const r = await clientRound(w, env, { name: NAME, user: USER, n });
    return { ...r, refreshes: refreshes(w.idp) };
  }

  it('four clients at once across two expiries: every run succeeds with a fresh token, one refresh per expiry', async () => {
    const env = userEnv(w);
    const setup = await deviceSignIn(w, env, setupArgs(w, NAME, 'device'));
    expect(setup.code, setup.stderr).toBe(0);
    const first = storedAccess(env, NAME).accessToken;
    w.idp.resetCounts();

    const r1 = await round(env, 1);
    expect(r1.refreshes, `round 1: all cache hits (round 1 took ${r1.ms} ms)`).toBe(0);
    expect([...r1.tokens]).toEqual([first]);

    // Expiry 1; the refreshed token lives an hour, so the rest of round 2 are cache hits.
    const stale1 = await nextExpiry(w, env, NAME);
    w.idp.resetCounts();
    const r2 = await round(env, 2);
    expect(r2.refreshes, `round 2: one refresh for four clients (round took ${r2.ms} ms)`).toBe(1);
    const second = storedAccess(env, NAME).accessToken;
    expect(second).not.toBe(stale1);
    expect([...r2.tokens], 'round 2: every login and send used the refreshed token').toEqual([second]);

    // Expiry 2.
    const stale2 = await nextExpiry(w, env, NAME);
    w.idp.resetCounts();
    const r3 = await round(env, 3);
    expect(r3.refreshes, `round 3: one refresh again (round took ${r3.ms} ms)`).toBe(1);
    const third = storedAccess(env, NAME).accessToken;
    expect(third).not.toBe(stale2);
    expect([...r3.tokens]).toEqual([third]);

    const what = { offlineimap: 'synced', mbsync: 'synced', neomutt: 'listed', msmtp: 'sent' } as const;
    for (const c of ['offlineimap', 'mbsync', 'neomutt', 'msmtp'] as const) {
      proved(`${clientVersion(c)}: ${what[c]} mail in 3 concurrent rounds (${r1.ms}/${r2.ms}/${r3.ms} ms) across 2 expiries, ` +
        `each time with the current token; the platform counted ${r2.refreshes} and ${r3.refreshes} refreshes for 4 clients (one per expiry)`);
    }
  }, 180_000);
});
