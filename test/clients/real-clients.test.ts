import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, Endpoint } from '../../src/account.js';
import { isConflict } from '../../src/clients/block.js';
import type { ClientId, RenderOptions } from '../../src/clients/client.js';
import { CLIENTS } from '../../src/clients/index.js';
import { checkPrerequisites } from '../../src/clients/prerequisites.js';
import { iniValue, pythonList, shellQuote } from '../../src/clients/quote.js';
import { systemProbe } from '../../src/clients/system-probe.js';
import { commitWrite, newBackupLedger, planWrite, readConfig } from '../../src/clients/writer.js';
import { installStub, startIntrospection, tokenUser, type Introspection, type StubBin, type TokenUsers }
  from '../fixtures/clients/stub-mailoauth.js';
import { startDovecot, type DovecotServer } from '../fixtures/dovecot.js';
import { startSmtp, type SmtpTestServer } from '../fixtures/smtp.js';
import { makeTestCa, type TestCa } from '../fixtures/tls.js';
import { eventually } from '../helpers/eventually.js';
import { skipWithout } from '../helpers/tools.js';
import { account, existingConfig } from './support.js';

/**
 * Each generated block, written by the real writer into a config that already has another account,
 * read by the real program — and, where the program allows it, used: a login against a private
 * Dovecot (XOAUTH2, tokens checked by introspection) or a message sent to a local SMTP server. The
 * mailoauth binary is a stub under a directory name full of shell and config metacharacters: each
 * test checks the stub saw exactly `token ACCOUNT` and that nothing else ran (no `pwned*` files).
 */

const TOOLS = ['mbsync', 'offlineimap', 'neomutt', 'mutt', 'msmtp', 'dovecot', 'script', 'openssl', 'python3'];
const skip = skipWithout('real mail clients', TOOLS);

/** Every character of the account-name alphabet that a client might treat specially. */
const NAME = 'w.o-rk+1@x';
const USER = 'alice@contoso.example';
/** offlineimap's `-k Account_X:...` turns `_` into a space: this account keeps to letters. */
const REFRESH = { name: 'refresh', user: 'refresh@contoso.example' };
const CONTROL = { name: 'control', user: 'control@contoso.example' };

interface RunResult { code: number | null; stdout: string; stderr: string }

let root: string;
let home: string;
let cwd: string;
let ca: TestCa;
let stub: StubBin;
let introspection: Introspection;
let dovecot: DovecotServer;
let smtp: SmtpTestServer;
const users: TokenUsers = {
  [NAME]: { username: USER },
  [REFRESH.name]: { username: REFRESH.user, ttlMs: 3_000 },
  [CONTROL.name]: { username: CONTROL.user, ttlMs: 3_000 },
};

/** Spawn without blocking the event loop: the introspection and SMTP servers live in this process. */
function run(cmd: string, args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { PATH: process.env.PATH, HOME: home, TERM: 'xterm', LC_ALL: 'C.UTF-8', SHELL: '/bin/sh' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    // A program that exits without reading its input (mutt -Q) closes the pipe: EPIPE is no failure.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch { /* gone */ }
      reject(new Error(`${cmd} ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function acct(over: Partial<Account> = {}, imap: Partial<Endpoint> = {}): Account {
  return account({
    name: NAME,
    email: USER,
    imap: { host: 'localhost', port: dovecot.imapsPort, tls: 'implicit', ...imap },
    smtp: { host: 'localhost', port: smtp.port, tls: 'starttls' },
    ...over,
  });
}

/** The command's whole path: an existing config, merged through the real writer. */
function writeConfig(id: ClientId, file: string, existing: string, a: Account, opts: Partial<RenderOptions> = {}): void {
  writeFileSync(file, existing, { mode: 0o600 });
  const d = { fs, now: Date.now, pid: process.pid };
  const cur = readConfig(file, d);
  const c = CLIENTS[id];
  const r = c.merge(cur.text, a, c.render(a, { bin: stub.bin, caFile: ca.caFile, ...opts }), { label: file });
  if (isConflict(r)) throw new Error(r.reason);
  commitWrite(planWrite(cur, r.text), d, newBackupLedger());
}

const callsFor = (name: string) => stub.calls().filter((c) => c[2] === name);

function expectOnlyTokenCalls(name: string): void {
  const calls = callsFor(name);
  expect(calls.length).toBeGreaterThan(0);
  for (const c of calls) expect(c).toEqual([stub.bin, 'token', name]);
}

function pwnedFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /^pwned\d$/.test(p.split('/').pop() ?? ''));
}

const maildirMessages = (dir: string) => ['new', 'cur'].flatMap((s) => (existsSync(join(dir, s)) ? readdirSync(join(dir, s)) : []));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip)('real clients', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mailoauth-clients-'));
    home = join(root, 'home');
    cwd = join(root, 'cwd');
    mkdirSync(home, { recursive: true });
    mkdirSync(cwd);
    ca = await makeTestCa(join(root, 'tls'));
    stub = installStub(root);
    introspection = await startIntrospection(users);
    const seed = { subject: 'Hello from Dovecot' };
    dovecot = await startDovecot({
      introspectUrl: introspection.url,
      tls: ca,
      users: [USER, REFRESH.user, CONTROL.user],
      seed: { [USER]: [seed], [REFRESH.user]: [seed], [CONTROL.user]: [seed] },
    });
    smtp = await startSmtp({ tls: ca, validate: (user, token) => tokenUser(token, users) === user });
  });

  afterAll(async () => {
    await smtp?.stop();
    await dovecot?.stop();
    await introspection?.stop();
    if (root) {
      const pwned = pwnedFiles(root);
      rmSync(root, { recursive: true, force: true });
      // The last word on injection: nothing the hostile directory name could have run ran anywhere.
      expect(pwned).toEqual([]);
    }
  });

  describe('mbsync', () => {
    it.each([['implicit', () => dovecot.imapsPort], ['starttls', () => dovecot.imapPort]] as const)(
      'IMAP %s: --list and a sync log in with the token from PassCmd', async (tls, port) => {
        const report = checkPrerequisites(CLIENTS.mbsync.prerequisites(), systemProbe(process.env));
        expect(report.ok, JSON.stringify(report.findings)).toBe(true);
        const rc = join(home, `.mbsyncrc-${tls}`);
        const maildir = join(home, `Mail dir ${tls}`, NAME);
        mkdirSync(maildir, { recursive: true }); // mbsync 1.4 wants the Maildir root to exist
        writeConfig('mbsync', rc, existingConfig('mbsync'), acct({}, { port: port(), tls }), { maildir });
        const before = dovecot.loginsFor(USER);

        const list = await run('mbsync', ['-c', rc, '--list', NAME]);
        expect(list.code, list.stderr).toBe(0);
        expect(list.stdout).toMatch(/^INBOX$/m);

        const sync = await run('mbsync', ['-c', rc, NAME]);
        expect(sync.code, sync.stderr).toBe(0);
        expect(maildirMessages(join(maildir, 'INBOX'))).toHaveLength(1);
        expect(await eventually(() => dovecot.loginsFor(USER) - before, (n) => n >= 2)).toBe(2);
        expectOnlyTokenCalls(NAME);
      });
  });

  describe('offlineimap', () => {
    it('a one-shot sync logs in with the token from oauth2_access_token_eval', async () => {
      const rc = join(home, '.offlineimaprc');
      const maildir = join(home, 'Mail %(x)s', NAME);
      writeConfig('offlineimap', rc, existingConfig('offlineimap'), acct(), { maildir });
      const before = dovecot.loginsFor(USER);
      const r = await run('offlineimap', ['-c', rc, '-o', '-u', 'basic', '-a', NAME, '-k', `metadata=${home}/.oi`]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(maildirMessages(join(maildir, 'INBOX'))).toHaveLength(1);
      expect(await eventually(() => dovecot.loginsFor(USER) - before, (n) => n > 0)).toBeGreaterThan(0);
      expectOnlyTokenCalls(NAME);
    });

    it('without a CA file the block trusts OS-DEFAULT: offlineimap3 finds this system\'s bundle and verifies with it', async () => {
      const rc = join(home, '.offlineimaprc-os-default');
      writeConfig('offlineimap', rc, '', acct(), { maildir: join(home, 'Mail-os-default'), caFile: undefined });
      expect(readFileSync(rc, 'utf8')).toMatch(/^sslcacertfile = OS-DEFAULT$/m);
      const calls = callsFor(NAME).length;
      const before = dovecot.loginsFor(USER);
      const r = await run('offlineimap', ['-c', rc, '-o', '-u', 'basic', '-a', NAME, '-k', `metadata=${home}/.oi-os-default`]);
      // The test CA is not in Debian's bundle: the handshake is refused, so a bundle was found and used.
      expect(r.code, r.stdout + r.stderr).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/CERTIFICATE_VERIFY_FAILED|certificate verify failed/i);
      expect(r.stdout + r.stderr).not.toMatch(/Default CA bundle was requested/);
      expect(callsFor(NAME).length).toBe(calls);
      expect(dovecot.loginsFor(USER)).toBe(before);
    });

    /**
     * Tokens live 3 s here and offlineimap syncs every 10 s at best (it sleeps in 10 s steps), so a
     * second login with the first token fails. Both configs run side by side: the block as written, and a control with the usual
     * one-shot expression (`...stdout.strip()`) that proves the test notices a stale token.
     */
    it('autorefresh: every login gets a fresh token (and the usual one-shot expression does not)', async () => {
      const oneShot = (block: string, name: string) => block.replace(/^oauth2_access_token_eval = [\s\S]*?\}\)\(\)$/m,
        `oauth2_access_token_eval = __import__('subprocess').run(${iniValue(pythonList([stub.bin, 'token', name]))}, ` +
        'stdout=-1, text=True, check=True).stdout.strip()');
      const started = [[REFRESH, (b: string) => b], [CONTROL, (b: string) => oneShot(b, CONTROL.name)]] as const;
      const children = started.map(([who, edit]) => {
        const rc = join(home, `.offlineimaprc-${who.name}`);
        const a = acct({ name: who.name, email: who.user });
        const block = edit(CLIENTS.offlineimap.render(a, { bin: stub.bin, caFile: ca.caFile, maildir: join(home, 'Mail', who.name) }));
        const merged = CLIENTS.offlineimap.merge('', a, block);
        if (isConflict(merged)) throw new Error(merged.reason);
        writeFileSync(rc, merged.text, { mode: 0o600 });
        return spawn('offlineimap', ['-c', rc, '-u', 'basic', '-a', who.name, '-k', `metadata=${home}/.oi-${who.name}`,
          '-k', `Account_${who.name}:autorefresh=0.05`],
        { cwd, env: { PATH: process.env.PATH, HOME: home }, detached: true, stdio: 'ignore' });
      });
      const checks = (name: string, active: boolean) =>
        introspection.checks.filter((c) => c.account === name && c.active === active).length;
      try {
        const deadline = Date.now() + 40_000;
        // Dovecot logs the login after the token check answered: wait for both, not just the check.
        while (Date.now() < deadline && (checks(REFRESH.name, true) < 2 || checks(CONTROL.name, false) < 1 ||
          dovecot.loginsFor(REFRESH.user) < 2)) await sleep(200);
      } finally {
        for (const c of children) {
          // Only a leader not yet reaped still owns its group id: once one has exited (the control gives up
          // by itself) its pid can already lead another test's group (pid_max is 32768 here), and
          // kill(-pid) would kill that instead — which took down a parallel file's keyring once.
          if (c.exitCode !== null || c.signalCode !== null) continue;
          try {
            process.kill(-c.pid!, 'SIGKILL');
          } catch { /* gone */ }
        }
      }
      // Two logins, the second long after the first token expired; not one token refused.
      expect(checks(REFRESH.name, true)).toBeGreaterThanOrEqual(2);
      expect(checks(REFRESH.name, false)).toBe(0);
      expect(dovecot.loginsFor(REFRESH.user)).toBeGreaterThanOrEqual(2);
      expect(callsFor(REFRESH.name).length).toBeGreaterThanOrEqual(2);
      expectOnlyTokenCalls(REFRESH.name);

      // The control logged in once, then offered the same, expired token again.
      expect(dovecot.loginsFor(CONTROL.user)).toBe(1);
      expect(checks(CONTROL.name, false)).toBeGreaterThanOrEqual(1);
      expect(callsFor(CONTROL.name)).toHaveLength(1);
    }, 60_000);
  });

  describe.each([['neomutt'], ['mutt']] as const)('%s', (id) => {
    /** `-Q` prints a variable as the parser stored it: `set x = "v"` (neomutt) or `x="v"` (mutt). */
    async function query(rc: string, vars: string[]): Promise<Record<string, string>> {
      const r = await run(id, ['-n', '-F', rc, ...vars.flatMap((v) => ['-Q', v])]);
      expect(r.code, r.stderr).toBe(0);
      const out: Record<string, string> = {};
      for (const line of r.stdout.split('\n')) {
        const m = /^(?:set )?(\w+)\s*=\s*"(.*)"$/.exec(line);
        if (m) out[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
      }
      return out;
    }

    it('-Q shows every written value as intended; both refresh commands run only the token command', async () => {
      const rc = join(home, `${id}rc-q`);
      writeConfig(id, rc, existingConfig(id), acct());
      const v = await query(rc, ['imap_user', 'folder', 'spoolfile', 'imap_authenticators', 'imap_oauth_refresh_command',
        'smtp_url', 'smtp_authenticators', 'smtp_oauth_refresh_command', 'certificate_file', 'editor']);
      const command = `${shellQuote(stub.bin)} token ${NAME}`;
      expect(v).toMatchObject({
        imap_user: USER,
        folder: `imaps://localhost:${dovecot.imapsPort}/`,
        imap_authenticators: 'xoauth2',
        imap_oauth_refresh_command: command,
        smtp_url: `smtp://alice%40contoso.example@localhost:${smtp.port}/`,
        smtp_authenticators: 'xoauth2',
        smtp_oauth_refresh_command: command,
        certificate_file: ca.caFile,
        editor: 'vim', // the user's own settings still load
      });
      // mutt hands these to `sh -c`: so do we.
      for (const cmd of [v.imap_oauth_refresh_command!, v.smtp_oauth_refresh_command!]) {
        const r = await run('sh', ['-c', cmd]);
        expect(r.stdout).toMatch(/^tok-\d+-/);
      }
      expectOnlyTokenCalls(NAME);
    });

    it('starts, logs in to IMAP with XOAUTH2 using the refresh command, and quits', async () => {
      const rc = join(home, `${id}rc-login`);
      writeConfig(id, rc, `set sleep_time = 0\n${existingConfig(id)}`, acct());
      const before = dovecot.loginsFor(USER);
      const r = await run('script', ['-qec', `${id} -n -F ${shellQuote(rc)} -e 'push <exit>'`, '/dev/null']);
      expect(r.code, r.stdout).toBe(0);
      expect(await eventually(() => dovecot.loginsFor(USER) - before, (n) => n >= 1)).toBe(1);
      expect(dovecot.log()).toMatch(new RegExp(`Login: user=<${USER}>, method=XOAUTH2`));
      expectOnlyTokenCalls(NAME);
    });
  });

  describe('msmtp', () => {
    it('--pretend accepts the account and runs passwordeval; a real send authenticates with the token', async () => {
      const rc = join(home, '.msmtprc');
      writeConfig('msmtp', rc, existingConfig('msmtp'), acct());
      const before = callsFor(NAME).length;
      const pretend = await run('msmtp', ['-C', rc, '--pretend', '-a', NAME, 'bob@example.org']);
      expect(pretend.code, pretend.stderr).toBe(0);
      expect(pretend.stdout).toMatch(/^auth = XOAUTH2$/m);
      expect(pretend.stdout).toMatch(/^tls_starttls = on$/m);
      expect(pretend.stdout).toContain(`passwordeval = ${shellQuote(stub.bin)} token ${NAME}`);
      expect(callsFor(NAME).length).toBe(before + 1);

      const msg = 'From: alice@contoso.example\nTo: bob@example.org\nSubject: hi\n\nhello\n';
      const send = await run('msmtp', ['-C', rc, '-a', NAME, 'bob@example.org'], { input: msg });
      expect(send.code, send.stderr).toBe(0);
      expect(smtp.messages.at(-1)).toMatchObject({ from: USER, to: ['bob@example.org'], user: USER });
      expectOnlyTokenCalls(NAME);
    });
  });
});
