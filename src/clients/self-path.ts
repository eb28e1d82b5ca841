import { dirname } from 'node:path';
import { ExitCode, UserError } from '../errors.js';

/** What `stat` says of one path component. */
export interface PathStat {
  uid: number;
  mode: number;
}

export type SelfPathRisk = { level: 'refuse' | 'warn'; why: string };

/**
 * Whether the mailoauth every written block runs by absolute path could be replaced by someone else:
 * the file, or a directory on its way, writable by every user (without the sticky bit that keeps them
 * from replacing entries) or belonging to a user other than root and the one running it — refused; a
 * directory writable by a group (Debian's /usr/local is root:staff 2775) — a warning. Every mail program
 * would run whatever was put there, with the user's mail. Pure.
 */
export function selfPathRisk(path: string, stat: (p: string) => PathStat | undefined, uid: number): SelfPathRisk | undefined {
  let warn: SelfPathRisk | undefined;
  for (let p = path, first = true; ; p = dirname(p), first = false) {
    const st = stat(p);
    if (st) {
      const mode = (st.mode & 0o7777).toString(8);
      const guarded = !first && (st.mode & 0o1000) !== 0;
      if (st.uid !== 0 && st.uid !== uid) return { level: 'refuse', why: `${p} belongs to uid ${st.uid}` };
      if ((st.mode & 0o002) !== 0 && !guarded) return { level: 'refuse', why: `${p} is writable by every user (mode ${mode})` };
      if ((st.mode & 0o020) !== 0 && !guarded) warn ??= { level: 'warn', why: `${p} is writable by its group (mode ${mode})` };
    }
    if (dirname(p) === p) return warn;
  }
}

/** Refuse to write blocks that would run a mailoauth others can replace; a group-writable place is a warning. */
export function checkSelfPath(paths: string[], stat: (p: string) => PathStat | undefined, uid: number): string[] {
  const warnings: string[] = [];
  for (const path of new Set(paths)) {
    const risk = selfPathRisk(path, stat, uid);
    if (risk?.level === 'refuse') {
      throw new UserError(
        ExitCode.Usage,
        `The blocks would run ${path}, but another user could replace it: ${risk.why}. Every mail program would then run their program with your mail.`,
        'Install mailoauth where only you or root can write (npm install -g as root, or npm install -g --prefix ~/.local), then run this again; or print the block with --print and check it yourself',
      );
    }
    if (risk) warnings.push(`the blocks run ${path}, and ${risk.why}: members of that group could replace it.`);
  }
  return warnings;
}
