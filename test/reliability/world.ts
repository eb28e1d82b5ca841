/**
 * The world each reliability file runs in: a test CA, the local identity platform, a real Secret
 * Service (gnome-keyring on a private bus), and the built CLI run as separate processes. It keeps
 * every test HOME it made and the output of every CLI run, so a file can end with the secrets check:
 * no token the platform issued may appear in a file under those HOMEs or in any stderr (nor in the
 * stdout of anything but `token`, whose job it is to print one).
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { RuntimeCache } from '../../src/store/runtime-cache.js';
import { startIdp, type Idp } from '../fixtures/idp.js';
import { startSecretService, type SecretService } from '../fixtures/secret-service.js';
import { makeTestCa } from '../fixtures/tls.js';
import { start, testEnv, until, type RunResult, type Running } from '../helpers/cli.js';

export const TOOLS = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool', 'openssl'];
export const USER = 'alice@contoso.example';

export type Env = ReturnType<typeof testEnv>;

export interface World {
  idp: Idp;
  ss: SecretService;
  caFile: string;
  /** The test CA's server certificate (CN localhost, IP 127.0.0.1), for other local servers the CLI must trust. */
  tls: { certFile: string; keyFile: string };
  /** A fresh HOME on this world's keychain and platform; retries come fast (MAILOAUTH_RETRY_BASE_MS=50). */
  env(extra?: NodeJS.ProcessEnv): Env;
  /** Start the CLI; its output is kept for the secrets check. */
  start(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Running;
  run(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<RunResult>;
  /** `setup --flow device --yes` as account `name`, approved on the platform. */
  signIn(e: Env, name: string, extraArgs?: string[]): Promise<RunResult>;
  /** Which of `files` hold an issued token (or a recognisable piece or encoding of one). */
  leaksIn(files: string[]): string[];
  /** Which of `files` hold an issued refresh token (or a recognisable piece of one). */
  refreshTokensIn(files: string[]): string[];
  /** Fails the test when any issued token shows up where it must not. Returns what was scanned. */
  expectNoLeaks(): Promise<{ files: number; runs: number; tokens: number }>;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const ca = await makeTestCa(mkdtempSync(join(tmpdir(), 'mailoauth-ca-')));
  const idp = await startIdp({ tls: ca, users: [{ upn: USER, name: 'Alice' }] });
  const ss = await startSecretService();
  const homes: string[] = [];
  const runtimeDirs: string[] = [];
  const runs: Array<{ args: string[]; r: RunResult }> = [];

  const w: World = {
    idp,
    ss,
    caFile: ca.caFile,
    tls: { certFile: ca.certFile, keyFile: ca.keyFile },
    env(extra = {}) {
      const e = testEnv({ ...ss.env, NODE_EXTRA_CA_CERTS: ca.caFile, MAILOAUTH_RETRY_BASE_MS: '50', ...extra });
      homes.push(e.HOME);
      if (e.XDG_RUNTIME_DIR) runtimeDirs.push(e.XDG_RUNTIME_DIR);
      return e;
    },
    start(args, env, timeoutMs) {
      const p = start(args, env, timeoutMs);
      p.done = p.done.then((r) => {
        runs.push({ args, r });
        return r;
      });
      return p;
    },
    run(args, env, timeoutMs) {
      const p = w.start(args, env, timeoutMs);
      p.endInput();
      return p.done;
    },
    async signIn(e, name, extraArgs = []) {
      const p = w.start(['setup', '--yes', '--email', USER, '--name', name, '--flow', 'device', '--authority', idp.authority(), '--no-verify', ...extraArgs], e);
      p.endInput();
      const code = await until('the device code on stderr', () => /enter the code (\S+)/.exec(p.stderr())?.[1]);
      idp.approveDeviceCode(code, USER);
      const r = await p.done;
      expect(r.code, r.stderr).toBe(0);
      return r;
    },
    leaksIn(files) {
      const needles = tokenNeedles(idp);
      return files.filter((f) => {
        const text = readFileSync(f, 'latin1');
        return needles.some((n) => text.includes(n));
      });
    },
    refreshTokensIn(files) {
      const needles = refreshNeedles(idp);
      return files.filter((f) => {
        const text = readFileSync(f, 'latin1');
        return needles.some((n) => text.includes(n));
      });
    },
    async expectNoLeaks() {
      const { access, refresh } = idp.issuedTokens();
      const needles = tokenNeedles(idp);
      const all = homes.flatMap((h) => [...walk(h)]);
      // The runtime cache (memory, 0600) holds access tokens by design, and never a refresh token.
      const leaks = [...w.leaksIn(all), ...w.refreshTokensIn(runtimeDirs.flatMap((d) => [...walk(d)]))];
      const files = all.length;
      for (const { args, r } of runs) {
        const out = [r.stderr, args[0] === 'token' ? '' : r.stdout].join('\n');
        if (needles.some((n) => out.includes(n))) leaks.push(`output of mailoauth ${args.join(' ')}`);
      }
      expect(leaks, 'tokens found where none may be').toEqual([]);
      expect(access.length).toBeGreaterThan(0);
      return { files, runs: runs.length, tokens: access.length + refresh.length };
    },
    async stop() {
      await idp.stop();
      await ss.stop();
    },
  };
  return w;
}

/**
 * Whole tokens; the parts a truncated log line would still carry (a JWT's signature, a stretch from
 * the middle of a refresh token); and the SASL XOAUTH2 string a mail login sends.
 */
function tokenNeedles(idp: Idp): string[] {
  const { access } = idp.issuedTokens();
  return [
    ...access.flatMap((t) => [t, t.split('.')[2]!, Buffer.from(`user=${USER}\x01auth=Bearer ${t}\x01\x01`).toString('base64')]),
    ...refreshNeedles(idp),
  ];
}

function refreshNeedles(idp: Idp): string[] {
  return idp.issuedTokens().refresh.flatMap((t) => [t, t.slice(10, 42)]);
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) yield* walk(p);
    else if (st.isFile()) yield p;
  }
}

/** A keychain item as another Secret Service client (secret-tool) sees it; '' when absent. */
export function keychainItem(e: NodeJS.ProcessEnv, username: string): Promise<string> {
  return exec('secret-tool', ['lookup', 'service', 'mailoauth', 'username', username], e).then((r) => r.stdout);
}

/** Every mailoauth item in the keychain: username → secret. */
export async function keychainItems(e: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  // secret-tool prints the attributes on stderr, the secrets on stdout: take the names, then look each up.
  const r = await exec('secret-tool', ['search', '--all', 'service', 'mailoauth'], e);
  const names = [...r.stderr.matchAll(/^attribute\.username = (.*)$/gm)].map((m) => m[1]!).sort();
  const out: Record<string, string> = {};
  for (const n of names) out[n] = await keychainItem(e, n);
  return out;
}

/** Put `value` into the keychain item service=mailoauth username=`username`, as another program would. */
export async function writeKeychainItem(e: NodeJS.ProcessEnv, username: string, value: string, label = `not mailoauth: ${username}`): Promise<void> {
  const r = await exec('secret-tool', ['store', '--label', label, 'service', 'mailoauth', 'username', username], e, value);
  if (r.code !== 0) throw new Error(`secret-tool store failed: ${r.stderr}`);
}

/**
 * What the passing of time does to a stored access record: the keychain item and its runtime-cache
 * copy (runtime-cache.ts) both get `expiresAt`. Returns the access token they hold.
 */
export async function ageAccess(e: Env, name: string, expiresAt: number, label = `aged by a test: ${name}`): Promise<string> {
  const rec = JSON.parse(await keychainItem(e, name));
  await writeKeychainItem(e, name, JSON.stringify({ ...rec, expiresAt }), label);
  if (e.XDG_RUNTIME_DIR) new RuntimeCache(join(e.XDG_RUNTIME_DIR, 'mailoauth'), join(e.XDG_CONFIG_HOME, 'mailoauth')).write(name, { ...rec, expiresAt });
  return rec.accessToken;
}

/** The runtime cache emptied, as logout or a reboot leaves it: the next read goes to the keychain. */
export function dropRuntimeCache(e: Env): void {
  if (e.XDG_RUNTIME_DIR) rmSync(join(e.XDG_RUNTIME_DIR, 'mailoauth'), { recursive: true, force: true });
}

export function refreshTokenIn(cache: string): string | undefined {
  if (!cache) return undefined;
  return Object.values(JSON.parse(cache).RefreshToken as Record<string, { secret: string }>)[0]?.secret;
}

export async function storedRefreshToken(e: NodeJS.ProcessEnv, name: string): Promise<string | undefined> {
  return refreshTokenIn(await keychainItem(e, `${name}/msal`));
}

export function accountsJson(e: Env): string | undefined {
  const f = join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json');
  return existsSync(f) ? readFileSync(f, 'utf8') : undefined;
}

/** Async on purpose: the identity platform lives in this process and must keep answering. */
export function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // a child that closed its stdin (`0<&-`) is not an error here
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: stdout.replace(/\n$/, ''), stderr });
    });
    child.stdin.end(input ?? '');
  });
}
