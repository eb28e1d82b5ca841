/**
 * Root running with another user's HOME (sudo -E, su -m, a provisioning script): mailoauth becomes
 * that user first, so nothing it writes belongs to root, no symlink is followed with root's rights, and
 * a hostile accounts.json is refused like a hostile flag (issue 13, finding 1). The second user is a
 * real one, created by the test (and removed); the identity platform is the local one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, start } from '../helpers/cli.js';
import { deviceSignIn, startWorld, type World } from '../e2e/harness.js';

const root = process.getuid?.() === 0 && spawnSync('useradd', ['--help']).status === 0;
if (!root) console.log('security: root with another user\'s HOME: skipped (needs root and useradd)');
const USER = 'bob@contoso.example';

interface Run { code: number | null; stdout: string; stderr: string }

describe.skipIf(!root)('root with another user\'s HOME', () => {
  let dir: string;
  let home: string;
  let rootDir: string;
  let name: string;
  let uid: number;
  let gid: number;
  let w: World;

  /** What sudo -E would pass: HOME is bob's, everything else root's. */
  const sudoEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH!, HOME: home, NODE_EXTRA_CA_CERTS: w.ca.caFile, MAILOAUTH_RETRY_BASE_MS: '50', LC_ALL: 'C.UTF-8' });
  /** mailoauth as root with sudo -E's environment (the repository's build: the world's copy is root's alone). */
  const asRoot = (args: string[]) => start(args, sudoEnv(), 60_000, cliPath(), '/');

  /** mailoauth as root (sudo -E), or as bob himself. */
  function run(args: string[], as: 'root' | 'bob' = 'root'): Promise<Run> {
    if (as === 'root') {
      const p = asRoot(args);
      p.endInput();
      return p.done;
    }
    const env = sudoEnv();
    const argv = ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--init-groups', process.execPath, cliPath(), ...args];
    return new Promise((resolve) => {
      const child = spawn(argv[0]!, argv.slice(1), { env, cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.stdin.on('error', () => {});
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }
  const owners = (d: string): Array<[string, number]> => readdirSync(d, { recursive: true }).map((e) => [String(e), statSync(join(d, String(e))).uid]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailoauth-roothome-'));
    chmodSync(dir, 0o755);
    name = `mo${process.pid}`;
    home = join(dir, 'bob');
    rootDir = join(dir, 'root-only');
    mkdirSync(home);
    mkdirSync(rootDir);
    expect(spawnSync('useradd', ['-M', '-d', home, '-s', '/usr/sbin/nologin', name]).status).toBe(0);
    uid = Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim());
    gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
    chownSync(home, uid, gid);
    w = await startWorld({ users: [USER] });
    // bob's own mailoauth reads the test CA too.
    for (const d of [w.root, join(w.root, 'tls')]) chmodSync(d, 0o755);
  });
  afterAll(async () => {
    await w?.stop();
    if (name) spawnSync('userdel', [name]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('setup and a later refresh as root leave every file bob\'s, and bob\'s own next token call works', async () => {
    w.idp.setAccessTokenLifetime(1); // the next token call must refresh
    const args = ['setup', '--yes', '--email', USER, '--name', 'bob', '--flow', 'device', '--authority', w.idp.authority(), '--store', 'file', '--no-verify', '--clients', 'msmtp'];
    const p = asRoot(args);
    p.endInput();
    const s = await deviceSignIn(w, sudoEnv(), args, { running: p, answer: { as: USER } });
    expect(s.code, s.stderr).toBe(0);
    w.idp.setAccessTokenLifetime(3600);
    const t = await run(['token', 'bob']);
    expect(t.code, t.stderr).toBe(0);
    expect(w.idp.counts()['token:refresh_token']).toBe(1);
    // Everything in bob's HOME is bob's: accounts.json, the secrets, the lock, the msmtp block.
    const files = owners(home);
    expect(files.map(([f]) => f)).toEqual(expect.arrayContaining(['.msmtprc', join('.config', 'mailoauth', 'accounts.json')]));
    expect(files.filter(([, u]) => u !== uid)).toEqual([]);
    // And bob's own mail programs' next call works (it failed with EACCES when root had left its files).
    const mine = await run(['token', 'bob'], 'bob');
    expect(mine.code, mine.stderr).toBe(0);
    expect(mine.stdout.trim()).toBe(t.stdout.trim());
  });

  it('bob\'s dangling ~/.mbsyncrc into a root-only directory is not written through; nothing appears there', async () => {
    const link = join(home, '.mbsyncrc');
    symlinkSync(join(rootDir, 'mbsyncrc'), link);
    lchownSync(link, uid, gid);
    const r = await run(['config', 'bob', '--client', 'mbsync', '--write']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/will not write through/);
    expect(readdirSync(rootDir)).toEqual([]);
  });

  it('a hostile accounts.json (a shell command in the email) is refused before anything is rendered', async () => {
    const path = join(home, '.config', 'mailoauth', 'accounts.json');
    const good = readFileSync(path, 'utf8');
    const f = JSON.parse(good) as { accounts: Array<{ email: string }> };
    f.accounts[0]!.email = `x;id>${join(dir, 'PWNED')};@evil.example`;
    writeFileSync(path, JSON.stringify(f));
    try {
      const r = await run(['config', 'bob', '--client', 'msmtp', '--print']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/accounts\.json cannot be read: account "bob": ".*" is not an email address/);
      expect(r.stdout).toBe('');
      expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    } finally {
      writeFileSync(path, good);
    }
  });
});
