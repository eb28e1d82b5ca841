/**
 * Bad input, as CLI runs: each gets a clear message and its documented exit code (SPEC: 2 usage/bad
 * input, 3 sign in again, 5 keychain), and nothing is written — accounts.json byte for byte as before,
 * no keychain item added or changed.
 */
import https from 'node:https';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliPath, until, type RunResult } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';
import { accountsJson, dropRuntimeCache, exec, keychainItems, startWorld, TOOLS, USER, writeKeychainItem, type Env, type World } from './world.js';

const skip = skipWithout('reliability: bad input', TOOLS);

let w: World;
let e: Env;
beforeAll(async () => {
  if (skip) return;
  w = await startWorld();
  e = w.env({ MAILOAUTH_BROWSER_TIMEOUT_MS: '2000' });
  await w.signIn(e, 'alice');
}, 60_000);
afterAll(async () => {
  await w?.stop();
});
beforeEach(() => {
  if (skip) return;
  w.idp.clearFaults();
  w.idp.resetCounts();
});

/** Run, and prove nothing was written: accounts.json and every mailoauth keychain item unchanged. */
async function runWritingNothing(args: string[], env: Env = e, run = (a: string[], x: Env) => w.run(a, x)): Promise<RunResult> {
  const accounts = accountsJson(env);
  const items = await keychainItems(env);
  const r = await run(args, env);
  expect(accountsJson(env), 'accounts.json').toBe(accounts);
  expect(await keychainItems(env), 'keychain items').toEqual(items);
  expect(r.stdout).toBe('');
  console.log(`bad input: mailoauth ${args.slice(0, 6).join(' ')}… → exit ${r.code} in ${r.ms} ms: ${r.stderr.trim().split('\n').filter((l) => l.includes('mailoauth:')).pop()?.replace(/^.*?mailoauth:/, 'mailoauth:')}`);
  return r;
}

const setup = (...more: string[]) => ['setup', '--yes', '--flow', 'device', '--authority', w.idp.authority(), '--no-verify', ...more];

describe.skipIf(skip)('setup refuses bad answers before signing in', () => {
  it.each([
    ['no @', 'alice.contoso.example'],
    ['nothing after @', 'alice@'],
    ['nothing before @', '@contoso.example'],
    ['no dot in the domain', 'alice@contoso'],
    ['a space', 'alice smith@contoso.example'],
    ['shell metacharacters', 'alice@contoso.example;rm -rf ~'],
    ['two @', 'alice@bob@contoso.example'],
    ['empty', ''],
  ])('malformed email (%s) → exit 2', async (_, email) => {
    const r = await runWritingNothing(setup('--email', email));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(email ? /is not an email address/ : /Missing --email/);
    expect(w.idp.counts()).toEqual({});
  });

  it.each([
    ['a word', 'thunderbird'],
    ['one digit short', '9e5f94bc-e8a4-4e73-b8be-63364c29d75'],
    ['in braces', '{9e5f94bc-e8a4-4e73-b8be-63364c29d753}'],
    ['not hex', '9e5f94bc-e8a4-4e73-b8be-63364c29d75z'],
    ['empty', ''],
  ])('non-GUID client id (%s) → exit 2', async (_, id) => {
    const r = await runWritingNothing(setup('--email', 'bob@contoso.example', '--client-id', id));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/is not a Microsoft client id/);
    expect(w.idp.counts()).toEqual({});
  });

  it.each([
    ['a space', 'work mail'],
    ['a leading dash', '-work'],
    ['a quote', "bob's"],
  ])('account name with %s → exit 2', async (_, name) => {
    const r = await runWritingNothing(setup('--email', 'bob@contoso.example', '--name', name));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/cannot be an account name/);
  });

  it('unknown domain (Microsoft: AADSTS90002, no such tenant) → exit 2 with what to check', async () => {
    w.idp.addFault({ endpoint: 'openid', aadsts: { error: 'invalid_tenant', code: 90002, status: 400,
      description: "Tenant 'nosuch.example' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud." } });
    const r = await runWritingNothing(['setup', '--yes', '--flow', 'device', '--authority', w.idp.authority('nosuch.example'), '--no-verify', '--email', 'bob@nosuch.example']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/no tenant by that name.*AADSTS90002/);
    expect(r.stderr).toMatch(/--provider outlook\.com|--tenant/);
    expect(w.idp.counts().devicecode ?? 0).toBe(0);
  });
});

describe.skipIf(skip)('sign-in that cannot go on', () => {
  let busy: Server;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));

  it('a busy loopback port (--flow browser --port N) → exit 2 naming the port', async () => {
    const port = String((busy.address() as { port: number }).port);
    const r = await runWritingNothing(['setup', '--yes', '--flow', 'browser', '--port', port, '--authority', w.idp.authority(), '--no-verify', '--email', 'bob@contoso.example']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(r.stderr).toMatch(/--port/);
  });

  it('a browser that cannot start: the address is printed, setup waits for it, then exit 2', async () => {
    const r = await runWritingNothing(['setup', '--yes', '--flow', 'browser', '--authority', w.idp.authority(), '--no-verify', '--email', 'bob@contoso.example'],
      { ...e, BROWSER: '/nonexistent' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/visit:\n\n {2}https:\/\/127\.0\.0\.1:\d+\/organizations\/oauth2\/v2\.0\/authorize\?\S+/);
    expect(r.stderr).toMatch(/No browser could be started; open the address above yourself/);
    expect(r.stderr).toMatch(/No answer from the browser within 2 s/);
    expect(r.ms).toBeGreaterThanOrEqual(2000);
  });

  it('a browser that cannot start: opening the printed address by hand completes the sign-in', async () => {
    const x = w.env({ BROWSER: '/nonexistent', MAILOAUTH_BROWSER_TIMEOUT_MS: '30000' });
    const p = w.start(['setup', '--yes', '--flow', 'browser', '--redirect-uri', 'http://127.0.0.1', '--authority', w.idp.authority(), '--no-verify', '--email', USER, '--name', 'byhand'], x);
    p.endInput();
    await until('the no-browser notice', () => p.stderr().includes('No browser could be started'));
    const url = /visit:\n\n {2}(\S+)/.exec(p.stderr())![1]!;
    // What the person does: open it; the platform sends the browser back to the loopback listener.
    const location = await new Promise<string>((resolve, reject) =>
      https.get(url, { ca: readFileSync(w.ca.caFile) }, (res) => {
        res.resume();
        resolve(res.headers.location ?? '');
      }).on('error', reject));
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?\?code=/);
    expect((await fetch(location)).status).toBe(200);
    const r = await p.done;
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(await keychainItems(x))).toEqual(expect.arrayContaining(['byhand', 'byhand/msal']));
  });

  it.each([
    ['bare setup, stdin not a terminal', ['setup'], /Missing --email \(standard input is not a terminal/],
    ['paste flow, stdin ended', ['setup', '--flow', 'paste', '--email', 'bob@contoso.example', '--no-verify'], /Standard input closed before an address was pasted/],
  ])('closed stdin (%s) → exit 2', async (_, args, message) => {
    const withAuthority = args.length > 1 ? [...args, '--authority', w.idp.authority()] : args;
    const r = await runWritingNothing(withAuthority);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('stdin closed outright (fd 0 closed, `0<&-`) → exit 2', async () => {
    const viaShell = async (args: string[], x: Env): Promise<RunResult> => {
      const t0 = Date.now();
      const r = await exec('sh', ['-c', 'exec "$@" 0<&-', 'sh', process.execPath, cliPath(), ...args], x);
      return { code: r.code, signal: null, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
    };
    const r = await runWritingNothing(['setup', '--flow', 'paste', '--email', 'bob@contoso.example', '--no-verify', '--authority', w.idp.authority()], e, viaShell);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/Standard input closed/);
  });
});

describe.skipIf(skip)('stored state that is not what mailoauth wrote', () => {
  function envWithAccounts(text: string): Env {
    const x = w.env();
    mkdirSync(join(x.XDG_CONFIG_HOME, 'mailoauth'), { recursive: true });
    writeFileSync(join(x.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), text, { mode: 0o600 });
    return x;
  }

  it.each([
    ['truncated JSON', '{"version":1,"accounts":[{"name":"alice"'],
    ['not an accounts file', '{"hello":"world"}\n'],
    ['an entry without its fields', '{"version":1,"accounts":[{"name":"alice"}]}\n'],
    ['binary junk', '\u0000\u0001\u0002garbage'],
  ])('corrupt accounts.json (%s): token and setup → exit 2, file untouched, nothing stored', async (_, text) => {
    const x = envWithAccounts(text);
    const t = await runWritingNothing(['token', 'alice'], x);
    expect(t.code, t.stderr).toBe(2);
    expect(t.stderr).toMatch(/accounts\.json cannot be read/);
    expect(t.stderr).toMatch(/Fix or move the file aside/);
    const s = await runWritingNothing(setup('--email', 'dave@contoso.example', '--name', 'dave'), x);
    expect(s.code, s.stderr).toBe(2);
    expect(s.stderr).toMatch(/accounts\.json cannot be read/);
    expect(w.idp.counts()).toEqual({}); // stopped before the sign-in began
    expect(readFileSync(join(x.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')).toBe(text);
  });

  it('an unknown account name → exit 2 listing the known ones', async () => {
    const r = await runWritingNothing(['token', 'nobody'], e);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/No account named "nobody"\. Known accounts: alice\./);
  });

  it.each([
    ['plain text', 'garbage'],
    ['JSON that is no MSAL cache', '{"hello":"world"}'],
    ['an MSAL cache without a refresh token', '{"Account":{},"RefreshToken":{}}'],
  ])('keychain items that are not ours (%s in ACCOUNT and ACCOUNT/msal) → exit 3, items left as found', async (_, junk) => {
    const x = w.env();
    await w.signIn(x, 'mallory');
    await writeKeychainItem(x, 'mallory/msal', junk);
    await writeKeychainItem(x, 'mallory', junk);
    dropRuntimeCache(x);
    w.idp.resetCounts();
    const r = await runWritingNothing(['token', 'mallory'], x);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/The keychain item for mallory is not a mailoauth token cache/);
    expect(r.stderr).toContain('mailoauth setup --reauth mallory');
    expect(w.idp.counts()).toEqual({});
  });

  it('an access item that is not ours, beside a good refresh token, is only a cache miss: refreshed and replaced', async () => {
    const x = w.env();
    await w.signIn(x, 'trent');
    const msal = (await keychainItems(x))['trent/msal'];
    await writeKeychainItem(x, 'trent', 'garbage');
    dropRuntimeCache(x);
    w.idp.resetCounts();
    const r = await w.run(['token', 'trent'], x);
    expect(r.code, r.stderr).toBe(0);
    expect(w.idp.isValidAccessToken(r.stdout.trim())).toBeTruthy();
    expect(w.idp.counts()).toEqual({ 'token:refresh_token': 1 });
    const items = await keychainItems(x);
    expect(JSON.parse(items.trent!).accessToken).toBe(r.stdout.trim());
    expect(items['trent/msal']).not.toBe(msal); // rotated, not lost
  });
});

describe.skipIf(skip)('secrets', () => {
  it('no token in any file or output of this file\'s runs', async () => {
    const scanned = await w.expectNoLeaks();
    console.log(`secrets (bad input): ${scanned.tokens} tokens checked against ${scanned.files} files and ${scanned.runs} runs`);
  });
});
