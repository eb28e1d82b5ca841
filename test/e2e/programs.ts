/**
 * The mail programs beyond the first four (aerc, getmail, git send-email, s-nail, imapsync): where
 * they are, which version ran, and how to run getmail, which refuses to deliver mail as root.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The upstream imapsync script (not packaged in Debian 12): $MAILOAUTH_IMAPSYNC, else ../shared/tools/imapsync
 * beside the checkout, else /work/shared/tools/imapsync (a clone made elsewhere on this machine), else `imapsync` on PATH.
 */
export const IMAPSYNC = process.env.MAILOAUTH_IMAPSYNC
  ?? [resolve(import.meta.dirname, '../../../shared/tools/imapsync'), '/work/shared/tools/imapsync'].find((p) => existsSync(p))
  ?? 'imapsync';

const VERSIONS = {
  aerc: { cmd: 'aerc', args: ['-v'], re: /aerc (\d+\.\d+\.\d+)/, label: (v: string) => `aerc ${v}` },
  mutt: { cmd: 'mutt', args: ['-v'], re: /^Mutt (\d+\.\d+\.\d+)/m, label: (v: string) => `mutt ${v}` },
  getmail: { cmd: 'getmail', args: ['--version'], re: /getmail (\d+\.\d+(?:\.\d+)?)/, label: (v: string) => `getmail ${v}` },
  'git-send-email': { cmd: 'git', args: ['--version'], re: /git version (\d+\.\d+\.\d+)/, label: (v: string) => `git send-email ${v}` },
  's-nail': { cmd: 's-nail', args: ['-V'], re: /s-nail v(\d+\.\d+\.\d+)/, label: (v: string) => `s-nail ${v}` },
  imapsync: { cmd: IMAPSYNC, args: ['--version'], re: /^(\d+\.\d+)/m, label: (v: string) => `imapsync ${v}` },
} as const;

const seen = new Map<string, string>();

/** e.g. `aerc 0.14.0`, `getmail 6.18.11`, `git send-email 2.39.5`, `s-nail 14.9.24`, `imapsync 2.229`. */
export function programVersion(p: keyof typeof VERSIONS): string {
  const cached = seen.get(p);
  if (cached) return cached;
  const { cmd, args, re, label } = VERSIONS[p];
  const r = spawnSync(cmd, [...args], { encoding: 'utf8', timeout: 20_000 });
  const v = label(re.exec(`${r.stdout}\n${r.stderr}`)?.[1] ?? '?');
  seen.set(p, v);
  return v;
}

/**
 * getmail refuses to deliver mail as root ("refuse to deliver mail as root", destinations.py), and
 * CI runs as root: there it runs as the unprivileged `mailtest` user (the one the Dovecot fixture
 * creates), which then owns the user's HOME. `dirs` must be reachable by that user (made
 * traversable, nothing more). Returns the argv prefix to run a command as that user (empty when not root).
 */
export function asMailUser(home: string, dirs: string[]): string[] {
  if (process.getuid?.() !== 0) return [];
  const id = (flag: string) => Number(spawnSync('id', [flag, 'mailtest'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid === 0) throw new Error('no unprivileged mailtest user to run getmail as');
  const chownTree = (p: string) => {
    chownSync(p, uid, gid);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(join(p, e));
  };
  chownTree(home);
  for (const d of dirs) chmodSync(d, statSync(d).mode | 0o111);
  return ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'];
}
