import type * as nodeFs from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import { unifiedDiff } from './unified-diff.js';

/**
 * The one writer for every client's config file. Reading, planning and writing are separate steps so
 * the command can show the diff (and stop there for --dry-run) before anything changes:
 *
 *   const file = readConfig(path, deps);              // follows symlinks, decodes strictly
 *   const merged = client.merge(file.text, ...);       // pure
 *   const plan = planWrite(file, merged.text);         // pure: the diff
 *   if (!dryRun) commitWrite(plan, deps, backups);     // backup once, atomic replace
 *
 * The file system and the clock come in as `deps`, so tests can fail any call and fix the time.
 */

export type WriterFs = Pick<typeof nodeFs,
  'lstatSync' | 'statSync' | 'realpathSync' | 'readlinkSync' | 'readFileSync' | 'mkdirSync' | 'openSync'
  | 'writeSync' | 'fsyncSync' | 'fchmodSync' | 'fchownSync' | 'closeSync' | 'renameSync' | 'unlinkSync' | 'existsSync'>;

export interface WriterDeps {
  fs: WriterFs;
  now(): number;
  /** Names temp files; any value unique among concurrent writers will do. */
  pid: number;
  /** Our uid, to decide whether to hand a rewritten file back to its owner (running as root). */
  uid?: number;
}

export interface ConfigFile {
  /** The path as given (may be a symlink). */
  path: string;
  /** The real file written: symlinks resolved, also dangling ones. */
  target: string;
  exists: boolean;
  text: string;
  /** Permission bits of the existing file. */
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface WritePlan {
  file: ConfigFile;
  newText: string;
  changed: boolean;
  /** `diff -u` of the change, labelled with the path as given. */
  diff: string;
  /** Mode the written file gets: the existing one, or 0600 for a new file (it names the token command). */
  mode: number;
}

/** Targets already backed up in this run: a run that writes one file twice (mutt and neomutt sharing
 * ~/.muttrc) keeps one backup, of the file as it was before mailoauth touched it. */
export type BackupLedger = Set<string>;
export const newBackupLedger = (): BackupLedger => new Set();

const NEW_FILE_MODE = 0o600;
const NEW_DIR_MODE = 0o700;

const code = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

/** Permission-type failures become a message with the fix; anything else is a bug and stays as it is. */
function explain(e: unknown, what: string, path: string): never {
  const c = code(e);
  if (c === 'EACCES' || c === 'EPERM' || c === 'EROFS') {
    const why = c === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    throw new UserError(ExitCode.Usage, `Cannot ${what}: ${path} ${why} (${c}).`,
      `Make it writable (chmod u+w ${path}), or print the block with \`mailoauth config ACCOUNT --client NAME --print\` ` +
      'and paste it yourself.');
  }
  throw e;
}

/**
 * Where a write to `path` lands: through every symlink, including one whose target doesn't exist yet.
 * With `uid` (whose files these are), a symlink is followed only when it, and where it leads, belong to
 * that user: a link planted in (or left dangling into) someone else's files is never written through —
 * which matters most when root runs with another user's HOME.
 */
function resolveTarget(path: string, fs: WriterFs, uid?: number): string {
  let p = resolve(path);
  const links: string[] = [];
  for (let hops = 0; hops < 40; hops++) {
    let st: nodeFs.Stats | undefined;
    try {
      st = fs.lstatSync(p);
    } catch (e) {
      if (code(e) !== 'ENOENT') explain(e, 'resolve', p);
    }
    if (!st?.isSymbolicLink()) {
      let target = p;
      try {
        target = fs.realpathSync(p); // a directory on the way may itself be a link
      } catch (e) {
        if (code(e) !== 'ENOENT') explain(e, 'resolve', p);
      }
      // Through a link (the file's or a directory's on the way): where it lands must be the user's.
      if (uid !== undefined && (links.length || target !== p)) checkOwned([...links, p], target, fs, uid, path);
      return target;
    }
    if (uid !== undefined && st.uid !== uid) refuseLink(path, p, `the link belongs to uid ${st.uid}`);
    links.push(p);
    const link = fs.readlinkSync(p);
    p = isAbsolute(link) ? link : resolve(dirname(p), link);
  }
  throw new UserError(ExitCode.Usage, `Too many symbolic links at ${path}.`, `Check the link with: ls -l ${path}`);
}

/** The target of a followed link (or, when it does not exist yet, its nearest existing directory) is the user's own. */
function checkOwned(links: string[], target: string, fs: WriterFs, uid: number, path: string): void {
  for (let p = target; ; p = dirname(p)) {
    let st: nodeFs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch (e) {
      if (code(e) !== 'ENOENT') explain(e, 'resolve', p);
    }
    if (st) {
      if (st.uid !== uid) refuseLink(path, links[0]!, `it leads to ${p}, which belongs to uid ${st.uid}`);
      return;
    }
    if (dirname(p) === p) return;
  }
}

function refuseLink(path: string, link: string, why: string): never {
  throw new UserError(ExitCode.Usage, `${path} is a symbolic link mailoauth will not write through: ${link}: ${why}, not to you.`,
    `Check it (ls -l ${link}); replace it with your own file or link, or print the block with --print and paste it yourself.`);
}

/**
 * Strict UTF-8 (and a byte-order mark kept as text), because the file is written back from this
 * string: a Latin-1 muttrc would otherwise come back with its accented bytes replaced.
 */
function decode(buf: Buffer, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new UserError(ExitCode.Usage, `${path} is not UTF-8 text; mailoauth won't rewrite it and risk changing its bytes.`,
      'Convert it (iconv -f latin1 -t utf-8), or print the block with --print and paste it yourself.');
  }
}

export function readConfig(path: string, deps: Pick<WriterDeps, 'fs' | 'uid'>): ConfigFile {
  const { fs } = deps;
  const target = resolveTarget(path, fs, deps.uid);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(target);
  } catch (e) {
    if (code(e) === 'ENOENT') return { path, target, exists: false, text: '' };
    if (code(e) === 'EISDIR') {
      throw new UserError(ExitCode.Usage, `${path} is a directory, not a config file.`, 'Give the path of the file.');
    }
    return explain(e, 'read', target);
  }
  const st = fs.statSync(target);
  return { path, target, exists: true, text: decode(buf, path), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}

export function planWrite(file: ConfigFile, newText: string): WritePlan {
  const changed = file.exists ? newText !== file.text : newText !== '';
  const diff = unifiedDiff(file.text, newText, file.exists ? file.path : '/dev/null', file.path);
  return { file, newText, changed, diff, mode: file.mode ?? NEW_FILE_MODE };
}

/** `FILE.mailoauth-bak-20250102T030405Z`, made unique with `.1`, `.2` … if that name is taken. */
export function backupName(target: string, now: number, taken: (p: string) => boolean): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const base = `${target}.mailoauth-bak-${stamp}`;
  let name = base;
  for (let i = 1; taken(name); i++) name = `${base}.${i}`;
  return name;
}

/** Write all of `data` to a new file (`wx`: never over an existing one), with exactly `mode`, and fsync. */
function writeNew(fs: WriterFs, path: string, data: Buffer, mode: number, owner?: { uid: number; gid: number }): void {
  const fd = fs.openSync(path, 'wx', mode);
  try {
    fs.fchmodSync(fd, mode); // the umask narrowed openSync's mode
    if (owner) {
      try {
        fs.fchownSync(fd, owner.uid, owner.gid);
      } catch { /* not root after all: the file stays ours */ }
    }
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface CommitResult {
  written: boolean;
  backupPath?: string;
}

/**
 * Perform a plan: refuse read-only targets, back the old file up (once per run), then replace it
 * atomically — temp file in the same directory, fsync, rename — keeping its mode and owner.
 */
export function commitWrite(plan: WritePlan, deps: WriterDeps, backups: BackupLedger): CommitResult {
  if (!plan.changed) return { written: false };
  const { fs } = deps;
  const { target, path } = plan.file;
  const dir = dirname(target);

  // Root ignores permission bits, so "the user made this read-only" is read from the bits themselves.
  if (plan.file.exists && ((plan.file.mode ?? 0) & 0o222) === 0) {
    throw new UserError(ExitCode.Usage, `${path} is read-only (mode ${(plan.file.mode ?? 0).toString(8).padStart(4, '0')}); ` +
      'mailoauth leaves it alone.',
      `Make it writable (chmod u+w ${target}) and run again, or print the block with --print and paste it yourself.`);
  }
  if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o222) === 0) {
    throw new UserError(ExitCode.Usage, `The directory ${dir} is read-only; mailoauth can't replace ${basename(target)} in it.`,
      `Make it writable (chmod u+w ${dir}) and run again, or print the block with --print and paste it yourself.`);
  }

  // The plan was made from what we read earlier: if someone saved the file since, stop rather than lose that.
  const current = readConfig(target, deps);
  if (current.exists !== plan.file.exists || current.text !== plan.file.text) {
    throw new UserError(ExitCode.Usage, `${path} changed while mailoauth was working on it; nothing was written.`,
      'Run the command again.');
  }

  const owner = plan.file.exists && deps.uid === 0 && plan.file.uid !== undefined && plan.file.gid !== undefined
    && (plan.file.uid !== 0 || plan.file.gid !== 0) ? { uid: plan.file.uid, gid: plan.file.gid } : undefined;

  let backupPath: string | undefined;
  if (plan.file.exists && !backups.has(target)) {
    // Taken means any entry, a dangling symlink included (existsSync follows links and would say "free").
    backupPath = backupName(target, deps.now(), (p) => lexists(fs, p));
    try {
      // 0600 whatever the original's mode: a backup of someone's rc file may hold their own secrets.
      writeNew(fs, backupPath, Buffer.from(plan.file.text, 'utf8'), NEW_FILE_MODE, owner);
    } catch (e) {
      if (code(e) === 'EEXIST') {
        throw new UserError(ExitCode.Usage, `Something appeared at ${backupPath} while mailoauth was writing its backup there; nothing was written.`,
          `Check it (ls -l ${backupPath}) and run the command again.`);
      }
      explain(e, 'write the backup', backupPath);
    }
    backups.add(target);
  }

  if (!plan.file.exists) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: NEW_DIR_MODE });
    } catch (e) {
      explain(e, 'create the directory', dir);
    }
  }

  const tmp = join(dir, `.${basename(target)}.mailoauth-${deps.pid}-${deps.now()}.tmp`);
  try {
    writeNew(fs, tmp, Buffer.from(plan.newText, 'utf8'), plan.mode, owner);
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch { /* never created */ }
    explain(e, `write ${basename(target)}`, code(e) === 'EACCES' || code(e) === 'EROFS' ? dir : target);
  }
  syncDir(fs, dir);
  return { written: true, backupPath };
}

function lexists(fs: WriterFs, p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch (e) {
    if (code(e) === 'ENOENT') return false;
    throw e;
  }
}

/** Make the rename itself durable; some file systems can't fsync a directory, which is fine. */
function syncDir(fs: WriterFs, dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch { /* best effort */ }
}

/** read → edit → plan → (unless dryRun) commit, in one call; `edit` gets the current text. */
export function updateConfig(path: string, edit: (text: string) => string, deps: WriterDeps,
  opts: { dryRun?: boolean; backups: BackupLedger }): { plan: WritePlan } & CommitResult {
  const file = readConfig(path, deps);
  const plan = planWrite(file, edit(file.text));
  if (opts.dryRun) return { plan, written: false };
  return { plan, ...commitWrite(plan, deps, opts.backups) };
}
