import { lstatSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { ExitCode, UserError } from '../errors.js';
import { locksDir } from './paths.js';

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  /**
   * A lock whose holder stopped touching it for this long is taken over (the holder refreshes its
   * mtime every staleMs/2 while alive, so only a dead or frozen process goes stale) — unless its owner
   * file shows the holder still running (Linux), which a starved process on a loaded machine can be.
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
  const lockPath = `${target}.lock`;
  const poll = opts.pollMs ?? 40;
  // proper-lockfile's minimum; the holder touches the lock every staleMs/2.
  const staleMs = Math.max(opts.staleMs ?? 10_000, 2000);
  const deadline = Date.now() + opts.waitMs;
  checkLockEntry(lockPath);
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(target, {
        realpath: false,
        lockfilePath: lockPath,
        // Stale locks are taken over by takeOverIfStale below, never by proper-lockfile itself.
        stale: NEVER_STALE_MS,
        update: staleMs / 2,
        retries: 0,
        // A compromised lock (mtime could not be kept fresh) at worst lets a second refresh run, which the
        // provider tolerates: keep going instead of crashing from a timer.
        onCompromised: () => {},
      });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    }
    if (takeOverIfStale(lockPath, staleMs)) continue;
    if (Date.now() >= deadline) {
      throw new UserError(
        ExitCode.Unavailable,
        `Another mailoauth process has held the ${name} lock for over ${Math.round(opts.waitMs / 1000)} s.`,
        `If no mailoauth is running, remove ${lockPath}`,
      );
    }
    await new Promise((r) => setTimeout(r, poll * (1 + Math.random())));
  }
  const owner = `${lockPath}.owner`;
  const me = processIdentity(process.pid);
  if (me) writeFileSync(owner, me, { mode: 0o600 });
  try {
    return await body();
  } finally {
    if (me) rmSync(owner, { force: true });
    await release().catch(() => {});
  }
}

/**
 * A process as "pid starttime" (Linux: /proc/PID/stat field 22), so a recycled pid is not mistaken for
 * the holder; undefined where /proc is not there (then a lock's mtime alone decides, as before).
 */
export function processIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${pid} ${fields[19]}`;
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock's holder is provably alive: its owner file names a process that still runs (same pid,
 * same start time). A holder starved of CPU on a loaded machine can miss its mtime touches; it must not
 * be robbed while it refreshes, or two refreshes run.
 */
function holderAlive(lockPath: string): boolean {
  let recorded: string;
  try {
    recorded = readFileSync(`${lockPath}.owner`, 'utf8').trim();
  } catch {
    return false;
  }
  const pid = Number(recorded.split(' ')[0]);
  return Number.isInteger(pid) && pid > 0 && processIdentity(pid) === recorded;
}

const NEVER_STALE_MS = 7 * 24 * 3600 * 1000;

/** A lock is a directory mailoauth made: anything else there (a planted symlink, a file) is said, not stumbled over. */
function checkLockEntry(lockPath: string): void {
  let st;
  try {
    st = lstatSync(lockPath);
  } catch {
    return; // free
  }
  if (st.isDirectory()) return;
  throw new UserError(
    ExitCode.Usage,
    `${lockPath} is ${st.isSymbolicLink() ? 'a symbolic link' : 'a file'}, not a lock mailoauth made; it won't follow or remove it.`,
    `Check it (ls -l ${lockPath}) and remove it: rm ${lockPath}`,
  );
}

const isStale = (path: string, staleMs: number) => {
  try {
    return Date.now() - statSync(path).mtimeMs > staleMs;
  } catch {
    return false; // gone: the next attempt may simply get it
  }
};

/**
 * Remove the lock of a holder that died (its mtime stopped moving), so the caller can try again.
 * proper-lockfile's own takeover (stat, rmdir, mkdir) lets two waiters that both saw the dead lock
 * each remove the lock the other just took, and both go on to refresh
 * (moxystudio/node-proper-lockfile#121). Here only the waiter that creates the `.takeover` directory
 * may remove the lock, and it checks staleness again once it has it. true: try to lock again now.
 */
function takeOverIfStale(lockPath: string, staleMs: number): boolean {
  if (!isStale(lockPath, staleMs) || holderAlive(lockPath)) return false;
  const guard = `${lockPath}.takeover`;
  try {
    mkdirSync(guard);
  } catch {
    // Another waiter is taking over. A guard whose owner died in those few microseconds goes stale too.
    if (isStale(guard, staleMs)) rmSync(guard, { recursive: true, force: true });
    return false;
  }
  try {
    if (isStale(lockPath, staleMs) && !holderAlive(lockPath)) {
      rmSync(lockPath, { recursive: true, force: true });
      rmSync(`${lockPath}.owner`, { force: true });
    }
    return true;
  } finally {
    rmSync(guard, { recursive: true, force: true });
  }
}
