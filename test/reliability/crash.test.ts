/**
 * Crashes: `kill -9` a refresh at each point it passes (MAILOAUTH_TEST_PAUSE_AT, src/test-pause.ts,
 * holds it there) → the store stays readable and the next call succeeds. A refresh killed while it
 * holds the lock leaves a stale lock: the next caller takes it over within the stale timeout
 * (MAILOAUTH_LOCK_STALE_MS=2000, proper-lockfile's minimum), while a live holder is never robbed.
 */
import { mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';
import { accountsJson, ageAccess, keychainItem, refreshTokenIn, startWorld, TOOLS, USER, type Env, type World } from './world.js';

const skip = skipWithout('reliability: crashes', TOOLS);
const STALE_MS = 2000;

let w: World;
let e: Env;
beforeAll(async () => {
  if (skip) return;
  w = await startWorld();
  e = w.env({ MAILOAUTH_LOCK_STALE_MS: String(STALE_MS) });
  await w.signIn(e, 'victim');
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

/** Make the stored access token due (4 minutes left), as time would. */
beforeEach(async () => {
  if (skip) return;
  await ageAccess(e, 'victim', Date.now() + 4 * 60_000, 'aged by the crash test');
  w.idp.resetCounts();
});

/** The typed outcome `token --debug` names last (src/token/print.ts): cache, refreshed or peer-refreshed. */
const outcomeOf = (stderr: string) => /: token: (\S+)$/m.exec(stderr)?.[1];

describe.skipIf(skip)('kill -9 during a refresh', () => {
  it.each([
    // point, lock left behind, refresh token in the store afterwards, access record afterwards
    ['before-request', true, 'old', 'old'],
    ['after-response', true, 'old', 'old'],
    ['after-refresh-token', true, 'rotated', 'old'],
    ['after-store', false, 'rotated', 'new'],
  ] as const)('at %s: the store stays readable and the next call succeeds', async (point, holdsLock, rtAfter, accessAfter) => {
    const rt0 = refreshTokenIn(await keychainItem(e, 'victim/msal'));
    const access0 = JSON.parse(await keychainItem(e, 'victim')).accessToken;
    const accounts0 = accountsJson(e);
    const p = w.start(['token', 'victim'], { ...e, MAILOAUTH_TEST_PAUSE_AT: point });
    p.endInput();
    await until(`paused:${point}`, () => p.stderr().includes(`paused:${point}`));
    p.kill('SIGKILL');
    const dead = await p.done;
    expect(dead.signal).toBe('SIGKILL');
    expect(dead.stdout).toBe('');
    const requests = w.idp.counts()['token:refresh_token'] ?? 0;
    expect(requests).toBe(point === 'before-request' ? 0 : 1);

    // Readable: both items parse, the MSAL cache holds a refresh token the platform still honours.
    const msal = await keychainItem(e, 'victim/msal');
    const rt = refreshTokenIn(msal);
    expect(rt).toBeTruthy();
    expect(rt === rt0 ? 'old' : rt === w.idp.lastRefreshToken(USER) ? 'rotated' : 'unknown').toBe(rtAfter);
    const rec = JSON.parse(await keychainItem(e, 'victim'));
    expect(rec).toMatchObject({ v: 1, accessToken: expect.any(String), expiresAt: expect.any(Number) });
    expect(rec.accessToken === access0 ? 'old' : 'new').toBe(accessAfter);
    const accounts = accountsJson(e)!;
    expect(() => JSON.parse(accounts)).not.toThrow();
    if (point !== 'after-store') expect(accounts).toBe(accounts0);

    w.idp.resetCounts();
    // A lock left by the dead holder goes stale within STALE_MS of its last touch: a next call that may
    // wait no longer than that (plus polling) proves the takeover, without timing anything.
    const next = await w.run(['token', 'victim', '--debug'], { ...e, MAILOAUTH_LOCK_WAIT_MS: String(2 * STALE_MS + 1000) });
    expect(next.code, next.stderr).toBe(0);
    const token = next.stdout.trim();
    expect(w.idp.isValidAccessToken(token)?.upn).toBe(USER);
    if (accessAfter === 'new') {
      // Everything was stored before the kill: a cache hit, no lock, no request.
      expect(token).toBe(rec.accessToken);
      expect(w.idp.counts()).toEqual({});
      expect(outcomeOf(next.stderr)).toBe('cache');
    } else {
      expect(w.idp.counts()).toEqual({ 'token:refresh_token': 1 });
      expect(outcomeOf(next.stderr)).toBe('refreshed');
      console.log(`kill -9 at ${point}: next call exit 0 in ${next.ms} ms, ${holdsLock ? 'took over the dead lock, ' : ''}1 refresh request`);
    }
    if (accessAfter === 'new') console.log(`kill -9 at ${point}: next call exit 0 in ${next.ms} ms, cache hit, 0 requests`);
    expect(refreshTokenIn(await keychainItem(e, 'victim/msal'))).toBe(w.idp.lastRefreshToken(USER));
  });
});

describe.skipIf(skip)('the refresh lock', () => {
  it('a lock left long ago by a dead process is taken over at once', async () => {
    const lock = join(e.XDG_CONFIG_HOME, 'mailoauth', 'locks', 'token-victim.lock');
    mkdirSync(lock, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    // No wait allowed at all: only a lock taken over at once lets the call through (a live one would exit 4).
    const r = await w.run(['token', 'victim', '--debug'], { ...e, MAILOAUTH_LOCK_WAIT_MS: '0' });
    expect(r.code, r.stderr).toBe(0);
    expect(outcomeOf(r.stderr)).toBe('refreshed');
    expect(w.idp.counts()).toEqual({ 'token:refresh_token': 1 });
  });

  it('a live holder keeps its lock past the stale timeout: a waiter gives up with exit 4, the holder finishes', async () => {
    const holder = w.start(['token', 'victim'], { ...e, MAILOAUTH_TEST_PAUSE_AT: 'before-request' });
    holder.endInput();
    try {
      await until('the holder to pause', () => holder.stderr().includes('paused:before-request'));
      const waiter = await w.run(['token', 'victim'], { ...e, MAILOAUTH_LOCK_WAIT_MS: String(2 * STALE_MS + 500) });
      expect(waiter.code, waiter.stderr).toBe(4);
      expect(waiter.stderr).toMatch(/Another mailoauth process has held the token-victim lock/);
      expect(waiter.ms).toBeGreaterThanOrEqual(2 * STALE_MS);
      expect(w.idp.counts()).toEqual({});
    } finally {
      holder.kill('SIGKILL');
      await holder.done;
    }
  });
});

describe.skipIf(skip)('secrets', () => {
  it('no token in any file or output of this file\'s runs', async () => {
    const scanned = await w.expectNoLeaks();
    console.log(`secrets (crash): ${scanned.tokens} tokens checked against ${scanned.files} files and ${scanned.runs} runs`);
  });
});
