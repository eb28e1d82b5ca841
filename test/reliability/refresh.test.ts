/**
 * `mailoauth refresh [ACCOUNT|--all]` against the local identity platform and a real Secret Service:
 * a refresh however fresh the token, one per account under its lock, the other accounts still
 * refreshed after one fails, the exit code of the first failure; racing a crowd of `token` calls it
 * never loses a rotated refresh token; a refusal for sign-in frequency (AADSTS70043) is learned and
 * becomes the next sign-in's re-auth date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import { ageAccess, exec, keychainItem, startWorld, storedRefreshToken, TOOLS, USER, type Env, type World } from './world.js';

const skip = skipWithout('reliability: refresh', TOOLS);

let w: World;
let e: Env;
beforeAll(async () => {
  if (skip) return;
  w = await startWorld();
  e = w.env();
  await w.signIn(e, 'one');
  await w.signIn(e, 'two');
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

const accounts = (x: Env) => JSON.parse(readFileSync(join(x.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')).accounts as Array<Record<string, unknown>>;
const access = async (x: Env, name: string) => JSON.parse(await keychainItem(x, name)).accessToken as string;

describe.skipIf(skip)('mailoauth refresh', () => {
  it('refresh --all: every account now, though their tokens are fresh; rotated refresh tokens stored, times recorded', async () => {
    const before = { one: await access(e, 'one'), two: await access(e, 'two') };
    const stamps = accounts(e).map((a) => a.lastRefreshAt);
    w.idp.resetCounts();
    const r = await w.run(['refresh', '--all'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^refreshed one: access token valid until \S+; sign in again by \d{4}-\d\d-\d\d\nrefreshed two: /);
    expect(w.idp.counts()).toEqual({ 'token:refresh_token': 2 });
    expect(await access(e, 'one')).not.toBe(before.one);
    expect(await access(e, 'two')).not.toBe(before.two);
    expect(await storedRefreshToken(e, 'two')).toBe(w.idp.lastRefreshToken(USER));
    expect(accounts(e).map((a) => a.lastRefreshAt)).not.toEqual(stamps);
  });

  it('--json and --quiet: the outcome per account on stdout, nothing on stderr', async () => {
    const r = await w.run(['refresh', '--all', '--json', '--quiet'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toEqual([
      { account: 'one', ok: true, outcome: 'refreshed', expiresAt: expect.any(String), reauthBy: expect.any(String) },
      { account: 'two', ok: true, outcome: 'refreshed', expiresAt: expect.any(String), reauthBy: expect.any(String) },
    ]);
    // 90 days from now (a refresh restarts Microsoft's idle clock).
    expect(Math.round((Date.parse(out[0].reauthBy) - Date.now()) / 86_400_000)).toBe(90);
  });

  it('one account broken: the others are still refreshed, exit 3 (the first failure), each failure with its fix', async () => {
    const x = w.env();
    await w.signIn(x, 'good');
    await w.signIn(x, 'broken');
    const r0 = await exec('secret-tool', ['clear', 'service', 'mailoauth', 'username', 'broken/msal'], x);
    expect(r0.code).toBe(0);
    w.idp.resetCounts();
    const r = await w.run(['refresh', '--all'], x);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/refreshed good:/);
    expect(r.stderr).toMatch(/mailoauth: broken: The keychain holds no refresh token for broken\.\n {2}next: mailoauth setup --reauth broken/);
    expect(r.stderr).toMatch(/mailoauth: 1 of 2 accounts could not be refreshed/);
    expect(w.idp.counts()).toEqual({ 'token:refresh_token': 1 });
    const single = await w.run(['refresh', 'broken'], x);
    expect(single.code).toBe(3);
    expect(single.stderr).toMatch(/^mailoauth: The keychain holds no refresh token for broken\./);
  });

  it('usage: an account or --all', async () => {
    expect((await w.run(['refresh'], e)).code).toBe(2);
    expect((await w.run(['refresh', 'one', '--all'], e)).code).toBe(2);
    expect((await w.run(['refresh', 'nobody'], e)).stderr).toMatch(/No account named "nobody"/);
  });

  it('racing 10 token calls at expiry: every call succeeds, at most one refresh each path, no rotation lost', async () => {
    await ageAccess(e, 'one', Date.now() + 4 * 60_000);
    w.idp.resetCounts();
    const runs = [w.run(['refresh', 'one'], e), ...Array.from({ length: 10 }, () => w.run(['token', 'one'], e, 120_000))];
    const results = await Promise.all(runs);
    expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
    const tokens = new Set(results.slice(1).map((r) => r.stdout.trim()));
    for (const t of tokens) expect(w.idp.isValidAccessToken(t)).toBeTruthy();
    expect(w.idp.counts()['token:refresh_token']).toBeGreaterThanOrEqual(1);
    expect(w.idp.counts()['token:refresh_token']).toBeLessThanOrEqual(2);
    expect(await storedRefreshToken(e, 'one')).toBe(w.idp.lastRefreshToken(USER));
    console.log(`refresh racing 10 token calls: ${w.idp.counts()['token:refresh_token']} refresh request(s), ${tokens.size} distinct token(s)`);
  });

  it('AADSTS70043 (sign-in frequency) is learned: after the next sign-in, list shows the date it implies', async () => {
    const x = w.env();
    await w.signIn(x, 'ca');
    // The sign-in happened 25 hours ago; the tenant's policy ends it now.
    const file = join(x.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.accounts[0].signedInAt = new Date(Date.now() - 25 * 3600_000 - 60_000).toISOString();
    writeFileSync(file, JSON.stringify(data));
    w.idp.revokeRefreshTokens(USER, 70043);
    const r = await w.run(['refresh', 'ca'], x);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/Conditional Access sign-in frequency.*\(AADSTS70043\)/);
    expect(accounts(x)[0]!.signInLifetime).toEqual({ ms: 25 * 3600_000, learnedFrom: 'AADSTS70043', at: expect.any(String) });
    await w.signIn(x, 'ca');
    const list = JSON.parse((await w.run(['list', '--json'], x)).stdout);
    expect(list[0]).toMatchObject({ account: 'ca', reauthBasis: 'sign-in-frequency', reauthWhy: expect.stringMatching(/about 25 hours \(learned from AADSTS70043/) });
    expect(Math.round((Date.parse(list[0].reauthBy) - Date.now()) / 3600_000)).toBe(25);
  });

  it('leaves no token in any file or output', async () => {
    const scanned = await w.expectNoLeaks();
    console.log(`secrets (refresh): ${scanned.tokens} tokens checked against ${scanned.files} files and ${scanned.runs} runs`);
  });
});
