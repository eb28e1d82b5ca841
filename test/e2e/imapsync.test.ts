/**
 * Journeys with the real, upstream imapsync (../shared/tools/imapsync, 2.229): mailbox migrations
 * between two Dovecot mailboxes, each side logging in with XOAUTH2 and a token file from
 * `mailoauth export ACCOUNT --imapsync FILE` (imapsync's --oauthaccesstoken1/2 FILE reads line 1).
 *
 * 1. One run copies the seeded messages from alice's INBOX into bob's mailbox.
 * 2. A migration in passes, as long ones are run (each imapsync process reads the file when it logs
 *    in; 2.229 keeps that token for its reconnects), while `export --watch` keeps alice's file fresh:
 *    once both accounts are set up, her tokens live 300 + HEADROOM_S seconds (the refresh margin is
 *    300; `mailoauth refresh` stores the first), so the watcher refreshes twice; every pass logs in
 *    with the token the file then holds, and each expiry costs exactly one refresh.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import {
  MARGIN_S, SEED, TOOLS, USER, deviceSignIn, mailoauth, proved, refreshes, runTool, setupArgs, sleep, startWorld, userEnv,
  type UserEnv, type World,
} from './harness.js';
import { IMAPSYNC, programVersion } from './programs.js';

const skip = skipWithout('e2e: imapsync with mailoauth export', [...TOOLS, IMAPSYNC]);
const BOB = 'bob@contoso.example';
/** Seconds a token of the second journey stays outside the refresh margin: room for starting the watcher and an imapsync pass. */
const HEADROOM_S = 8;
const SUBJECTS = SEED.map((m) => m.subject).sort();

describe.skipIf(skip)('journeys: imapsync migrates between two mailboxes with token files from mailoauth export', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ users: [USER, BOB] });
  });
  afterAll(async () => {
    await w?.stop();
  });

  /** Signs alice in as `src` and bob as `dst` in one HOME, writing no client config. */
  async function twoAccounts(env: UserEnv): Promise<void> {
    const src = await deviceSignIn(w, env, setupArgs(w, 'src', 'device', ['--clients', '']));
    expect(src.code, src.out).toBe(0);
    const dst = await deviceSignIn(w, env, setupArgs(w, 'dst', 'device', ['--clients', '']).map((a) => (a === USER ? BOB : a)), { answer: { as: BOB } });
    expect(dst.code, dst.out).toBe(0);
  }

  /** imapsync from alice's INBOX to bob's `folder`/INBOX, certificates checked against the test CA. */
  function imapsync(env: UserEnv, f1: string, f2: string, folder: string) {
    const side = (n: 1 | 2, user: string, file: string) => [`--host${n}`, 'localhost', `--port${n}`, String(w.dovecot.imapsPort), `--ssl${n}`,
      `--user${n}`, user, `--oauthaccesstoken${n}`, file, `--sslargs${n}`, 'SSL_verify_mode=1', `--sslargs${n}`, `SSL_ca_file=${w.ca.caFile}`];
    return runTool(IMAPSYNC, [...side(1, USER, f1), ...side(2, BOB, f2), '--folder', 'INBOX', '--subfolder2', folder,
      '--nolog', '--tmpdir', join(env.HOME, 'imapsync-tmp'), '--nofoldersizes', '--nofoldersizesatend'], env, { timeoutSec: 90 });
  }

  /** Subjects of the messages in bob's `folder`/INBOX, read from Dovecot's own Maildir (the server side). */
  function bobHas(folder: string): string[] {
    const dir = join(w.dovecot.maildir(BOB), `.${folder}.INBOX`);
    return ['cur', 'new'].flatMap((s) => (existsSync(join(dir, s)) ? readdirSync(join(dir, s)).map((f) => join(dir, s, f)) : []))
      .map((f) => /^Subject: (.*)$/m.exec(readFileSync(f, 'utf8'))?.[1] ?? '?').sort();
  }

  /** The distinct tokens of `upn` that Dovecot checked since `from`, each with the platform's answer. */
  const tokensOf = (upn: string, from: number) =>
    [...new Set(w.imapChecks.slice(from).filter((c) => w.idp.isValidAccessToken(c.token)?.upn === upn || !c.active).map((c) => `${c.active ? '' : 'REJECTED '}${c.token}`))];

  const firstLine = (f: string) => readFileSync(f, 'utf8').split('\n')[0]!;

  it('one run copies the seeded messages from one mailbox to another, both sides with token files', async () => {
    const env = userEnv(w);
    await twoAccounts(env);
    const f1 = join(env.HOME, 'src.token');
    const f2 = join(env.HOME, 'dst.token');
    for (const [name, file] of [['src', f1], ['dst', f2]] as const) {
      const r = await mailoauth(w, ['export', name, '--imapsync', file], env);
      expect(r.code, r.out).toBe(0);
      expect(r.stderr).toContain(`--oauthaccesstoken1 ${file}`);
    }
    const from = w.imapChecks.length;
    const run = await imapsync(env, f1, f2, 'Migrated');
    expect(run.code, run.out).toBe(0);
    expect(run.stdout).toMatch(/Detected 0 errors/);
    expect(bobHas('Migrated')).toEqual(SUBJECTS);
    expect(tokensOf(USER, from)).toEqual([firstLine(f1)]);
    expect(tokensOf(BOB, from)).toEqual([firstLine(f2)]);
    proved(`${programVersion('imapsync')}: copied ${bobHas('Migrated').length}/${SEED.length} seeded messages from ${USER}'s INBOX to ` +
      `${BOB}'s Migrated/INBOX, logging in to both sides with XOAUTH2 and --oauthaccesstoken1/2 files from \`mailoauth export\``);
  }, 150_000);

  it('a migration in passes keeps working across two expiries of the source token, with one refresh per expiry (export --watch)', async () => {
    const env = userEnv(w);
    await twoAccounts(env);
    const f1 = join(env.HOME, 'src.token');
    const f2 = join(env.HOME, 'dst.token');
    expect((await mailoauth(w, ['export', 'dst', '--imapsync', f2], env)).code).toBe(0);
    // alice's tokens are short from now on (bob's lives an hour): the refresh stores the first of them.
    w.idp.setAccessTokenLifetime(MARGIN_S + HEADROOM_S);
    expect((await mailoauth(w, ['refresh', 'src'], env)).code).toBe(0);
    w.idp.resetCounts();

    const watcher = spawn(w.cli, ['export', 'src', '--imapsync', f1, '--watch'], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let log = '';
    watcher.stderr.on('data', (c: Buffer) => { log += c.toString(); });
    watcher.stdin.on('error', () => {});
    watcher.stdin.end();
    const exited = new Promise<number | null>((r) => watcher.on('close', (code) => r(code)));
    const tokens: string[] = [];
    const passes: Array<{ token: string; refreshes: number; subjects: number }> = [];
    try {
      const written = async (n: number) => {
        const end = Date.now() + (HEADROOM_S + 20) * 1000;
        while (!(existsSync(f1) && readFileSync(f1, 'utf8').endsWith('\n') && new Set([...tokens, firstLine(f1)]).size >= n)) {
          if (Date.now() > end) throw new Error(`the watcher wrote no token #${n} in time:\n${log}`);
          await sleep(200);
        }
        tokens.push(firstLine(f1));
      };
      const pass = async (n: number) => {
        await w.dovecot.deliver(USER, { subject: `Pass ${n} news` });
        const from = w.imapChecks.length;
        const r = await imapsync(env, f1, f2, 'Later');
        expect(r.code, `pass ${n}: ${r.out}`).toBe(0);
        expect(bobHas('Later')).toContain(`Pass ${n} news`);
        expect(tokensOf(USER, from), `pass ${n} logged in with the token the file held`).toEqual([tokens.at(-1)]);
        passes.push({ token: tokens.at(-1)!, refreshes: refreshes(w.idp), subjects: bobHas('Later').length });
      };

      await written(1);
      await pass(1);
      await written(2); // the first token entered the margin: one refresh, the file rewritten
      w.idp.setAccessTokenLifetime(3600);
      await pass(2);
      await written(3); // the second one too
      await pass(3);
    } finally {
      watcher.kill('SIGTERM');
      const timer = setTimeout(() => watcher.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    expect(new Set(tokens).size).toBe(3);
    expect(passes.map((p) => p.refreshes), 'refreshes after each pass: one per expiry').toEqual([0, 1, 2]);
    expect(passes.map((p) => p.subjects)).toEqual([SEED.length + 1, SEED.length + 2, SEED.length + 3]);
    expect(log).toMatch(/Stopped watching/);
    expect((log.match(/rewrote /g) ?? []).length).toBe(2);
    proved(`${programVersion('imapsync')}: 3 migration passes from ${USER} to ${BOB} while \`mailoauth export --watch\` kept the token file ` +
      `fresh across 2 expiries (tokens living ${MARGIN_S + HEADROOM_S} s, margin ${MARGIN_S} s): each pass logged in with the token the file ` +
      `then held; ${passes.at(-1)!.refreshes} refreshes in all, one per expiry`);
  }, 180_000);
});
