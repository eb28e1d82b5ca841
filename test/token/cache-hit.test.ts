import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeCache } from '../../src/store/runtime-cache.js';
import { cacheHitOutput } from '../../src/token/cache-hit.js';
import { xoauth2 } from '../../src/token/format.js';
import { runtimeDir } from '../helpers/cli.js';

const NOW = Date.now();

/** A HOME with one account (last refreshed `idleDays` ago) and its runtime-cache entry. */
function world(o: { left?: number; idleDays?: number } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'mailoauth-hit-'));
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_RUNTIME_DIR: runtimeDir() };
  const config = join(env.XDG_CONFIG_HOME, 'mailoauth');
  mkdirSync(config, { recursive: true });
  const at = new Date(NOW - (o.idleDays ?? 1) * 86_400_000).toISOString();
  writeFileSync(join(config, 'accounts.json'), JSON.stringify({ version: 1, accounts: [{
    name: 'work', email: 'alice@contoso.example', provider: 'microsoft365', clientId: 'c', tenant: 't', authority: 'https://login.microsoftonline.com/t',
    scopes: [], imap: { host: 'h', port: 993, tls: 'implicit' }, smtp: { host: 'h', port: 587, tls: 'starttls' }, store: 'keychain', createdAt: at, lastRefreshAt: at,
  }] }));
  const cache = new RuntimeCache(join(env.XDG_RUNTIME_DIR, 'mailoauth'), config);
  cache.write('work', { accessToken: 'AT-1', expiresAt: NOW + (o.left ?? 3600_000), scopes: ['s'] });
  return { env, cache };
}
const inv = (o: Partial<{ name: string; xoauth2: boolean; json: boolean; debug: boolean }> = {}) => ({ name: 'work', xoauth2: false, json: false, debug: false, ...o });

describe('cacheHitOutput: the token answered from the runtime cache, or left to the full command', () => {
  it('a fresh entry: the token, the XOAUTH2 string or the JSON, as `token` prints them', () => {
    const { env } = world();
    expect(cacheHitOutput(inv(), env, NOW)).toBe('AT-1');
    expect(cacheHitOutput(inv({ xoauth2: true }), env, NOW)).toBe(xoauth2('alice@contoso.example', 'AT-1'));
    expect(JSON.parse(cacheHitOutput(inv({ json: true }), env, NOW)!)).toEqual({ access_token: 'AT-1', expires_at: new Date(NOW + 3600_000).toISOString(), account: 'work', scopes: ['s'] });
  });

  it.each([
    ['--debug (the full command explains)', {}, inv({ debug: true }), {}],
    ['the account named by its email', {}, inv({ name: 'alice@contoso.example' }), {}],
    ['an unknown account (the full command says which exist)', {}, inv({ name: 'nobody' }), {}],
    ['inside the refresh margin', { left: 4 * 60_000 }, inv(), {}],
    ['an alert is due (the sign-in ends in 2 days)', { idleDays: 88 }, inv(), {}],
    ['no memory runtime directory', {}, inv(), { XDG_RUNTIME_DIR: '/nonexistent' }],
  ])('%s: undefined', (_, w, i, envChange) => {
    const { env } = world(w);
    expect(cacheHitOutput(i, { ...env, ...envChange }, NOW)).toBeUndefined();
  });

  it('an entry another configuration wrote, or a broken accounts.json: undefined', () => {
    const { env, cache } = world();
    writeFileSync(cache.path('work'), 'mailoauth-access v1\n/some/other/config\n9999999999999\nOTHER\n\n');
    expect(cacheHitOutput(inv(), env, NOW)).toBeUndefined();
    const b = world();
    writeFileSync(join(b.env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), '{ not json');
    expect(cacheHitOutput(inv(), b.env, NOW)).toBeUndefined();
  });
});
