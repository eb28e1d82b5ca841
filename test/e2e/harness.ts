/**
 * The world the end-to-end journeys run in, and the ways they drive the real mail clients.
 *
 * The one test world, one per test file that needs an identity platform (journeys, the reliability
 * and security suites, the CLI's end-to-end files): a test CA, the issuer (the local Microsoft
 * identity platform by default; the Google stand-in or a real OpenID server for those worlds), a real
 * Secret Service (gnome-keyring on a private bus), a real Dovecot whose oauth2 passdb asks the issuer
 * about every bearer token, and the XOAUTH2-only SMTP server, which checks tokens with the issuer too
 * and remembers which tokens it accepted. Nothing is mocked: the built `mailoauth` signs in, stores
 * the token, writes the configs, and the clients run it by the absolute path setup wrote into their
 * configs. Device sign-in is written once (deviceSignIn): the code setup shows on stderr is answered
 * at the issuer, as a person would in a browser.
 *
 * mailoauth itself is installed under a directory name full of characters each config language must
 * quote (installCli), and Dovecot's token checks pass through a witness that records which token each
 * login used (introspectionWitness).
 *
 * Every client run goes through `timeout(1)` (mbsync hangs ~180 s when XOAUTH2 is refused) and a
 * process-group kill as a backstop. Processes are spawned asynchronously: the identity platform and
 * the SMTP server live in this process and must keep answering while a client runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startDovecot, type DovecotServer, type SeedMessage } from '../fixtures/dovecot.js';
import { startGoogleIdp, type GoogleIdp } from '../fixtures/google-idp.js';
import { startIdp, type AadstsError, type Idp } from '../fixtures/idp.js';
import { startIntrospectionStub } from '../fixtures/introspection-stub.js';
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js';
import { startSecretService, type SecretService } from '../fixtures/secret-service.js';
import { startSmtp, type SmtpTestServer } from '../fixtures/smtp.js';
import { makeTestCa, type TestCa } from '../fixtures/tls.js';
import { cliPath, start, testEnv, until, type RunResult, type Running } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { TmuxSession } from '../helpers/tmux.js';
import { expect } from 'vitest';

export const USER = 'alice@contoso.example';
export const CLIENTS = 'offlineimap,mbsync,neomutt,msmtp';

/** What every journey's mailbox holds: one seen, two unseen, distinct subjects. */
export const SEED: SeedMessage[] = [
  { subject: 'Quarterly report draft', seen: true },
  { subject: 'Lunch on Friday?' },
  { subject: 'Server migration plan v2' },
];

/** The programs the world itself runs (skipWithout's list for a file that runs no mail client). */
export const WORLD_TOOLS = ['dovecot', 'dbus-run-session', 'gnome-keyring-daemon', 'secret-tool', 'openssl'];

/** The tools the journeys run (skipWithout's list). */
export const TOOLS = [...WORLD_TOOLS, 'offlineimap', 'mbsync', 'neomutt', 'msmtp', 'tmux', 'script', 'timeout'];

/** What every world has, whoever issues the tokens. */
export interface MailWorld {
  root: string;
  /** The installed mailoauth (see installCli): what setup writes into every config. */
  cli: string;
  ca: TestCa;
  ss: SecretService;
  dovecot: DovecotServer;
  smtp: SmtpTestServer;
  /** Every token the SMTP server accepted, in order. */
  smtpTokens: string[];
  /** Every token Dovecot asked the issuer about, in order, with the answer Dovecot got. */
  imapChecks: Array<{ token: string; active: boolean }>;
  /** Tokens Dovecot is told are inactive although the issuer vouches for them (a mailbox whose IMAP is off). */
  imapRefuses: Set<string>;
  /** HOMEs made by userEnv (and other temp dirs), removed by stop() unless MAILOAUTH_KEEP_TEST_DIRS=1. */
  homes: string[];
  /** The users' runtime directories (the access-token cache lives there). */
  runtimeDirs: string[];
  /** Every run of start()/run() with its output (leak checks read them). */
  runs: Array<{ args: string[]; r: RunResult }>;
  /** A fresh user (see userEnv). */
  env(extra?: NodeJS.ProcessEnv): UserEnv;
  /** The installed mailoauth as a separate process in the user's HOME, stderr readable while it runs; kept in `runs`. */
  start(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Running;
  run(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<RunResult>;
  /** A person at the issuer's device page: enters the code, then signs in as someone or refuses. */
  answerDeviceCode(userCode: string, answer: DeviceAnswer): Promise<void>;
  /** The issuer's access-token lifetime for tokens issued from now on. */
  setAccessTokenLifetime(sec: number): void;
  stop(): Promise<void>;
}

/** How a person answers a device code: signs in as `as`, or refuses (on Microsoft's platform: with this AADSTS error). */
export type DeviceAnswer = { as: string } | { deny: AadstsError | true };

/** The Microsoft world: the local identity platform issues the tokens. */
export interface World extends MailWorld {
  idp: Idp;
  /** `setup --yes --flow device` of USER as account `name` (no verify), signed in; fails the test unless it worked. */
  signIn(e: UserEnv, name: string, extraArgs?: string[]): Promise<SignedIn>;
  /** Which of `files` hold an issued token (or a recognisable piece or encoding of one). */
  leaksIn(files: string[]): string[];
  /** Which of `files` hold an issued refresh token (or a recognisable piece of one). */
  refreshTokensIn(files: string[]): string[];
  /** Fails the test when any issued token shows up in a file under the world's HOMEs, in a refresh
   *  token in a runtime directory, or in the output of a run (but `token`'s stdout). Returns what was scanned. */
  expectNoLeaks(): Promise<{ files: number; runs: number; tokens: number }>;
}

/** The Gmail world: the local Google stand-in issues the tokens; SMTP speaks implicit TLS, as smtp.gmail.com:465. */
export interface GoogleWorld extends MailWorld {
  google: GoogleIdp;
}

type Witness = { url: string; stop(): Promise<void> };

/** Who issues the tokens, and how Dovecot (introspection, witnessed) and the SMTP server check them. */
interface Issuer<I> {
  start(ca: TestCa): Promise<I>;
  witness(i: I, seen: MailWorld['imapChecks'], refuses: Set<string>): Promise<Witness>;
  /** Whether `token` may open `mailbox` (the XOAUTH2 user= field). */
  smtpAccepts(i: I, mailbox: string, token: string): boolean | Promise<boolean>;
  smtpMode?: 'starttls' | 'implicit';
  /** The person at the issuer's device page (an issuer without device sign-in throws). */
  answerDeviceCode(i: I, userCode: string, answer: DeviceAnswer): void | Promise<unknown>;
}

/** What every issuer here has (the Microsoft and Google stand-ins, oidc-provider). */
interface Issued { stop(): Promise<void>; setAccessTokenLifetime(sec: number): void }

/** Starts everything; if one part fails, what already runs is stopped before the error is thrown. */
async function startMailWorld<I extends Issued>(o: { users: string[]; sharedMailboxes?: string[] }, issuer: Issuer<I>): Promise<MailWorld & { issuer: I }> {
  const root = mkdtempSync(join(tmpdir(), 'mailoauth-e2e-'));
  const homes: string[] = [];
  const keep = process.env.MAILOAUTH_KEEP_TEST_DIRS === '1';
  const stops: Array<() => Promise<void> | void> = [() => {
    if (keep) console.warn(`e2e: kept ${[root, ...homes].join(' ')}`);
    else for (const d of [...homes, root]) rmSync(d, { recursive: true, force: true, maxRetries: 5 });
  }];
  /** Everything stops even when one part fails to (the first failure is thrown at the end). */
  const stop = async () => {
    let first: unknown;
    for (const s of stops.splice(0).reverse()) {
      try {
        await s();
      } catch (e) {
        first ??= e;
      }
    }
    if (first) throw first;
  };
  try {
    const cli = installCli(root);
    const ca = await makeTestCa(join(root, 'tls'));
    const issued = await issuer.start(ca);
    stops.push(() => issued.stop());
    const ss = await startSecretService();
    stops.push(() => ss.stop());
    const imapChecks: MailWorld['imapChecks'] = [];
    const imapRefuses = new Set<string>();
    const witness = await issuer.witness(issued, imapChecks, imapRefuses);
    stops.push(() => witness.stop());
    const shared = o.sharedMailboxes ?? [];
    const dovecot = await startDovecot({ introspectUrl: witness.url, tls: ca, users: o.users, sharedMailboxes: shared, seed: Object.fromEntries([...o.users, ...shared].map((u) => [u, SEED])) });
    stops.push(() => dovecot.stop({ keep }));
    const smtpTokens: string[] = [];
    const smtp = await startSmtp({
      tls: ca,
      mode: issuer.smtpMode,
      validate: async (user, token) => {
        const ok = await issuer.smtpAccepts(issued, user, token);
        if (ok) smtpTokens.push(token);
        return ok;
      },
    });
    stops.push(() => smtp.stop());
    const runtimeDirs: string[] = [];
    const runs: MailWorld['runs'] = [];
    const w: MailWorld & { issuer: I } = {
      root, cli, ca, ss, dovecot, smtp, smtpTokens, imapChecks, imapRefuses, homes, runtimeDirs, runs, stop, issuer: issued,
      env(extra = {}) {
        const env = testEnv({ ...ss.env, NODE_EXTRA_CA_CERTS: ca.caFile, MAILOAUTH_RETRY_BASE_MS: '50', LC_ALL: 'C.UTF-8', ...extra });
        homes.push(env.HOME);
        if (env.XDG_RUNTIME_DIR) runtimeDirs.push(env.XDG_RUNTIME_DIR);
        return env;
      },
      start(args, env, timeoutMs) {
        const p = start(args, env, timeoutMs, cli, env.HOME);
        p.done = p.done.then((r) => {
          runs.push({ args, r });
          return r;
        });
        return p;
      },
      run(args, env, timeoutMs) {
        const p = w.start(args, env, timeoutMs);
        p.endInput();
        return p.done;
      },
      async answerDeviceCode(userCode, answer) {
        await issuer.answerDeviceCode(issued, userCode, answer);
      },
      setAccessTokenLifetime: (sec) => issued.setAccessTokenLifetime(sec),
    };
    return w;
  } catch (e) {
    await stop();
    throw e;
  }
}

export async function startWorld(o: { users?: string[]; sharedMailboxes?: string[] } = {}): Promise<World> {
  const users = o.users ?? [USER];
  const mail = await startMailWorld<Idp>({ ...o, users }, {
    start: (ca) => startIdp({ tls: ca, users: users.map((upn) => ({ upn })) }),
    witness: (idp, seen, refuses) => introspectionWitness(idp.introspectUrl, seen, refuses),
    smtpAccepts: (idp, mailbox, token) => {
      const upn = idp.isValidAccessToken(token)?.upn;
      return upn !== undefined && idp.mayOpen(upn, mailbox);
    },
    answerDeviceCode: (idp, code, a) => ('as' in a ? idp.approveDeviceCode(code, a.as) : idp.denyDeviceCode(code, a.deny === true ? undefined : a.deny)),
  });
  const idp = mail.issuer;
  const w: World = Object.assign(mail, {
    idp,
    async signIn(e: UserEnv, name: string, extraArgs: string[] = []) {
      const r = await deviceSignIn(w, e, ['setup', '--yes', '--email', USER, '--name', name, '--flow', 'device', '--authority', idp.authority(), '--no-verify', ...extraArgs]);
      expect(r.code, r.stderr).toBe(0);
      return r;
    },
    leaksIn: (files: string[]) => filesHolding(files, tokenNeedles(idp)),
    refreshTokensIn: (files: string[]) => filesHolding(files, refreshNeedles(idp)),
    async expectNoLeaks() {
      const { access, refresh } = idp.issuedTokens();
      const needles = tokenNeedles(idp);
      const all = mail.homes.flatMap((h) => [...walk(h)]);
      // The runtime cache (memory, 0600) holds access tokens by design, and never a refresh token.
      const leaks = [...w.leaksIn(all), ...w.refreshTokensIn(mail.runtimeDirs.flatMap((d) => [...walk(d)]))];
      for (const { args, r } of mail.runs) {
        const out = [r.stderr, args[0] === 'token' ? '' : r.stdout].join('\n');
        if (needles.some((n) => out.includes(n))) leaks.push(`output of mailoauth ${args.join(' ')}`);
      }
      expect(leaks, 'tokens found where none may be').toEqual([]);
      expect(access.length).toBeGreaterThan(0);
      return { files: all.length, runs: mail.runs.length, tokens: access.length + refresh.length };
    },
  });
  return w;
}

/**
 * Whole tokens; the parts a truncated log line would still carry (a JWT's signature, a stretch from
 * the middle of a refresh token); and the SASL XOAUTH2 string a mail login sends.
 */
function tokenNeedles(idp: Idp): string[] {
  const { access } = idp.issuedTokens();
  return [
    ...access.flatMap((t) => [t, t.split('.')[2]!, Buffer.from(`user=${USER}\x01auth=Bearer ${t}\x01\x01`).toString('base64')]),
    ...refreshNeedles(idp),
  ];
}

function refreshNeedles(idp: Idp): string[] {
  return idp.issuedTokens().refresh.flatMap((t) => [t, t.slice(10, 42)]);
}

function filesHolding(files: string[], needles: string[]): string[] {
  return files.filter((f) => {
    const text = readFileSync(f, 'latin1');
    return needles.some((n) => text.includes(n));
  });
}

function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) yield* walk(p);
    else if (st.isFile()) yield p;
  }
}

export type SignedIn = RunResult & { userCode: string; out: string };

/**
 * The one device sign-in. `mailoauth ARGS` (a setup or reauth with --flow device) runs as the user;
 * the code it shows on stderr is answered at the issuer's device page, by default signing in as
 * USER; resolves with how setup ended (callers check the exit code). `running` is a process the
 * caller started another way (as another user, say). Fails when setup ends before showing a code.
 */
export async function deviceSignIn(
  w: MailWorld, env: NodeJS.ProcessEnv, args: string[],
  o: { answer?: DeviceAnswer; running?: { stderr(): string; done: Promise<RunResult> } } = {},
): Promise<SignedIn> {
  const p = o.running ?? w.start(args, env, 120_000);
  if (!o.running) (p as Running).endInput();
  let ended: RunResult | undefined;
  void p.done.then((r) => (ended = r));
  const seen = await until('setup to show a device code (or end)', () => /enter the code (\S+)/.exec(p.stderr())?.[1] ?? ended, 60_000);
  if (typeof seen !== 'string') throw new Error(`setup ended (exit ${seen.code}) before showing a device code:\n${seen.stderr}`);
  await w.answerDeviceCode(seen, o.answer ?? { as: USER });
  const r = await p.done;
  return { ...r, userCode: seen, out: r.stdout + r.stderr };
}

/** The OpenID world: a real OpenID server (oidc-provider) issues the tokens, as Keycloak would for a self-hosted mail server. */
export interface OidcWorld extends MailWorld {
  oidc: OidcServer;
}

/**
 * Users by login with their mailbox address. Dovecot's check goes to the server's own introspection
 * endpoint (through a recording pass-through, so journeys can tell which token each login used); its
 * answer's `email` is the login name, as with Keycloak's email mapper. test/fixtures/oidc-server.test.ts
 * proves Dovecot introspecting the server directly over HTTPS.
 */
export async function startOidcWorld(o: { users: Array<{ login: string; email: string }>; issuerPath?: string }): Promise<OidcWorld> {
  const emailOf = async (oidc: OidcServer, token: string) => {
    const r = await oidc.introspect(token);
    return r.active === true && typeof r.email === 'string' ? r.email : undefined;
  };
  const { issuer, ...w } = await startMailWorld<OidcServer>({ users: o.users.map((u) => u.email) }, {
    start: (ca) => startOidcServer({ tls: ca, users: o.users, issuerPath: o.issuerPath }),
    witness: (oidc, seen, refuses) => startIntrospectionStub((t) => (refuses.has(t) ? undefined : emailOf(oidc, t)), (token, user) => seen.push({ token, active: user !== undefined })),
    smtpAccepts: async (oidc, mailbox, token) => (await emailOf(oidc, token))?.toLowerCase() === mailbox.toLowerCase(),
    smtpMode: 'implicit',
    answerDeviceCode: (oidc, code, a) => oidc.approveDeviceCode(code, 'as' in a ? a.as : o.users[0]!.login, { deny: 'deny' in a }),
  });
  return Object.assign(w, { oidc: issuer });
}

export async function startGoogleWorld(o: { users: string[] }): Promise<GoogleWorld> {
  const { issuer, ...w } = await startMailWorld<GoogleIdp>(o, {
    start: (ca) => startGoogleIdp({ tls: ca, users: o.users }),
    // Google has no introspection endpoint; the stub asks the stand-in and notes every check.
    witness: (g, seen, refuses) => startIntrospectionStub((t) => (refuses.has(t) ? undefined : g.isValidAccessToken(t)?.email), (token, user) => seen.push({ token, active: user !== undefined })),
    smtpAccepts: (g, mailbox, token) => g.isValidAccessToken(token)?.email.toLowerCase() === mailbox.toLowerCase(),
    smtpMode: 'implicit',
    answerDeviceCode: () => {
      throw new Error('Google offers no device-code sign-in for mail');
    },
  });
  return Object.assign(w, { google: issuer });
}

/**
 * Between Dovecot and the platform's introspection endpoint: forwards each check unchanged and notes
 * the token and the answer, so a journey can tell WHICH token a client logged in with.
 */
async function introspectionWitness(target: string, seen: Array<{ token: string; active: boolean }>, refuses: Set<string>): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const refused = new URLSearchParams(body).get('token') ?? '';
      if (refuses.has(refused)) {
        seen.push({ token: refused, active: false });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"active":false}');
        return;
      }
      // The query (e.g. ?mailbox= for a shared mailbox's passdb) goes along.
      fetch(target + (new URL(req.url ?? '/', 'http://x').search), { method: req.method, body: req.method === 'POST' ? body : undefined, headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' } })
        .then(async (r) => {
          const text = await r.text();
          const token = new URLSearchParams(body).get('token') ?? '';
          seen.push({ token, active: (JSON.parse(text) as { active?: boolean }).active === true });
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' }).end(text);
        })
        .catch((e: unknown) => res.writeHead(502).end(String(e)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/introspect`,
    stop: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

/**
 * The built CLI (cliPath(): dist/cli.cjs, or MAILOAUTH_CLI) installed the way a user's npm prefix
 * holds it, under a HOME-like directory whose name a shell, Python/ConfigParser, muttrc, mbsyncrc and
 * msmtprc would each misread if setup quoted it wrongly: spaces, `$`, `;`, `&`, parentheses. (Quotes
 * are refused by setup by design. `#` and `%` once broke the bundle itself: its import.meta.url shim
 * made a URL without escaping them.) The clients run it by this path, through its
 * `#!/usr/bin/env node` line, exactly as setup wrote it.
 */
export const INSTALL_DIR_NAME = 'Jane Doe/mail tools #2 (npm) 100% $PATH; &x';

function installCli(root: string): string {
  const built = cliPath();
  const prefix = join(root, INSTALL_DIR_NAME, 'mailoauth');
  mkdirSync(join(prefix, 'dist'), { recursive: true });
  const cli = join(prefix, 'dist', 'cli.cjs');
  // The whole dist/ (cli.cjs loads commands.cjs beside it for everything but `token`).
  cpSync(dirname(built), dirname(cli), { recursive: true });
  chmodSync(cli, 0o755);
  cpSync(join(dirname(built), '..', 'templates'), join(prefix, 'templates'), { recursive: true });
  symlinkSync(resolve(import.meta.dirname, '../../node_modules'), join(prefix, 'node_modules'));
  return cli;
}

export type UserEnv = NodeJS.ProcessEnv & { HOME: string; XDG_CONFIG_HOME: string };

/** A fresh user: a private HOME, the world's keychain, and trust in the test CA (for mailoauth's own HTTPS). */
export function userEnv(w: MailWorld, extra: NodeJS.ProcessEnv = {}): UserEnv {
  return w.env(extra);
}

/** `mailoauth setup --yes` pointed at the world, writing all four client configs. */
export function setupArgs(w: World, name: string, flow: 'device' | 'browser', extra: string[] = []): string[] {
  return ['setup', '--yes', '--email', USER, '--name', name, '--flow', flow, '--authority', w.idp.authority(),
    '--clients', CLIENTS, '--ca-file', w.ca.caFile,
    '--imap-host', 'localhost', '--imap-port', String(w.dovecot.imapsPort),
    '--smtp-host', 'localhost', '--smtp-port', String(w.smtp.port), ...extra];
}

/** `mailoauth ARGS` as the user types it: the installed CLI, run by its path. */
export function mailoauth(w: MailWorld, args: string[], env: NodeJS.ProcessEnv, timeoutSec = 60): Promise<ToolResult> {
  return runTool(w.cli, args, env, { timeoutSec });
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** stdout + stderr. */
  out: string;
}

/**
 * A program run as the user would, in the user's HOME, bounded by `timeout(1)` (exit 124 when it
 * fires) and by a process-group SIGKILL a little later.
 */
export function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv, o: { timeoutSec?: number; input?: string } = {}): Promise<ToolResult> {
  const t0 = Date.now();
  const limit = o.timeoutSec ?? 60;
  return new Promise((resolve, reject) => {
    const child = spawn('timeout', ['-k', '3', String(limit), cmd, ...args], { env, cwd: env.HOME, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.stdin.on('error', () => {});
    child.stdin.end(o.input ?? '');
    const backstop = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch { /* gone */ }
    }, (limit + 10) * 1000);
    child.on('error', (e) => {
      clearTimeout(backstop);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(backstop);
      resolve({ code, stdout, stderr, ms: Date.now() - t0, out: stdout + stderr });
    });
  });
}

// ---- the four clients, each as its config (written by setup) says -------------------------------

/** Where the blocks setup writes keep each program's mail: a Maildir of its own (never shared, see local-store.ts). */
export const offlineimapMaildir = (env: UserEnv, name: string) => join(env.HOME, 'Mail', 'offlineimap', name);
export const mbsyncMaildir = (env: UserEnv, name: string) => join(env.HOME, 'Mail', 'mbsync', name);

export function offlineimap(env: UserEnv, name: string, timeoutSec = 60): Promise<ToolResult> {
  return runTool('offlineimap', ['-o', '-u', 'basic', '-a', name], env, { timeoutSec });
}

export function mbsync(env: UserEnv, timeoutSec = 60): Promise<ToolResult> {
  return runTool('mbsync', ['-a'], env, { timeoutSec });
}

export function msmtpSend(env: UserEnv, name: string, o: { to: string; subject: string; from?: string }, timeoutSec = 30): Promise<ToolResult> {
  const msg = [`From: <${o.from ?? USER}>`, `To: <${o.to}>`, `Subject: ${o.subject}`, `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${Date.now()}.${process.pid}@e2e.mailoauth.test>`, '', 'Sent by msmtp with a token from mailoauth.', ''].join('\r\n');
  return runTool('msmtp', ['-a', name, o.to], env, { input: msg, timeoutSec });
}

/**
 * neomutt without a person: in a pseudo-terminal (`script`), it reads the config setup wrote, opens
 * the IMAP inbox (logging in with the refresh command's token), and exits.
 */
export function neomuttBatch(env: UserEnv, timeoutSec = 30): Promise<ToolResult> {
  return runTool('script', ['-qec', `neomutt -e 'set sleep_time = 0' -e 'push <exit>'`, '/dev/null'], { ...env, TERM: 'xterm' }, { timeoutSec });
}

/**
 * aerc as a person runs it, in tmux: waits until every subject shows, sends `subject` to bob@example.org
 * with :compose, waits until `received()` finds it at the server, quits. aerc has no CA setting: Go reads
 * SSL_CERT_FILE (the block says so when setup was given --ca-file).
 */
export async function aercInTmux(w: MailWorld, env: UserEnv, o: { subjects: string[]; subject: string; received: () => unknown }): Promise<{ screen: string; exit: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mailoauth-e2e-aerc-'));
  w.homes.push(dir);
  const tmux = new TmuxSession(`aerc-${Date.now()}`, dir);
  try {
    tmux.start(['aerc'], { ...env, TERM: 'xterm-256color', SSL_CERT_FILE: w.ca.caFile, EDITOR: 'true' });
    const screen = await until('aerc to list the seeded inbox', () => {
      const s = tmux.screen();
      if (/EXIT=\d+/.test(s)) throw new Error(`aerc exited:\n${s}`);
      return o.subjects.every((x) => s.includes(x)) ? s : undefined;
    }, 30_000, 150);
    tmux.type(`:compose -H "To: bob@example.org" -H "Subject: ${o.subject}" hello`);
    tmux.keys('Enter');
    await tmux.waitFor(/Send this email\?/, 20_000);
    tmux.keys('y');
    await until('the server to receive aerc\'s message', () => o.received() || undefined, 30_000, 150);
    tmux.type(':quit');
    tmux.keys('Enter');
    return { screen, exit: (await tmux.waitFor(/EXIT=(\d+)/, 15_000))[1]! };
  } finally {
    tmux.kill();
  }
}

/** neomutt (or mutt) as a person runs it, in tmux; resolves with the screen once every subject shows, then quits it. */
export async function neomuttInTmux(env: UserEnv, subjects: string[], timeoutMs = 30_000, program: 'neomutt' | 'mutt' = 'neomutt'): Promise<{ screen: string; exit: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mailoauth-e2e-tmux-'));
  const tmux = new TmuxSession(`${program}-${Date.now()}`, dir);
  try {
    tmux.start([program], { ...env, TERM: 'xterm-256color' });
    const end = Date.now() + timeoutMs;
    let screen = '';
    while (!subjects.every((s) => screen.includes(s))) {
      screen = tmux.screen();
      if (/EXIT=\d+/.test(screen)) throw new Error(`${program} exited before listing the inbox:\n${screen}`);
      if (Date.now() > end) throw new Error(`${program} never listed ${subjects.join(', ')} within ${timeoutMs} ms; the screen:\n${screen}`);
      await sleep(150);
    }
    tmux.keys('q');
    const exit = (await tmux.waitFor(/EXIT=(\d+)/, 15_000))[1]!;
    return { screen, exit };
  } finally {
    tmux.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- rounds of all four clients --------------------------------------------------------------------

/** What one round of the four clients handed the servers. */
export interface ClientRound {
  /** Every distinct token Dovecot checked or the SMTP server accepted during the round. */
  tokens: Set<string>;
  ms: number;
}

/**
 * Delivers `Round N news` to `user`, runs offlineimap, mbsync, neomutt and msmtp at once from the
 * configs setup wrote for `name`, and checks each one saw (or sent) mail with a token the issuer
 * vouched for.
 */
export async function clientRound(w: MailWorld, env: UserEnv, o: { name: string; user: string; n: number }): Promise<ClientRound> {
  const { name, user, n } = o;
  const subject = `Round ${n} news`;
  await w.dovecot.deliver(user, { subject });
  const imapFrom = w.imapChecks.length;
  const smtpFrom = w.smtpTokens.length;
  const loginsFrom = xoauth2Logins(w.dovecot, user);
  const t0 = Date.now();
  const [oi, mb, nm, ms] = await Promise.all([
    offlineimap(env, name),
    mbsync(env),
    neomuttBatch(env),
    msmtpSend(env, name, { to: 'bob@example.org', subject: `round ${n} from msmtp`, from: user }),
  ]);
  const ms_ = Date.now() - t0;
  expect(oi.code, `offlineimap round ${n}: ${oi.out}`).toBe(0);
  expect(mb.code, `mbsync round ${n}: ${mb.out}`).toBe(0);
  expect(nm.code, `neomutt round ${n}: ${nm.out}`).toBe(0);
  expect(ms.code, `msmtp round ${n}: ${ms.out}`).toBe(0);
  expect(maildirSubjects(join(offlineimapMaildir(env, name), 'INBOX')), 'offlineimap').toContain(subject);
  expect(maildirSubjects(join(mbsyncMaildir(env, name), 'INBOX')), 'mbsync').toContain(subject);
  expect(nm.out, 'neomutt index').toContain(subject);
  const sent = w.smtp.messages.at(-1);
  expect(sent?.raw, 'msmtp').toMatch(new RegExp(`^Subject: round ${n} from msmtp$`, 'm'));
  expect(sent?.user, 'msmtp authenticated as').toBe(user);
  expect(await xoauth2LoginsSince(w.dovecot, loginsFrom, 3, user)).toBeGreaterThanOrEqual(3);
  const imap = w.imapChecks.slice(imapFrom);
  expect(imap.every((c) => c.active), 'Dovecot was never handed a token the issuer rejected').toBe(true);
  return { tokens: new Set([...imap.map((c) => c.token), ...w.smtpTokens.slice(smtpFrom)]), ms: ms_ };
}

/** `token` refreshes when less than this is left. */
export const MARGIN_S = 300;

/** Seconds a token from nextExpiry stays outside the margin. */
const SOON_S = 2;

/**
 * The next expiry of `name`'s stored token, without waiting out the one that setup (or the last round)
 * stored: `mailoauth refresh NAME` (the product's own command) while the issuer issues tokens that live
 * MARGIN_S + SOON_S seconds, then the issuer back to an hour; then real time passes until that token is
 * inside the refresh margin. Nothing in the keychain is touched. Returns the stored token, now due.
 * Callers count refreshes from here on (the forced one is the issuer's too).
 */
export async function nextExpiry(w: MailWorld, env: UserEnv, name: string): Promise<string> {
  w.setAccessTokenLifetime(MARGIN_S + SOON_S);
  try {
    const r = await mailoauth(w, ['refresh', name], env);
    expect(r.code, r.out).toBe(0);
  } finally {
    w.setAccessTokenLifetime(3600);
  }
  return untilInsideMargin(env, name, SOON_S);
}

/**
 * Real time passes until the stored token of `name` is inside the refresh margin; at most
 * `headroomS` (+2) seconds, or the test fails. Nothing in the keychain is touched. Returns that token.
 */
export async function untilInsideMargin(env: UserEnv, name: string, headroomS: number): Promise<string> {
  const { accessToken, expiresAt } = storedAccess(env, name);
  const wait = expiresAt - MARGIN_S * 1000 - Date.now() + 1_000;
  expect(wait).toBeLessThan((headroomS + 2) * 1000);
  if (wait > 0) await sleep(wait);
  return accessToken;
}

// ---- what ended up where --------------------------------------------------------------------------

/** Subjects of the messages in a Maildir folder (new/ and cur/). */
export function maildirSubjects(folder: string): string[] {
  return ['new', 'cur'].flatMap((sub) => {
    const d = join(folder, sub);
    if (!existsSync(d)) return [];
    return readdirSync(d).map((f) => /^Subject: (.*)$/m.exec(readFileSync(join(d, f), 'utf8'))?.[1]?.trim() ?? `(no subject: ${f})`);
  }).sort();
}

/** The four config files setup writes (CLIENTS), where each client reads them. */
export function clientConfigFiles(env: UserEnv): Record<'offlineimap' | 'mbsync' | 'neomutt' | 'msmtp', string> {
  return {
    offlineimap: join(env.HOME, '.offlineimaprc'),
    mbsync: join(env.HOME, '.mbsyncrc'),
    neomutt: join(env.XDG_CONFIG_HOME, 'neomutt', 'neomuttrc'),
    msmtp: join(env.HOME, '.msmtprc'),
  };
}

/**
 * Each of the four configs holds the managed block of `name`, runs this very mailoauth by absolute
 * path (its directory name is full of characters each file must quote in its own language), holds
 * none of `secrets` and is private (0600).
 */
export function expectManagedConfigs(env: UserEnv, name: string, secrets: string[]): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [client, file] of Object.entries(clientConfigFiles(env))) {
    const text = readFileSync(file, 'utf8');
    expect(text, client).toContain(`# >>> mailoauth ${name} >>>`);
    // The install path, quoted for each language (offlineimap doubles `%`, the shells may escape `$`).
    expect(text, client).toMatch(/mail tools #2 \(npm\) 100%?% \\?\$PATH; &x\/mailoauth\/dist\/cli\.cjs/);
    for (const secret of secrets) expect(text, client).not.toContain(secret);
    expect(statSync(file).mode & 0o777, client).toBe(0o600);
    texts[client] = text;
  }
  return texts;
}

/** A keychain item as another Secret Service client (secret-tool) sees it; '' when absent. */
export function keychainItem(env: NodeJS.ProcessEnv, username: string): string {
  return spawnSync('secret-tool', ['lookup', 'service', 'mailoauth', 'username', username], { env, encoding: 'utf8', timeout: 10_000 }).stdout;
}

export function storedRefreshToken(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return refreshTokenIn(keychainItem(env, `${name}/msal`));
}

/** The refresh token in a serialized MSAL cache (what NAME/msal holds). */
export function refreshTokenIn(cache: string): string | undefined {
  if (!cache) return undefined;
  return Object.values(JSON.parse(cache).RefreshToken as Record<string, { secret: string }>)[0]?.secret;
}

/** A Google (plain OAuth2) account's refresh record: NAME/oauth2. */
export function storedOAuth2(env: NodeJS.ProcessEnv, name: string): { refreshToken: string; clientSecret?: string } | undefined {
  const item = keychainItem(env, `${name}/oauth2`);
  return item ? (JSON.parse(item) as { refreshToken: string; clientSecret?: string }) : undefined;
}

/** The stored access record (what `token` serves from). */
export function storedAccess(env: NodeJS.ProcessEnv, name: string): { accessToken: string; expiresAt: number } {
  return JSON.parse(keychainItem(env, name)) as { accessToken: string; expiresAt: number };
}

/** Dovecot's successful XOAUTH2 logins of `user` so far. */
export function xoauth2Logins(d: DovecotServer, user = USER): number {
  return d.loginMechanisms(user).filter((m) => m === 'XOAUTH2').length;
}
/** The XOAUTH2 logins of `user` after the first `from`, once there are `atLeast` (Dovecot's log can lag a login). */
export const xoauth2LoginsSince = (d: DovecotServer, from: number, atLeast = 1, user = USER): Promise<number> =>
  eventually(() => xoauth2Logins(d, user) - from, (n) => n >= atLeast);

export const refreshes = (idp: Idp) => idp.counts()['token:refresh_token'] ?? 0;

const versions = new Map<string, string>();
/** e.g. `offlineimap 8.0.0`, `mbsync (isync 1.4.4)`, `neomutt 20220429`, `msmtp 1.8.23`. */
export function clientVersion(client: 'offlineimap' | 'mbsync' | 'neomutt' | 'msmtp'): string {
  const cached = versions.get(client);
  if (cached) return cached;
  const args = client === 'neomutt' ? ['-v'] : ['--version'];
  const r = spawnSync(client, args, { encoding: 'utf8', timeout: 10_000 });
  const text = `${r.stdout}\n${r.stderr}`;
  const v = {
    offlineimap: /^(?:OfflineIMAP )?v?(\d+\.\d+\.\d+)/m,
    mbsync: /isync (\d+\.\d+\.\d+)/,
    neomutt: /NeoMutt (\d{8})/,
    msmtp: /msmtp version (\d+\.\d+\.\d+)/,
  }[client].exec(text)?.[1] ?? '?';
  const label = client === 'mbsync' ? `mbsync (isync ${v})` : `${client} ${v}`;
  versions.set(client, label);
  return label;
}

/** One line per client of what it proved; shows in the test output (CI log). */
export function proved(line: string): void {
  console.log(`PROVED ${line}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `$BROWSER` for the browser flow: real headless Chromium that loads the authorize URL, follows the
 * platform's redirect to mailoauth's loopback listener, dumps the final page and exits. It trusts the
 * test server's key only (`--ignore-certificate-errors-spki-list` with the SHA-256 of the identity
 * platform's public key: every other certificate is still checked, unlike
 * `--ignore-certificate-errors`); Chromium reads no CA file, and an NSS database would need certutil.
 */
export function chromiumOpener(w: World, dir: string): { browser: string; domFile: string; logFile: string; argsFile: string; spki: string; exited(timeoutMs: number): Promise<boolean> } {
  const spki = createHash('sha256')
    .update(new X509Certificate(readFileSync(w.ca.certFile)).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  const script = join(dir, 'headless-chromium.sh');
  const domFile = join(dir, 'dom.html');
  const logFile = join(dir, 'chromium.log');
  const pidFile = join(dir, 'chromium.pid');
  const argsFile = join(dir, 'opened-url.txt');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(script, [
    '#!/bin/sh',
    '# Opened by mailoauth with the authorize URL as $1. timeout(1) keeps its pid ($$) and leads the group.',
    `echo $$ >${q(pidFile)}`,
    `printf '%s\\n' "$1" >${q(argsFile)}`,
    `exec timeout -k 5 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \\`,
    '  --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \\',
    `  --user-data-dir=${q(join(dir, 'profile'))} --ignore-certificate-errors-spki-list=${q(spki)} \\`,
    `  --dump-dom "$1" >${q(domFile)} 2>${q(logFile)}`,
    '',
  ].join('\n'), { mode: 0o755 });
  /** Chromium (started by mailoauth, detached) has exited: its DOM dump is complete and its profile quiet. Killed after timeoutMs. */
  const exited = async (timeoutMs: number): Promise<boolean> => {
    if (!existsSync(pidFile)) return true;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const alive = () => {
      try {
        process.kill(pid, 0);
        return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const end = Date.now() + timeoutMs;
    while (alive() && Date.now() < end) await sleep(100);
    if (!alive()) return true;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch { /* gone */ }
    return false;
  };
  return { browser: script, domFile, logFile, argsFile, spki, exited };
}
