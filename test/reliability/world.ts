/**
 * The reliability and security suites run in the one test world (../e2e/harness.ts: the identity
 * platform, a real Secret Service, Dovecot, SMTP; the CLI as separate processes whose output is kept
 * for the secrets check). This file adds what those suites read and write behind mailoauth's back,
 * as another program would: keychain items through secret-tool, the runtime cache, accounts.json.
 * Async on purpose: the identity platform lives in this process and must keep answering.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeCache } from '../../src/store/runtime-cache.js';
import { refreshTokenIn, WORLD_TOOLS, type UserEnv } from '../e2e/harness.js';

export { refreshTokenIn, startWorld, USER, type World } from '../e2e/harness.js';

export const TOOLS = WORLD_TOOLS;

export type Env = UserEnv;

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

export async function storedRefreshToken(e: NodeJS.ProcessEnv, name: string): Promise<string | undefined> {
  return refreshTokenIn(await keychainItem(e, `${name}/msal`));
}

export function accountsJson(e: Env): string | undefined {
  const f = join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json');
  return existsSync(f) ? readFileSync(f, 'utf8') : undefined;
}

/** A program run as another client would; bounded (SIGKILL after 10 s). */
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
