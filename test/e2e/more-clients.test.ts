/**
 * Journey: `mailoauth setup --clients msmtp,aerc,git-send-email,s-nail` (and, for a second account,
 * `--clients getmail`), then each program does its job from the block setup wrote, with the token
 * the platform issued: aerc lists the inbox and sends in a real terminal (tmux), git send-email sends
 * a patch through msmtp, s-nail lists the inbox and sends, getmail retrieves into its Maildir.
 * Dovecot and the SMTP server check every token with the platform and remember which one they saw.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import {
  SEED, TOOLS, USER, aercInTmux, deviceSignIn, maildirSubjects, proved, runTool, setupArgs, startWorld, storedAccess, userEnv, xoauth2Logins, xoauth2LoginsSince,
  type UserEnv, type World,
} from './harness.js';
import { asMailUser, programVersion } from './programs.js';

const skip = skipWithout('e2e: aerc, getmail, git send-email, s-nail', [...TOOLS, 'aerc', 'getmail', 'git', 's-nail', 'setpriv']);
const NAME = 'work';
const SUBJECTS = SEED.map((m) => m.subject).sort();

describe.skipIf(skip)('journey: setup writes aerc, git send-email, s-nail and getmail blocks; each program works with the token', () => {
  let w: World;
  let env: UserEnv;
  let access: string;
  beforeAll(async () => {
    w = await startWorld();
    env = userEnv(w);
    const setup = await deviceSignIn(w, env, setupArgs(w, NAME, 'device', ['--clients', 'aerc,git-send-email,s-nail,msmtp']));
    if (setup.code !== 0) throw new Error(`setup failed:\n${setup.out}`);
    access = storedAccess(env, NAME).accessToken;
  }, 120_000);
  afterAll(async () => {
    await w?.stop();
  });

  /** Dovecot asked the platform only about `token` since `from`, and the platform vouched for it. */
  const imapTokensSince = (from: number) => [...new Set(w.imapChecks.slice(from).map((c) => `${c.active ? '' : 'REJECTED '}${c.token}`))];


  it('aerc, in a terminal, lists the inbox over IMAP and sends over SMTP, both with XOAUTH2', async () => {
    const rc = join(env.XDG_CONFIG_HOME, 'aerc', 'accounts.conf');
    const text = readFileSync(rc, 'utf8');
    expect(text).toContain(`# >>> mailoauth ${NAME} >>>`);
    expect(text).toContain('mail tools #2 (npm) 100% $PATH; &x/mailoauth/dist/cli.cjs');
    expect(statSync(rc).mode & 0o777, 'aerc refuses an accounts.conf others can read').toBe(0o600);
    const checks = w.imapChecks.length;
    const logins = xoauth2Logins(w.dovecot);
    const subject = `aerc e2e ${Date.now()}`;
    const received = () => w.smtp.messages.find((m) => m.raw.includes(`Subject: ${subject}`));
    const { screen, exit } = await aercInTmux(w, env, { subjects: SUBJECTS, subject, received });
    expect(exit).toBe('0');
    expect(received()).toMatchObject({ from: USER, to: ['bob@example.org'], user: USER });
    expect(w.smtpTokens.at(-1)).toBe(access);
    expect(await xoauth2LoginsSince(w.dovecot, logins)).toBeGreaterThan(0);
    expect(imapTokensSince(checks)).toEqual([access]);
    proved(`${programVersion('aerc')}: listed ${SUBJECTS.filter((s) => screen.includes(s)).length}/${SEED.length} seeded subjects over IMAP ` +
      `(imaps+xoauth2, source-cred-cmd) and sent "${subject}" over SMTP (smtp+xoauth2, outgoing-cred-cmd), in tmux, with the platform's token`);
  }, 90_000);

  it('git send-email sends a patch from a real repository through msmtp, with the token', async () => {
    const repo = join(env.HOME, 'project');
    mkdirSync(repo);
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-C', repo, ...args], { env, encoding: 'utf8', timeout: 30_000 });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    git('init', '-q');
    git('config', 'user.name', 'Jane Doe');
    git('config', 'user.email', 'jane@example.org');
    spawnSync('sh', ['-c', 'printf "hello\\n" > README'], { cwd: repo });
    git('add', 'README');
    git('commit', '-qm', 'Add a README');
    // What setup wrote reads back through git itself.
    expect(git('config', '--get', `sendemail.${NAME}.sendmailCmd`)).toBe(`msmtp -a ${NAME}\n`);
    const accepted = w.smtpTokens.length;
    const r = await runTool('git', ['-C', repo, 'send-email', `--identity=${NAME}`, '--to=bob@example.org', '--confirm=never', '--suppress-cc=all', '-1'], env);
    expect(r.code, r.out).toBe(0);
    const got = w.smtp.messages.at(-1)!;
    expect(got).toMatchObject({ from: USER, to: ['bob@example.org'], user: USER });
    expect(got.raw).toMatch(/^Subject: \[PATCH\] Add a README$/m);
    expect(got.raw).toMatch(/^\+hello$/m);
    expect(w.smtpTokens.slice(accepted)).toEqual([access]);
    proved(`${programVersion('git-send-email')}: sent "[PATCH] Add a README" from a real repository (--identity=${NAME}, ` +
      `sendemail.sendmailCmd = msmtp -a ${NAME}); SMTP AUTH XOAUTH2 with the platform's token`);
  }, 60_000);

  it('s-nail lists the inbox over IMAP and sends over SMTP with the token its account block fetched', async () => {
    // s-nail reads $MAILRC; for root it ignores $HOME (s-nail(1) HOME), so the test names the file setup wrote.
    const sn = { ...env, MAILRC: join(env.HOME, '.mailrc') };
    const checks = w.imapChecks.length;
    const list = await runTool('s-nail', ['-A', NAME, '-H'], sn, { timeoutSec: 30 });
    expect(list.code, list.out).toBe(0);
    for (const s of SUBJECTS) expect(list.stdout).toContain(s);
    expect(imapTokensSince(checks)).toEqual([access]);
    const subject = `s-nail e2e ${Date.now()}`;
    const accepted = w.smtpTokens.length;
    const send = await runTool('s-nail', ['-A', NAME, '-s', subject, 'bob@example.org'], sn, { input: 'Sent by s-nail with a token from mailoauth.\n', timeoutSec: 30 });
    expect(send.code, send.out).toBe(0);
    const got = w.smtp.messages.at(-1)!;
    expect(got).toMatchObject({ from: USER, to: ['bob@example.org'], user: USER });
    expect(got.raw).toContain(`Subject: ${subject}`);
    expect(w.smtpTokens.slice(accepted)).toEqual([access]);
    proved(`${programVersion('s-nail')}: listed ${SUBJECTS.length}/${SEED.length} seeded subjects over IMAP and sent "${subject}" over SMTP ` +
      '(imap-auth/smtp-auth=oauthbearer, sent as XOAUTH2), with the token its account block fetched');
  }, 60_000);

  it('getmail retrieves the seeded messages into its own Maildir, then only new ones', async () => {
    const gm = userEnv(w);
    const setup = await deviceSignIn(w, gm, setupArgs(w, 'gm', 'device', ['--clients', 'getmail', '--store', 'file']));
    expect(setup.code, setup.out).toBe(0);
    const rc = join(gm.XDG_CONFIG_HOME, 'getmail', 'getmailrc-gm');
    expect(readFileSync(rc, 'utf8')).toMatch(/^path = ~\/Mail\/getmail\/gm\/$/m);
    const token = (JSON.parse(readFileSync(join(gm.XDG_CONFIG_HOME, 'mailoauth', 'secrets', 'gm'), 'utf8')) as { accessToken: string }).accessToken;
    const asUser = asMailUser(gm.HOME, [w.root]);
    const getmail = () => runTool(asUser[0] ?? 'getmail', [...asUser.slice(1), ...(asUser.length ? ['getmail'] : []), '--rcfile', 'getmailrc-gm'], gm, { timeoutSec: 60 });
    const inbox = join(gm.HOME, 'Mail', 'getmail', 'gm');

    const checks = w.imapChecks.length;
    const first = await getmail();
    expect(first.code, first.out).toBe(0);
    expect(maildirSubjects(inbox)).toEqual(SUBJECTS);
    await w.dovecot.deliver(USER, { subject: 'Arrived later' });
    const second = await getmail();
    expect(second.code, second.out).toBe(0);
    expect(maildirSubjects(inbox)).toEqual([...SUBJECTS, 'Arrived later'].sort());
    expect(imapTokensSince(checks)).toEqual([token]);
    proved(`${programVersion('getmail')}: retrieved ${SEED.length}/${SEED.length} seeded messages into ~/Mail/getmail/gm (use_xoauth2, ` +
      'password_command), then only the 1 new one on the next run; every login with the platform\'s token');
  }, 120_000);
});
