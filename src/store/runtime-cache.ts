import { readFileSync, statfsSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { xdgRuntimeDir } from '../xdg.js';

/**
 * The access-token cache in memory-backed, per-user storage: a 0600 file per account in a 0700
 * directory under the user's runtime directory (`$XDG_RUNTIME_DIR`, else `/run/user/UID`: a tmpfs
 * that systemd-logind creates at login, owned by the user, mode 0700, emptied at logout and gone at
 * reboot). A cache hit reads one small file: no D-Bus, no Secret Service, no GPG; it works from cron
 * while the token is fresh. It holds the access record only (never the refresh token, which stays
 * in the account's store), and a record is deleted when a reader finds it expired.
 *
 * The file is line-based so that a shell can read it too:
 *   mailoauth-access v1
 *   <config directory it belongs to>
 *   <expiry, epoch milliseconds>
 *   <access token>
 *   <scopes, space-separated>
 */
const MAGIC = 'mailoauth-access v1';

/** statfs f_type of the file systems that never reach a disk (linux/magic.h). */
export const MEMORY_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x01021994, 'tmpfs'],
  [0x858458f6, 'ramfs'],
]);

export interface DirFacts {
  isDirectory: boolean;
  uid: number;
  mode: number;
  /** statfs f_type. */
  fsType: number;
}

export type RuntimeDirVerdict =
  | { ok: true; dir: string }
  | { ok: false; dir?: string; why: string };

/**
 * Whether `dir` may hold access tokens: it must be ours, closed to everyone else, and in memory.
 * Pure: the facts come from stat/statfs (undefined when the directory does not exist).
 */
export function judgeRuntimeDir(dir: string | undefined, facts: DirFacts | undefined, uid: number | undefined, platform: NodeJS.Platform): RuntimeDirVerdict {
  if (platform !== 'linux') return { ok: false, why: `no per-user memory file system is known on ${platform}; the token is read from the store` };
  if (!dir || uid === undefined) return { ok: false, why: 'no runtime directory (XDG_RUNTIME_DIR unset and no /run/user/UID)' };
  if (!facts) return { ok: false, dir, why: `${dir} does not exist` };
  if (!facts.isDirectory) return { ok: false, dir, why: `${dir} is not a directory` };
  if (facts.uid !== uid) return { ok: false, dir, why: `${dir} belongs to uid ${facts.uid}, not to you (${uid})` };
  if ((facts.mode & 0o077) !== 0) return { ok: false, dir, why: `${dir} is open to other users (mode ${(facts.mode & 0o777).toString(8)})` };
  if (!MEMORY_FILESYSTEMS.has(facts.fsType)) return { ok: false, dir, why: `${dir} is not memory-backed (file system type 0x${facts.fsType.toString(16)}), so a token there could reach a disk` };
  return { ok: true, dir };
}

/** `$XDG_RUNTIME_DIR` (absolute), else `/run/user/UID`. */
export function runtimeDirFor(env: NodeJS.ProcessEnv, uid: number | undefined): string | undefined {
  return xdgRuntimeDir(env) ?? (uid === undefined ? undefined : `/run/user/${uid}`);
}

export function dirFacts(dir: string): DirFacts | undefined {
  try {
    const st = statSync(dir);
    return { isDirectory: st.isDirectory(), uid: st.uid, mode: st.mode, fsType: Number(statfsSync(dir).type) };
  } catch {
    return undefined;
  }
}

/** The verdict for this process: where its cache lives, or why there is none. */
export function runtimeCacheDir(env: NodeJS.ProcessEnv, uid = process.getuid?.(), platform = process.platform): RuntimeDirVerdict {
  const dir = runtimeDirFor(env, uid);
  const v = judgeRuntimeDir(dir, platform === 'linux' && dir ? dirFacts(dir) : undefined, uid, platform);
  return v.ok ? { ok: true, dir: join(v.dir, 'mailoauth') } : v;
}

export interface CachedAccess {
  accessToken: string;
  expiresAt: number;
  scopes: string[];
}

export function formatEntry(configDir: string, r: CachedAccess): string {
  return `${MAGIC}\n${configDir}\n${r.expiresAt}\n${r.accessToken}\n${r.scopes.join(' ')}\n`;
}

/** undefined for anything but an entry of this config directory with sane fields. */
export function parseEntry(text: string, configDir: string): CachedAccess | undefined {
  const [magic, dir, exp, token, scopes] = text.split('\n');
  const expiresAt = Number(exp);
  if (magic !== MAGIC || dir !== configDir || !Number.isSafeInteger(expiresAt) || !token || /\s/.test(token)) return undefined;
  return { accessToken: token, expiresAt, scopes: scopes ? scopes.split(' ').filter(Boolean) : [] };
}

/**
 * One directory of entries. Entry names are the account names (their alphabet is file-name safe);
 * the config directory inside tells two configurations of one user apart.
 */
export class RuntimeCache {
  constructor(
    readonly dir: string,
    private readonly configDir: string,
  ) {}

  path(name: string): string {
    return join(this.dir, name);
  }

  read(name: string): CachedAccess | undefined {
    let text: string;
    try {
      text = readFileSync(this.path(name), 'utf8');
    } catch {
      return undefined;
    }
    return parseEntry(text, this.configDir);
  }

  /** The directory is created 0700 by the atomic write. */
  write(name: string, r: CachedAccess): void {
    writeFileAtomic(this.path(name), formatEntry(this.configDir, r), 0o600);
  }

  /** true when an entry was there. */
  remove(name: string): boolean {
    try {
      unlinkSync(this.path(name));
      return true;
    } catch {
      return false;
    }
  }
}
