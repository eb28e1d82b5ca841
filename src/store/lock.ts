import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { ExitCode, UserError } from '../errors.js';
import { locksDir } from './paths.js';

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  /**
   * A lock whose holder stopped touching it for this long is taken over (the holder refreshes its
   * mtime every staleMs/2 while alive, so only a dead or frozen process goes stale).
   */
  staleMs?: number;
  pollMs?: number;
}

/**
 * Run `body` holding a cross-process lock named `name` (a mkdir lock in the config dir, via
 * proper-lockfile). Concurrent `mailoauth token` processes for one account queue here, so one
 * refresh serves them all.
 */
export async function withLock<T>(env: NodeJS.ProcessEnv, name: string, opts: LockOptions, body: () => Promise<T>): Promise<T> {
  const dir = locksDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = join(dir, encodeURIComponent(name));
  const poll = opts.pollMs ?? 40;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      lockfilePath: `${target}.lock`,
      stale: opts.staleMs ?? 10_000,
      retries: { retries: Math.ceil(opts.waitMs / poll), factor: 1, minTimeout: poll, maxTimeout: poll, randomize: true },
      // A compromised lock (mtime could not be kept fresh) at worst lets a second refresh run, which the
      // provider tolerates: keep going instead of crashing from a timer.
      onCompromised: () => {},
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new UserError(
        ExitCode.Unavailable,
        `Another mailoauth process has held the ${name} lock for over ${Math.round(opts.waitMs / 1000)} s.`,
        `If no mailoauth is running, remove ${target}.lock`,
      );
    }
    throw e;
  }
  try {
    return await body();
  } finally {
    await release().catch(() => {});
  }
}
