import * as fs from 'node:fs';
import { userError } from '../helpers/user-error.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConflict } from '../../src/clients/block.js';
import { CLIENT_IDS, type ClientId } from '../../src/clients/client.js';
import { CLIENTS } from '../../src/clients/index.js';
import {
  backupName, commitWrite, newBackupLedger, planWrite, readConfig, updateConfig, type WriterDeps, type WriterFs,
} from '../../src/clients/writer.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { account, BIN, existingConfig, ropts } from './support.js';

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);
let dir: string;
let clock: number;
const deps = (over: Partial<WriterFs> = {}): WriterDeps => ({
  fs: { ...fs, ...over } as WriterFs, now: () => clock, pid: 4242, uid: process.getuid?.(),
});

beforeEach(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'mailoauth-writer-'));
  clock = T0;
});
afterEach(() => {
  // Undo the read-only modes some tests set, so the cleanup can remove everything.
  for (const e of fs.readdirSync(dir, { recursive: true }) as string[]) {
    try {
      fs.chmodSync(join(dir, e), 0o700);
    } catch { /* dangling link */ }
  }
  fs.chmodSync(dir, 0o700);
  fs.rmSync(dir, { recursive: true, force: true });
});

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const entries = () => fs.readdirSync(dir).sort();

/** The whole command flow for one client: read, merge, plan, commit. */
function writeBlock(id: ClientId, path: string, backups = newBackupLedger(), d = deps()) {
  const c = CLIENTS[id];
  const file = readConfig(path, d);
  const a = account();
  const r = c.merge(file.text, a, c.render(a, ropts()), { label: path });
  if (isConflict(r)) throw new Error(r.reason);
  const plan = planWrite(file, r.text);
  return { plan, ...commitWrite(plan, d, backups) };
}

describe.each(CLIENT_IDS.map((id) => [id]))('%s through the writer', (id) => {
  it('fresh file in missing directories: 0600 file, 0700 directories, no backup', () => {
    const path = join(dir, 'x', 'y', 'rc');
    const r = writeBlock(id, path);
    expect(r.written).toBe(true);
    expect(r.backupPath).toBeUndefined();
    expect(mode(path)).toBe(0o600);
    expect(mode(join(dir, 'x'))).toBe(0o700);
    expect(mode(join(dir, 'x', 'y'))).toBe(0o700);
    expect(fs.readFileSync(path, 'utf8')).toContain(`# >>> mailoauth work >>>`);
    expect(r.plan.diff.startsWith(`--- /dev/null\n+++ ${path}\n`)).toBe(true);
  });

  it('existing file: mode kept, one backup with the original bytes, rerun writes nothing', () => {
    const path = join(dir, 'rc');
    fs.writeFileSync(path, existingConfig(id), { mode: 0o640 });
    fs.chmodSync(path, 0o640);
    const r = writeBlock(id, path);
    expect(mode(path)).toBe(0o640);
    expect(r.backupPath).toBe(`${path}.mailoauth-bak-20250102T030405Z`);
    expect(fs.readFileSync(r.backupPath!, 'utf8')).toBe(existingConfig(id));
    expect(mode(r.backupPath!)).toBe(0o600);
    clock += 60_000;
    const again = writeBlock(id, path);
    expect(again.written).toBe(false);
    expect(again.plan.diff).toBe('');
    expect(entries()).toEqual(['rc', 'rc.mailoauth-bak-20250102T030405Z']);
  });

  it('symlinked file: the target is updated, the link stays a link', () => {
    fs.mkdirSync(join(dir, 'dotfiles'));
    const target = join(dir, 'dotfiles', 'rc');
    fs.writeFileSync(target, existingConfig(id));
    const link = join(dir, 'rc');
    fs.symlinkSync('dotfiles/rc', link);
    const r = writeBlock(id, link);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('dotfiles/rc');
    expect(fs.readFileSync(target, 'utf8')).toContain('# >>> mailoauth work >>>');
    expect(r.backupPath).toBe(`${target}.mailoauth-bak-20250102T030405Z`);
  });

  it('read-only file: a clear error, nothing written, no backup, no temp file left', () => {
    const path = join(dir, 'rc');
    fs.writeFileSync(path, existingConfig(id));
    fs.chmodSync(path, 0o444);
    const e = userError(() => writeBlock(id, path));
    expect(e.exitCode).toBe(ExitCode.Usage);
    expect(e.message).toMatch(/read-only \(mode 0444\)/);
    expect(e.fix).toMatch(/chmod u\+w/);
    expect(fs.readFileSync(path, 'utf8')).toBe(existingConfig(id));
    expect(entries()).toEqual(['rc']);
  });
});

describe('writer', () => {
  it('backs up once per run, again in the next run', () => {
    const path = join(dir, 'rc');
    fs.writeFileSync(path, 'one\n');
    const run1 = newBackupLedger();
    const d = deps();
    const first = updateConfig(path, (t) => `${t}two\n`, d, { backups: run1 });
    clock += 1_000;
    const second = updateConfig(path, (t) => `${t}three\n`, d, { backups: run1 });
    expect(first.backupPath).toBeDefined();
    expect(second.backupPath).toBeUndefined();
    expect(fs.readFileSync(first.backupPath!, 'utf8')).toBe('one\n');
    const third = updateConfig(path, (t) => `${t}four\n`, d, { backups: newBackupLedger() });
    expect(third.backupPath).toBe(`${path}.mailoauth-bak-20250102T030406Z`);
    expect(fs.readFileSync(third.backupPath!, 'utf8')).toBe('one\ntwo\nthree\n');
  });

  it('backup names never overwrite an earlier backup', () => {
    const taken = new Set(['/h/rc.mailoauth-bak-20250102T030405Z', '/h/rc.mailoauth-bak-20250102T030405Z.1']);
    expect(backupName('/h/rc', T0 + 999, (p) => taken.has(p))).toBe('/h/rc.mailoauth-bak-20250102T030405Z.2');
  });

  it('dry run: the diff, and nothing on disk', () => {
    const path = join(dir, 'rc');
    fs.writeFileSync(path, 'a\n');
    const r = updateConfig(path, (t) => `${t}b\n`, deps(), { dryRun: true, backups: newBackupLedger() });
    expect(r.written).toBe(false);
    expect(r.plan.diff).toBe(`--- ${path}\n+++ ${path}\n@@ -1 +1,2 @@\n a\n+b\n`);
    expect(entries()).toEqual(['rc']);
  });

  it('a dangling symlink: the file is created where it points', () => {
    const link = join(dir, 'rc');
    fs.symlinkSync(join(dir, 'real', 'rc'), link);
    updateConfig(link, () => 'x\n', deps(), { backups: newBackupLedger() });
    expect(fs.readFileSync(join(dir, 'real', 'rc'), 'utf8')).toBe('x\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(mode(join(dir, 'real', 'rc'))).toBe(0o600);
  });

  it('read-only directory: a clear error', () => {
    const sub = join(dir, 'ro');
    fs.mkdirSync(sub);
    fs.writeFileSync(join(sub, 'rc'), 'a\n');
    fs.chmodSync(sub, 0o555);
    const e = userError(() => updateConfig(join(sub, 'rc'), (t) => `${t}b\n`, deps(), { backups: newBackupLedger() }));
    expect(e.message).toMatch(/directory .* is read-only/);
    expect(fs.readFileSync(join(sub, 'rc'), 'utf8')).toBe('a\n');
  });

  it.each(['EROFS', 'EACCES', 'EPERM'])('%s from the file system becomes a clear error and leaves no temp file', (code) => {
    const path = join(dir, 'rc');
    fs.writeFileSync(path, 'a\n');
    const failingRename = () => {
      throw Object.assign(new Error(`${code}: rename`), { code });
    };
    const e = userError(() => updateConfig(path, (t) => `${t}b\n`, deps({ renameSync: failingRename }),
      { backups: newBackupLedger() }));
    expect(e.exitCode).toBe(ExitCode.Usage);
    expect(e.message).toContain(code);
    expect(fs.readFileSync(path, 'utf8')).toBe('a\n');
    expect(entries().filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('other file-system errors are not disguised', () => {
    const path = join(dir, 'rc');
    const boom = () => {
      throw Object.assign(new Error('disk on fire'), { code: 'EIO' });
    };
    expect(() => updateConfig(path, () => 'x\n', deps({ openSync: boom }), { backups: newBackupLedger() }))
      .toThrow('disk on fire');
  });

  it('a file changed after it was read is not overwritten', () => {
    const path = join(dir, 'rc');
    fs.writeFileSync(path, 'a\n');
    const plan = planWrite(readConfig(path, deps()), 'a\nb\n');
    fs.writeFileSync(path, 'a\nsaved meanwhile\n');
    const e = userError(() => commitWrite(plan, deps(), newBackupLedger()));
    expect(e.message).toMatch(/changed while/);
    expect(fs.readFileSync(path, 'utf8')).toBe('a\nsaved meanwhile\n');
  });

  it('a file that is not UTF-8 is refused rather than re-encoded', () => {
    const path = join(dir, 'rc');
    fs.writeFileSync(path, Buffer.from('set realname = "Jos\xe9"\n', 'latin1'));
    expect(userError(() => readConfig(path, deps())).message).toMatch(/not UTF-8/);
  });

  it('a byte-order mark and odd bytes survive', () => {
    const path = join(dir, 'rc');
    const original = '\ufeff# café\r\nx\u0000y\n';
    fs.writeFileSync(path, original);
    const r = updateConfig(path, (t) => `${t}added\n`, deps(), { backups: newBackupLedger() });
    expect(fs.readFileSync(path, 'utf8')).toBe(`${original}added\n`);
    expect(fs.readFileSync(r.backupPath!).equals(Buffer.from(original))).toBe(true);
  });

  it('removing from a file that does not exist writes nothing', () => {
    const r = updateConfig(join(dir, 'rc'), (t) => t, deps(), { backups: newBackupLedger() });
    expect(r.written).toBe(false);
    expect(entries()).toEqual([]);
  });

  it('a directory given as the config file is a clear error', () => {
    expect(userError(() => readConfig(dir, deps())).message).toMatch(/is a directory/);
  });
});

describe('symbolic links into other people\'s files (running as root with another user\'s HOME)', () => {
  const root = process.getuid?.() === 0;
  const OTHER = 65534; // nobody

  it.skipIf(!root)('a link owned by someone else, or leading into someone else\'s directory, is not written through; nothing is created', () => {
    // Files of the user we act for (uid OTHER); a directory of root's.
    const home = join(dir, 'home');
    const rootDir = join(dir, 'root-owned');
    fs.mkdirSync(home);
    fs.mkdirSync(rootDir);
    fs.chownSync(home, OTHER, OTHER);
    const d: WriterDeps = { ...deps(), uid: OTHER };
    // 1. The user's own dangling link into root's directory (the reported finding).
    const rc = join(home, '.msmtprc');
    fs.symlinkSync(join(rootDir, 'msmtprc'), rc);
    fs.lchownSync(rc, OTHER, OTHER);
    const e1 = userError(() => writeBlock('msmtp', rc, newBackupLedger(), d));
    expect(e1.exitCode).toBe(ExitCode.Usage);
    expect(e1.message).toMatch(/will not write through: .*\.msmtprc: it leads to .*root-owned, which belongs to uid 0, not to you/);
    expect(fs.existsSync(join(rootDir, 'msmtprc'))).toBe(false);
    // 2. An existing root file linked as the user's ~/.muttrc: not appended to, not backed up beside itself.
    const rootFile = join(rootDir, 'muttrc');
    fs.writeFileSync(rootFile, 'set folder=~/Mail\n');
    const muttrc = join(home, '.muttrc');
    fs.symlinkSync(rootFile, muttrc);
    fs.lchownSync(muttrc, OTHER, OTHER);
    expect(() => writeBlock('mutt', muttrc, newBackupLedger(), d)).toThrow(/will not write through/);
    expect(fs.readFileSync(rootFile, 'utf8')).toBe('set folder=~/Mail\n');
    expect(fs.readdirSync(rootDir)).toEqual(['muttrc']);
    // 3. A link someone else planted in the user's directory.
    const planted = join(home, '.mbsyncrc');
    fs.symlinkSync(join(home, 'real-mbsyncrc'), planted); // owned by root
    expect(() => writeBlock('mbsync', planted, newBackupLedger(), d)).toThrow(/the link belongs to uid 0, not to you/);
    // The user's own link to the user's own file is followed as before.
    const own = join(home, 'dotfiles');
    fs.mkdirSync(own);
    fs.chownSync(own, OTHER, OTHER);
    const good = join(home, '.offlineimaprc');
    fs.symlinkSync(join(own, 'offlineimaprc'), good);
    fs.lchownSync(good, OTHER, OTHER);
    expect(writeBlock('offlineimap', good, newBackupLedger(), d).written).toBe(true);
    expect(fs.existsSync(join(own, 'offlineimaprc'))).toBe(true);
  });

  it('a symlink planted where the backup goes is no raw EEXIST: another name is taken', () => {
    const path = join(dir, 'rc');
    fs.writeFileSync(path, 'x\n');
    const planted = backupName(path, T0, () => false);
    fs.symlinkSync(join(dir, 'nowhere'), planted);
    const r = writeBlock('msmtp', path);
    expect(r.backupPath).toBe(`${planted}.1`);
    expect(fs.lstatSync(planted).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(join(dir, 'nowhere'))).toBe(false);
  });
});
