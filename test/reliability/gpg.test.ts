/**
 * `--store gpg` end to end, with a real gpg and gpg-agent and the keyring in the test HOME's
 * ~/.gnupg (gpg's default, so a cron-like environment with nothing but HOME and PATH finds it):
 * setup, token, refresh with rotation, a crowd at expiry, a kill between the rotated refresh token
 * and the access record, an agent that cannot decrypt (exit 5, nothing lost), and no refresh token
 * in any plain file afterwards.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeCache } from '../../src/store/runtime-cache.js';
import { startGpgHome, type GpgHome } from '../fixtures/gpg.js';
import { until } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';
import { keychainItems, refreshTokenIn, startWorld, TOOLS, USER, type Env, type World } from './world.js';

const skip = skipWithout('reliability: gpg store', [...TOOLS, 'gpg', 'gpg-agent', 'gpgconf']);

let w: World;
let e: Env;
let g: GpgHome;
beforeAll(async () => {
  if (skip) return;
  w = await startWorld();
  e = w.env();
  g = await startGpgHome(join(e.HOME, '.gnupg'));
}, 60_000);
afterAll(async () => {
  await g?.stop();
  await w?.stop();
});

const gpgDir = (x: Env) => join(x.XDG_CONFIG_HOME, 'mailoauth', 'gpg');
const encrypted = (x: Env, key: string) => readFileSync(join(gpgDir(x), `${encodeURIComponent(key)}.asc`), 'utf8');

/** An item as the user's own gpg decrypts it. */
function decrypt(x: Env, key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('gpg', ['--batch', '--quiet', '--decrypt', join(gpgDir(x), `${encodeURIComponent(key)}.asc`)], { env: x });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`gpg --decrypt ${key} failed (${code})`))));
  });
}

/** 56 minutes later: 4 left, inside the 5-minute margin, in the store and in the runtime cache. */
async function age(x: Env, name: string) {
  const { execFileSync } = await import('node:child_process');
  const rec = JSON.parse(await decrypt(x, name));
  const aged = JSON.stringify({ ...rec, expiresAt: Date.now() + 4 * 60_000 });
  const armored = execFileSync('gpg', ['--batch', '--armor', '--encrypt', '--recipient', g.open], { env: x, input: aged });
  (await import('node:fs')).writeFileSync(join(gpgDir(x), `${name}.asc`), armored, { mode: 0o600 });
  new RuntimeCache(join(x.XDG_RUNTIME_DIR!, 'mailoauth'), join(x.XDG_CONFIG_HOME, 'mailoauth')).write(name, { ...rec, expiresAt: Date.now() + 4 * 60_000 });
  return rec.accessToken as string;
}

/** What cron gives a job: HOME, LOGNAME, SHELL and PATH=/usr/bin:/bin; no GNUPGHOME, no D-Bus, no display. */
const cronEnv = (x: Env): NodeJS.ProcessEnv => ({ HOME: x.HOME, LOGNAME: 'root', SHELL: '/bin/sh', PATH: '/usr/bin:/bin' });

describe.skipIf(skip)('--store gpg', () => {
  it('setup encrypts every secret to the recipient; nothing goes to the keychain', async () => {
    const r = await w.signIn(e, 'mutt', ['--store', 'gpg', '--gpg-recipient', g.open]);
    expect(r.stderr).toMatch(/Stored the refresh token in the gpg store/);
    expect(readdirSync(gpgDir(e)).sort()).toEqual(['mutt%2Fmsal.asc', 'mutt.asc']);
    expect(refreshTokenIn(await decrypt(e, 'mutt/msal'))).toBe(w.idp.lastRefreshToken(USER));
    for (const f of readdirSync(gpgDir(e))) expect(readFileSync(join(gpgDir(e), f), 'utf8')).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(Object.keys(await keychainItems(e))).toEqual([]);
    expect(JSON.parse(readFileSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')).accounts[0]).toMatchObject({ store: 'gpg', gpgRecipient: g.open });
  });

  it('token: a cache hit, then a refresh that stores the rotated refresh token', async () => {
    w.idp.resetCounts();
    const hit = await w.run(['token', 'mutt'], e);
    expect(hit.code, hit.stderr).toBe(0);
    expect(w.idp.isValidAccessToken(hit.stdout.trim())?.upn).toBe(USER);
    expect(w.idp.counts()).toEqual({});
    const old = await age(e, 'mutt');
    const rt0 = refreshTokenIn(await decrypt(e, 'mutt/msal'));
    const r = await w.run(['token', 'mutt', '--debug'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).not.toBe(old);
    expect(w.idp.counts()).toEqual({ 'token:refresh_token': 1 });
    const rt = refreshTokenIn(await decrypt(e, 'mutt/msal'));
    expect(rt).not.toBe(rt0);
    expect(rt).toBe(w.idp.lastRefreshToken(USER));
    expect(JSON.parse(await decrypt(e, 'mutt')).accessToken).toBe(r.stdout.trim());
  });

  it('20 concurrent callers at expiry share one refresh', async () => {
    await age(e, 'mutt');
    w.idp.resetCounts();
    const results = await Promise.all(Array.from({ length: 20 }, () => w.run(['token', 'mutt'], e, 120_000)));
    expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
    expect(new Set(results.map((r) => r.stdout)).size).toBe(1);
    expect(w.idp.counts()).toEqual({ 'token:refresh_token': 1 });
    expect(refreshTokenIn(await decrypt(e, 'mutt/msal'))).toBe(w.idp.lastRefreshToken(USER));
  });

  it('killed after the rotated refresh token is stored: the rotated one is what the next call uses', async () => {
    await age(e, 'mutt');
    w.idp.resetCounts();
    const p = w.start(['token', 'mutt'], { ...e, MAILOAUTH_TEST_PAUSE_AT: 'after-refresh-token' });
    p.endInput();
    await until('paused:after-refresh-token', () => p.stderr().includes('paused:after-refresh-token'));
    p.kill('SIGKILL');
    expect((await p.done).stdout).toBe('');
    expect(refreshTokenIn(await decrypt(e, 'mutt/msal'))).toBe(w.idp.lastRefreshToken(USER));
    // The dead holder's lock is taken over once stale (2 s here instead of 10).
    const next = await w.run(['token', 'mutt'], { ...e, MAILOAUTH_LOCK_STALE_MS: '2000' });
    expect(next.code, next.stderr).toBe(0);
    expect(w.idp.isValidAccessToken(next.stdout.trim())).toBeTruthy();
  });

  it('from cron (HOME and PATH only): the keyring in ~/.gnupg decrypts through the agent, also when a refresh is due', async () => {
    await age(e, 'mutt');
    w.idp.resetCounts();
    const r = await w.run(['token', 'mutt'], { ...cronEnv(e), NODE_EXTRA_CA_CERTS: w.ca.caFile });
    expect(r.code, r.stderr).toBe(0);
    expect(w.idp.isValidAccessToken(r.stdout.trim())).toBeTruthy();
    expect(w.idp.counts()).toEqual({ 'token:refresh_token': 1 });
  });

  it('a locked key in cron: exit 5 with the fix at once, every encrypted file as it was; fine again once unlocked', async () => {
    const x = w.env();
    const lg = await startGpgHome(join(x.HOME, '.gnupg'));
    try {
      await lg.unlock(); // typed into pinentry at setup, say
      await w.signIn(x, 'locked', ['--store', 'gpg', '--gpg-recipient', lg.locked]);
      await lg.forget(); // the agent's cache time passed
      // A fresh access token still comes from the runtime cache: no gpg needed for a cache hit.
      const hit = await w.run(['token', 'locked'], x);
      expect(hit.code, hit.stderr).toBe(0);
      // A refresh needs the refresh token, which only the locked key opens.
      const rec = new RuntimeCache(join(x.XDG_RUNTIME_DIR!, 'mailoauth'), join(x.XDG_CONFIG_HOME, 'mailoauth'));
      rec.write('locked', { ...rec.read('locked')!, expiresAt: Date.now() + 4 * 60_000 });
      // XDG_RUNTIME_DIR stands for the /run/user/UID a real cron job finds by itself (see runtime-cache.ts).
      const before = readdirSync(gpgDir(x)).map((f) => [f, encrypted(x, decodeURIComponent(f.replace(/\.asc$/, '')))]);
      w.idp.resetCounts();
      const r = await w.run(['token', 'locked'], { ...cronEnv(x), XDG_RUNTIME_DIR: x.XDG_RUNTIME_DIR, NODE_EXTRA_CA_CERTS: w.ca.caFile });
      expect(r.code, r.stderr).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/gpg-agent could not decrypt/);
      expect(r.stderr).toMatch(/next: .*gpg-preset-passphrase/);
      expect(w.idp.counts()).toEqual({});
      expect(readdirSync(gpgDir(x)).map((f) => [f, encrypted(x, decodeURIComponent(f.replace(/\.asc$/, '')))])).toEqual(before);
      await lg.unlock();
      const ok = await w.run(['token', 'locked'], { ...cronEnv(x), XDG_RUNTIME_DIR: x.XDG_RUNTIME_DIR, NODE_EXTRA_CA_CERTS: w.ca.caFile });
      expect(ok.code, ok.stderr).toBe(0);
      expect(w.idp.counts()).toEqual({ 'token:refresh_token': 1 });
    } finally {
      await lg.stop();
    }
  });

  it('no issued token in any plain file (the encrypted store and the HOME included) or output', async () => {
    const scanned = await w.expectNoLeaks();
    console.log(`secrets (gpg): ${scanned.tokens} tokens checked against ${scanned.files} files and ${scanned.runs} runs`);
  });
});
