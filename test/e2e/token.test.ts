/**
 * setup + token end to end, in the test world (the local identity platform, a real Secret Service):
 * device, browser and paste sign-in, the cache hit, the refresh at the margin with the rotated refresh
 * token stored, revocation, the file store and imapsync's token file.
 */
import https from 'node:https';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Idp } from '../fixtures/idp.js';
import { until } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';
import { USER, WORLD_TOOLS, keychainItem, startWorld, storedRefreshToken, type World } from './harness.js';

const skip = skipWithout('token engine end to end', WORLD_TOOLS);

let w: World;
let idp: Idp;

beforeAll(async () => {
  if (skip) return;
  w = await startWorld({ users: [USER, 'bob@contoso.example'] });
  idp = w.idp;
});
afterAll(async () => {
  await w?.stop();
});
beforeEach(() => {
  if (skip) return;
  idp.clearFaults();
  idp.setAccessTokenLifetime(3600);
  idp.resetCounts();
});

describe.skipIf(skip)('setup + token against the local identity platform and a real Secret Service', () => {
  it('device-code sign-in stores the refresh token in the keychain and metadata in a 0600 accounts.json', async () => {
    const e = w.env();
    const r = await w.signIn(e, 'dev');
    expect(r.stdout).toBe('');
    const rt = storedRefreshToken(e, 'dev');
    expect(rt).toBe(idp.lastRefreshToken(USER));
    const file = join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const acct = JSON.parse(text).accounts[0];
    expect(acct).toMatchObject({ name: 'dev', email: USER, clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753', store: 'keychain' });
    // No token in the metadata file.
    expect(text).not.toContain(rt!);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  });

  it('Ctrl-C while waiting for device-code approval cancels cleanly: exit 2, nothing stored', async () => {
    const e = w.env();
    const p = w.start(['setup', '--yes', '--email', USER, '--name', 'cancelled', '--flow', 'device', '--authority', idp.authority(), '--no-verify'], e);
    p.endInput();
    await until('the device code on stderr', () => /enter the code (\S+)/.exec(p.stderr())?.[1]);
    p.kill('SIGINT');
    const r = await p.done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/Sign-in cancelled/);
    expect(keychainItem(e, 'cancelled')).toBe('');
    expect(() => statSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'))).toThrow();
  });

  it('token on a cache hit prints the stored token and makes no request', async () => {
    const e = w.env();
    await w.signIn(e, 'hit');
    idp.resetCounts();
    const a = await w.run(['token', 'hit'], e);
    const b = await w.run(['token', 'hit'], e);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(b.stdout).toBe(a.stdout);
    expect(idp.isValidAccessToken(a.stdout.trim())?.upn).toBe(USER);
    expect(a.stderr).toBe('');
    expect(idp.counts()).toEqual({});
  });

  it('--xoauth2 and --json formats', async () => {
    const e = w.env();
    await w.signIn(e, 'fmt');
    const plain = (await w.run(['token', 'fmt'], e)).stdout.trim();
    const x = await w.run(['token', 'fmt', '--xoauth2'], e);
    expect(Buffer.from(x.stdout.trim(), 'base64').toString()).toBe(`user=${USER}\x01auth=Bearer ${plain}\x01\x01`);
    const j = JSON.parse((await w.run(['token', 'fmt', '--json'], e)).stdout);
    expect(j).toMatchObject({ access_token: plain, account: 'fmt' });
    expect(Date.parse(j.expires_at)).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('a token inside the 5-minute margin is refreshed once, and the rotated refresh token is what is stored', async () => {
    const e = w.env();
    idp.setAccessTokenLifetime(240);
    await w.signIn(e, 'exp');
    const before = storedRefreshToken(e, 'exp');
    const stale = JSON.parse(keychainItem(e, 'exp')).accessToken;
    idp.setAccessTokenLifetime(3600);
    idp.resetCounts();
    const r = await w.run(['token', 'exp'], e);
    expect(r.code, r.stderr).toBe(0);
    const fresh = r.stdout.trim();
    expect(fresh).not.toBe(stale);
    expect(idp.isValidAccessToken(fresh)?.upn).toBe(USER);
    expect(idp.counts()['token:refresh_token']).toBe(1);
    expect(idp.counts().openid ?? 0).toBe(0); // the OpenID document saved at sign-in is reused
    const after = storedRefreshToken(e, 'exp');
    expect(after).not.toBe(before);
    expect(after).toBe(idp.lastRefreshToken(USER));
    // And now it is a cache hit again.
    const again = await w.run(['token', 'exp'], e);
    expect(again.stdout.trim()).toBe(fresh);
    expect(idp.counts()['token:refresh_token']).toBe(1);
  });

  // Many processes at expiry: test/reliability/load.test.ts. Transient platform faults (5xx, 429, hangs,
  // resets, bodies that are not JSON) and a locked, absent or hung keychain: test/reliability/faults.test.ts.

  it('a revoked refresh token → exit 3 with the command to sign in again', async () => {
    const e = w.env();
    idp.setAccessTokenLifetime(240);
    await w.signIn(e, 'revoked');
    idp.revokeRefreshTokens(USER);
    const r = await w.run(['token', 'revoked'], e);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/AADSTS50173/);
    expect(r.stderr).toContain('mailoauth setup --reauth revoked');
  });

  it('setup refuses to start a sign-in when the keychain is unavailable (exit 5, nothing written)', async () => {
    const e = w.env({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    const r = await w.run(['setup', '--yes', '--email', USER, '--flow', 'device', '--authority', idp.authority(), '--no-verify'], e);
    expect(r.code, r.stderr).toBe(5);
    expect(idp.counts().devicecode ?? 0).toBe(0);
    expect(() => statSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'))).toThrow();
  });

  it('browser flow: the loopback listener receives the code and the server verifies PKCE', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'mailoauth-browser-')), 'visited');
    const e = w.env({ BROWSER: `${process.execPath} ${resolve(import.meta.dirname, '../fixtures/fake-browser.mjs')}`, FAKE_BROWSER_LOG: log });
    const r = await w.run(['setup', '--yes', '--email', USER, '--name', 'web', '--flow', 'browser', '--redirect-uri', 'http://127.0.0.1', '--authority', idp.authority(), '--no-verify'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(idp.counts()['token:authorization_code']).toBe(1);
    const visited = readFileSync(log, 'utf8').trim().split('\n');
    const authorize = new URL(visited[0]!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(visited[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?\?code=/);
    expect(storedRefreshToken(e, 'web')).toBe(idp.lastRefreshToken(USER));
  });

  it('paste flow: the redirected address typed back on stdin completes the sign-in', async () => {
    const e = w.env();
    const p = w.start(['setup', '--yes', '--email', USER, '--name', 'pasted', '--flow', 'paste', '--authority', idp.authority(), '--no-verify'], e);
    const url = await until('the authorize URL', () => /^\s+(https:\/\/\S+authorize\S+)$/m.exec(p.stderr())?.[1]);
    // What a person does: open the URL, let it redirect, copy the address bar.
    const location = await new Promise<string>((resolve, reject) =>
      https.get(url, { ca: readFileSync(w.ca.caFile) }, (res) => {
        res.resume();
        resolve(res.headers.location ?? '');
      }).on('error', reject));
    expect(location).toMatch(/^https:\/\/localhost\/?\?code=/);
    p.write(`${location}\n`);
    p.endInput();
    const r = await p.done;
    expect(r.code, r.stderr).toBe(0);
    expect(storedRefreshToken(e, 'pasted')).toBe(idp.lastRefreshToken(USER));
  });

  it('paste flow with a closed stdin fails with exit 2 and stores nothing', async () => {
    const e = w.env();
    const r = await w.run(['setup', '--yes', '--email', USER, '--name', 'closed', '--flow', 'paste', '--authority', idp.authority(), '--no-verify'], e);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/Standard input closed/);
    expect(keychainItem(e, 'closed')).toBe('');
  });

  it('--store file keeps secrets in 0600 files and warns', async () => {
    const e = w.env();
    const r = await w.signIn(e, 'filed', ['--store', 'file']);
    expect(r.stderr).toMatch(/Warning: --store file/);
    expect(keychainItem(e, 'filed')).toBe('');
    const path = join(e.XDG_CONFIG_HOME, 'mailoauth', 'secrets', 'filed%2Fmsal');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const t = await w.run(['token', 'filed'], e);
    expect(t.code, t.stderr).toBe(0);
    expect(idp.isValidAccessToken(t.stdout.trim())).toBeTruthy();
  });

  it('export --imapsync writes the access token as line 1 of a 0600 file; --watch rewrites it before expiry', async () => {
    const e = w.env();
    // Tokens that live 5 min + 2 s: valid now, and due for a rewrite about every 3 s.
    idp.setAccessTokenLifetime(302);
    await w.signIn(e, 'migrate');
    const file = join(e.HOME, 'imapsync-token');
    const once = await w.run(['export', 'migrate', '--imapsync', file], e);
    expect(once.code, once.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const first = readFileSync(file, 'utf8');
    // Line 1 is the access token export stored (read back from the keychain, not fetched again: with
    // 302-second tokens a later `token` call may already be inside the refresh margin on a busy machine),
    // one the platform issued to this user.
    expect(first.split('\n')[0]).toBe(JSON.parse(keychainItem(e, 'migrate')).accessToken);
    expect(idp.isValidAccessToken(first.split('\n')[0]!)?.upn).toBe(USER);
    expect(once.stderr).toMatch(/imapsync --host1 outlook\.office365\.com .*--oauthaccesstoken1 /);

    const watch = w.start(['export', 'migrate', '--imapsync', file, '--watch'], e);
    watch.endInput();
    const seen = new Set<string>([first]);
    try {
      await until('two rewrites', () => {
        const t = readFileSync(file, 'utf8');
        if (t.endsWith('\n')) seen.add(t);
        return seen.size >= 3 && (watch.stderr().match(/rewrote/g) ?? []).length >= 2 ? true : undefined;
      }, 20_000, 100);
    } finally {
      watch.kill('SIGTERM');
    }
    const r = await watch.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Stopped watching/);
    const last = readFileSync(file, 'utf8').trim();
    expect(idp.isValidAccessToken(last)).toBeTruthy();
  });
});
