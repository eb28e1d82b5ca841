/**
 * Faults: a dying identity platform and a keychain that is locked, absent or hung. Knobs: each HTTP
 * attempt gets MAILOAUTH_HTTP_TIMEOUT_MS=500, MAILOAUTH_HTTP_ATTEMPTS=3, backoff from
 * MAILOAUTH_RETRY_BASE_MS=50 (50, 100 ms); Retry-After is honoured as sent (1 s). The keychain runs
 * with its default deadlines: the 3-second promise is about the shipped product.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../fixtures/idp.js';
import { startSecretService, startSilentBus, type SecretService } from '../fixtures/secret-service.js';
import { skipWithout } from '../helpers/tools.js';
import { accountsJson, keychainItem, keychainItems, startWorld, TOOLS, type Env, type World } from './world.js';

const skip = skipWithout('reliability: faults', TOOLS);
const KNOBS = { MAILOAUTH_HTTP_TIMEOUT_MS: '500', MAILOAUTH_HTTP_ATTEMPTS: '3' };

let w: World;
let e: Env;
beforeAll(async () => {
  if (skip) return;
  w = await startWorld();
  // 4-minute tokens: whatever is stored is always due, so every `token` below goes to the platform.
  w.idp.setAccessTokenLifetime(240);
  e = w.env(KNOBS);
  await w.signIn(e, 'flaky');
}, 60_000);
afterAll(async () => {
  await w?.stop();
});
beforeEach(() => {
  if (skip) return;
  w.idp.clearFaults();
  w.idp.resetCounts();
});

const refresh = (f: Omit<Fault, 'endpoint' | 'grantType'>): Fault => ({ endpoint: 'token', grantType: 'refresh_token', ...f });

describe.skipIf(skip)('faults at the token endpoint: bounded retries, exit 4, stored tokens untouched, recovery', () => {
  it.each([
    ['500 with a JSON error', refresh({ status: 500, body: '{"error":"server_error","error_description":"AADSTS90033: A transient error has occurred."}' }), /HTTP 500/],
    ['503 every time', refresh({ status: 503, body: 'Service Unavailable', contentType: 'text/plain' }), /HTTP 503/],
    ['429 with Retry-After', refresh({ status: 429, headers: { 'Retry-After': '1' }, body: '{"error":"throttled"}' }), /HTTP 429/],
    ['a 30 s hang', refresh({ delayMs: 30_000 }), /no answer within 500 ms/],
    ['a reset connection', refresh({ reset: true }), /reset|socket|closed/i],
    ['malformed JSON', refresh({ status: 200, body: '{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAiOiJKV1Qi', contentType: 'application/json' }), /HTTP 200 with a body that is not JSON/],
    ['an HTML error page', refresh({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' }), /HTTP 502 with a body that is not JSON/],
  ])('%s', async (label, fault, message) => {
    const msal = await keychainItem(e, 'flaky/msal');
    const access = await keychainItem(e, 'flaky');
    const accounts = accountsJson(e);
    w.idp.addFault(fault);
    const r = await w.run(['token', 'flaky', '--debug'], e);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/refresh token was kept/);
    const requests = w.idp.counts()['token:refresh_token'];
    expect(requests).toBe(3);
    expect(r.ms).toBeLessThan(8000);
    if (label.startsWith('429')) expect(r.ms).toBeGreaterThanOrEqual(2000); // Retry-After waited out twice
    // Nothing stored changed: same refresh token (the whole MSAL item), same access record, same metadata.
    expect(await keychainItem(e, 'flaky/msal')).toBe(msal);
    expect(await keychainItem(e, 'flaky')).toBe(access);
    expect(accountsJson(e)).toBe(accounts);
    w.idp.clearFaults();
    const ok = await w.run(['token', 'flaky'], e);
    expect(ok.code, ok.stderr).toBe(0);
    expect(w.idp.isValidAccessToken(ok.stdout.trim())).toBeTruthy();
    expect(await keychainItem(e, 'flaky/msal')).not.toBe(msal); // the recovery's rotated refresh token
    console.log(`fault ${label}: exit ${r.code} in ${r.ms} ms after ${requests} requests; recovery exit ${ok.code} in ${ok.ms} ms`);
  });

  it('a fault that clears between attempts costs one retry, not an error', async () => {
    w.idp.addFault(refresh({ status: 503, times: 1, body: 'busy', contentType: 'text/plain' }));
    const r = await w.run(['token', 'flaky'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(w.idp.isValidAccessToken(r.stdout.trim())).toBeTruthy();
    expect(w.idp.counts()['token:refresh_token']).toBe(2);
  });
});

describe.skipIf(skip)('keychain locked, absent or hung: exit 5 within 3 s', () => {
  let locked: SecretService;
  let silent: Awaited<ReturnType<typeof startSilentBus>>;
  beforeAll(async () => {
    locked = await startSecretService({ unlocked: false });
    silent = await startSilentBus(mkdtempSync(join(tmpdir(), 'mailoauth-silent-')));
  });
  afterAll(async () => {
    await locked?.stop();
    await silent?.stop();
  });

  /** The signed-in account's metadata, in a fresh HOME whose keychain is the one under test. */
  function envWithAccount(bus: NodeJS.ProcessEnv): Env {
    const x = w.env({ ...KNOBS, ...bus });
    mkdirSync(join(x.XDG_CONFIG_HOME, 'mailoauth'), { recursive: true });
    writeFileSync(join(x.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), accountsJson(e)!, { mode: 0o600 });
    return x;
  }

  it.each([
    ['locked (no unlocked collection)', () => locked.env, /no unlocked collection/],
    ['absent (nothing on the bus address)', () => ({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }), /no Secret Service is answering/],
    ['hung (a bus that never answers)', () => silent.env, /did not answer within/],
  ])('%s', async (label, bus, message) => {
    const x = envWithAccount(bus());
    for (const args of [['token', 'flaky'], ['setup', '--yes', '--email', 'carol@contoso.example', '--flow', 'device', '--authority', w.idp.authority(), '--no-verify']]) {
      const r = await w.run(args, x);
      expect(r.code, r.stderr).toBe(5);
      // The keychain's deadline (2.5 s at most) plus starting Node in a busy suite; without one it would be D-Bus's 25 s.
      expect(r.ms).toBeLessThan(8000);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/keychain is not available/);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/--store file/);
      console.log(`keychain ${label}: ${args[0]} exit ${r.code} in ${r.ms} ms`);
    }
    expect(w.idp.counts()).toEqual({}); // setup stopped before asking the platform anything
    expect(accountsJson(x)).toBe(accountsJson(e));
  });

  it('nothing of it reached the real keychain', async () => {
    expect(Object.keys(await keychainItems(e)).sort()).toEqual(['flaky', 'flaky/msal']);
  });
});

describe.skipIf(skip)('secrets', () => {
  it('no token in any file or output of this file\'s runs', async () => {
    const scanned = await w.expectNoLeaks();
    console.log(`secrets (faults): ${scanned.tokens} tokens checked against ${scanned.files} files and ${scanned.runs} runs`);
  });
});
