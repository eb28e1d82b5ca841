import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built CLI; MAILOAUTH_CLI overrides (the benchmark bundles this file elsewhere). */
export const cliPath = () => process.env.MAILOAUTH_CLI ?? resolve(import.meta.dirname, '../../dist/cli.cjs');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Running {
  pid: number;
  /** Everything written to stderr so far. */
  stderr(): string;
  write(line: string): void;
  endInput(): void;
  kill(signal?: NodeJS.Signals): void;
  done: Promise<RunResult>;
}

/** Children still running when the test process exits are killed, so a failed test leaks nothing. */
const live = new Set<import('node:child_process').ChildProcess>();
/** Runtime directories live in memory (/dev/shm): removed when the test process exits. */
const runtimeDirs: string[] = [];
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
  for (const d of runtimeDirs) rmSync(d, { recursive: true, force: true });
});

/** Start the built CLI (or `cli`, an installed copy) as a mail client would: a separate process, its own env, no TTY. */
export function start(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000, cli = cliPath(), cwd?: string): Running {
  const t0 = Date.now();
  const child = spawn(process.execPath, [cli, ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdin.on('error', () => {});
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<RunResult>((r) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      r({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    }),
  );
  return {
    pid: child.pid!,
    stderr: () => stderr,
    write: (line) => child.stdin.write(line),
    endInput: () => child.stdin.end(),
    kill: (s = 'SIGTERM') => child.kill(s),
    done,
  };
}

export function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<RunResult> {
  const r = start(args, env, timeoutMs);
  r.endInput();
  return r.done;
}

/**
 * A private HOME/XDG_CONFIG_HOME and the environment every CLI run in a test shares. Its
 * XDG_RUNTIME_DIR is a private 0700 directory in memory, as systemd-logind makes one at login, so
 * the access-token runtime cache is used as on a desktop (and never shared between tests).
 */
export function testEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv & { HOME: string; XDG_CONFIG_HOME: string } {
  const home = mkdtempSync(join(tmpdir(), 'mailoauth-home-'));
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_RUNTIME_DIR: runtimeDir(),
    LANG: 'C.UTF-8',
    ...extra,
  } as NodeJS.ProcessEnv & { HOME: string; XDG_CONFIG_HOME: string };
}

/**
 * A fresh 0700 directory on a memory file system (/dev/shm), like /run/user/UID: under the test run's
 * root (runtime-root.ts, removed at the end of the run), else removed when this process exits.
 */
export function runtimeDir(): string {
  const root = process.env.MAILOAUTH_TEST_RUNTIME_ROOT ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const d = mkdtempSync(join(root, 'mailoauth-run-'));
  runtimeDirs.push(d);
  return d;
}

/** Wait for `pred` (bounded). */
export async function until<T>(what: string, pred: () => T | undefined | false, timeoutMs = 15_000, stepMs = 25): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
