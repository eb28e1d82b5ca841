/**
 * Journey: servers that offer OAUTHBEARER and no XOAUTH2 (as Yahoo's IMAP documentation shows): a
 * real Dovecot for IMAP and its own submission service for SMTP, both checking every token with the
 * identity platform, accepted mail relayed to a local relay. `mailoauth setup --clients
 * mutt,neomutt,msmtp,aerc,offlineimap` signs in, finds OAUTHBEARER is all the servers offer, records it
 * before writing anything, writes OAUTHBEARER blocks for mutt, msmtp and aerc — and refuses
 * offlineimap (XOAUTH2 only) and neomutt (its OAUTHBEARER refuses tokens over 512 bytes). Each program then logs in (Dovecot's log names the
 * mechanism) with the platform's token. A server offering both still gets XOAUTH2.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer, type LoginService } from '../fixtures/dovecot.js';
import { startIntrospectionStub, type IntrospectionStub } from '../fixtures/introspection-stub.js';
import { startSmtp, type SmtpTestServer } from '../fixtures/smtp.js';
import { until } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';
import {
  SEED, TOOLS, USER, aercInTmux, clientVersion, deviceSignIn, mailoauth, msmtpSend, neomuttBatch, neomuttInTmux, proved, runTool, startWorld,
  storedAccess, userEnv, type UserEnv, type World,
} from './harness.js';
import { programVersion } from './programs.js';

const skip = skipWithout('e2e: OAUTHBEARER-only servers', [...TOOLS, 'mutt', 'aerc', '/usr/lib/dovecot/submission']);
const NAME = 'yahoo-like';
const SUBJECTS = SEED.map((m) => m.subject).sort();

describe.skipIf(skip)('journey: servers offering only OAUTHBEARER get OAUTHBEARER blocks; a program without it is refused', () => {
  let w: World;
  let stub: IntrospectionStub;
  let relay: SmtpTestServer;
  let bearer: DovecotServer;
  let both: DovecotServer;
  let env: UserEnv;
  let access: string;
  let setup: Awaited<ReturnType<typeof deviceSignIn>>;
  /** Every token the OAUTHBEARER-only Dovecot asked the platform about (IMAP and submission). */
  const checks: Array<{ token: string; ok: boolean }> = [];

  beforeAll(async () => {
    w = await startWorld();
    stub = await startIntrospectionStub((t) => w.idp.isValidAccessToken(t)?.upn, (token, user) => checks.push({ token, ok: user !== undefined }));
    relay = await startSmtp({ tls: w.ca, relay: true, validate: () => false });
    const submission = { relayHost: '127.0.0.1', relayPort: relay.port };
    const seed = { [USER]: SEED };
    bearer = await startDovecot({ introspectUrl: stub.url, tls: w.ca, users: [USER], seed, mechanisms: ['oauthbearer'], submission });
    both = await startDovecot({ introspectUrl: stub.url, tls: w.ca, users: [USER], seed, mechanisms: ['xoauth2', 'oauthbearer'], submission });
    env = userEnv(w);
    setup = await deviceSignIn(w, env, args(bearer, NAME, 'mutt,neomutt,msmtp,aerc,offlineimap'));
    access = storedAccess(env, NAME).accessToken;
  }, 120_000);
  afterAll(async () => {
    await bearer?.stop();
    await both?.stop();
    await relay?.stop();
    await stub?.stop();
    await w?.stop();
  });

  function args(d: DovecotServer, name: string, clients: string): string[] {
    return ['setup', '--yes', '--email', USER, '--name', name, '--flow', 'device', '--authority', w.idp.authority(),
      '--clients', clients, '--ca-file', w.ca.caFile,
      '--imap-host', 'localhost', '--imap-port', String(d.imapsPort), '--smtp-host', 'localhost', '--smtp-port', String(d.submissionPort)];
  }
  type Seen = Record<LoginService, number>;
  /** How many logins of USER each service has logged so far. */
  const loginCounts = (d: DovecotServer): Seen => ({
    'imap-login': d.loginMechanisms(USER, 'imap-login').length, 'submission-login': d.loginMechanisms(USER, 'submission-login').length,
  });
  /** The mechanisms of USER's logins to `service` after `from`, once there is one (the log can lag the login). */
  const loginsSeen = (d: DovecotServer, service: LoginService, from: Seen = { 'imap-login': 0, 'submission-login': 0 }) =>
    d.loginsAfter(USER, from[service], { service });
  const accounts = () => JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')) as { accounts: Array<{ name: string; sasl?: unknown }> };
  const tokensSince = (from: number) => [...new Set(checks.slice(from).map((c) => `${c.ok ? '' : 'REJECTED '}${c.token}`))];


  it('setup logs in with OAUTHBEARER, records it before writing, writes mutt, msmtp and aerc, refuses offlineimap and neomutt (exit 2)', async () => {
    expect(setup.code, setup.out).toBe(2);
    expect(setup.stderr).toMatch(/^ok +IMAP login: .*INBOX 3 \/ unseen 2\n {8}AUTH OAUTHBEARER ok; the server offers OAUTHBEARER$/m);
    expect(setup.stderr).toMatch(/^ok +SMTP login: .*\(STARTTLS\): AUTH OAUTHBEARER ok\n {8}the server offers OAUTHBEARER$/m);
    expect(setup.stderr).toMatch(new RegExp(`^Note: ${NAME}'s IMAP logins use OAUTHBEARER from now on`, 'm'));
    expect(setup.stderr).toContain(`offlineimap cannot log in: ${NAME}'s IMAP server (localhost:${bearer.imapsPort}) needs OAUTHBEARER, ` +
      'and offlineimap speaks only XOAUTH2 to IMAP servers. No offlineimap block was written.');
    expect(setup.stderr).toContain(`neomutt cannot log in: ${NAME}'s IMAP server (localhost:${bearer.imapsPort}) needs OAUTHBEARER, ` +
      'and neomutt speaks only XOAUTH2 to IMAP servers');
    expect(setup.stderr).toMatch(/Programs that can: mutt, aerc/);
    expect(setup.stderr).toMatch(/^ {2}offlineimap: not written/m);
    expect(setup.stderr).toMatch(/^ {2}neomutt: not written/m);
    expect(accounts().accounts.find((a) => a.name === NAME)?.sasl).toEqual({ imap: 'oauthbearer', smtp: 'oauthbearer' });
    expect(existsSync(join(env.HOME, '.offlineimaprc'))).toBe(false);
    expect(existsSync(join(env.XDG_CONFIG_HOME, 'neomutt', 'neomuttrc'))).toBe(false);
    const muttrc = readFileSync(join(env.HOME, '.muttrc'), 'utf8');
    expect(muttrc).toContain('set imap_authenticators = "oauthbearer"');
    expect(muttrc).toContain('set smtp_authenticators = "oauthbearer"');
    expect(readFileSync(join(env.HOME, '.msmtprc'), 'utf8')).toMatch(/^auth oauthbearer$/m);
    const aerc = readFileSync(join(env.XDG_CONFIG_HOME, 'aerc', 'accounts.conf'), 'utf8');
    expect(aerc).toContain('source = `imaps+oauthbearer://');
    expect(aerc).toContain('outgoing = `smtp+oauthbearer://');
    // Setup's own checks used OAUTHBEARER too: Dovecot saw nothing else.
    expect(await loginsSeen(bearer, 'imap-login')).toEqual(['OAUTHBEARER']);
    expect(await loginsSeen(bearer, 'submission-login')).toEqual(['OAUTHBEARER']);
  });

  it('mutt lists the inbox over IMAP (in tmux) and sends over submission (batch), both with OAUTHBEARER', async () => {
    const from = loginCounts(bearer);
    const checked = checks.length;
    const { screen, exit } = await neomuttInTmux(env, SUBJECTS, 30_000, 'mutt');
    expect(exit).toBe('0');
    const subject = `mutt oauthbearer ${Date.now()}`;
    const send = await runTool('mutt', ['-s', subject, '--', 'bob@example.org'], { ...env, TERM: 'xterm' }, { input: 'Sent by mutt with OAUTHBEARER.\n', timeoutSec: 30 });
    expect(send.code, send.out).toBe(0);
    const got = await until('the relay to receive mutt\'s message', () => relay.messages.find((m) => m.raw.includes(`Subject: ${subject}`)), 20_000);
    expect(got.to).toEqual(['bob@example.org']);
    expect(await loginsSeen(bearer, 'imap-login', from)).toContain('OAUTHBEARER');
    expect(await loginsSeen(bearer, 'submission-login', from)).toEqual(['OAUTHBEARER']);
    expect(tokensSince(checked)).toEqual([access]);
    proved(`${programVersion('mutt')}: listed ${SUBJECTS.filter((s) => screen.includes(s)).length}/${SEED.length} seeded subjects over IMAP in tmux ` +
      `and sent "${subject}" through the submission service (imap/smtp_authenticators "oauthbearer"): Dovecot logged method=OAUTHBEARER, the platform's token`);
  }, 90_000);

  it('msmtp sends through the submission service with OAUTHBEARER', async () => {
    const from = loginCounts(bearer);
    const checked = checks.length;
    const subject = `msmtp oauthbearer ${Date.now()}`;
    const r = await msmtpSend(env, NAME, { to: 'bob@example.org', subject });
    expect(r.code, r.out).toBe(0);
    const got = await until('the relay to receive msmtp\'s message', () => relay.messages.find((m) => m.raw.includes(`Subject: ${subject}`)), 20_000);
    expect(got).toMatchObject({ from: USER, to: ['bob@example.org'] });
    expect(await loginsSeen(bearer, 'submission-login', from)).toEqual(['OAUTHBEARER']);
    expect(tokensSince(checked)).toEqual([access]);
    proved(`${clientVersion('msmtp')}: sent "${subject}" through Dovecot's submission service (auth oauthbearer, passwordeval): ` +
      'Dovecot logged method=OAUTHBEARER, the platform\'s token; the relay received it');
  }, 60_000);

  it('aerc, in a terminal, lists the inbox and sends, with imaps+oauthbearer and smtp+oauthbearer', async () => {
    const from = loginCounts(bearer);
    const checked = checks.length;
    const subject = `aerc oauthbearer ${Date.now()}`;
    const received = () => relay.messages.find((m) => m.raw.includes(`Subject: ${subject}`));
    const { screen, exit } = await aercInTmux(w, env, { subjects: SUBJECTS, subject, received });
    expect(exit).toBe('0');
    expect(await loginsSeen(bearer, 'imap-login', from)).toContain('OAUTHBEARER');
    expect(await loginsSeen(bearer, 'submission-login', from)).toEqual(['OAUTHBEARER']);
    expect(tokensSince(checked)).toEqual([access]);
    proved(`${programVersion('aerc')}: listed ${SUBJECTS.filter((s) => screen.includes(s)).length}/${SEED.length} seeded subjects (imaps+oauthbearer) ` +
      `and sent "${subject}" (smtp+oauthbearer), in tmux: Dovecot logged method=OAUTHBEARER for both, the platform's token`);
  }, 90_000);

  it('config --write refuses offlineimap with the same words; export warns that imapsync cannot log in', async () => {
    const r = await mailoauth(w, ['config', NAME, '--client', 'offlineimap', '--write'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/offlineimap cannot log in: .*needs OAUTHBEARER, and offlineimap speaks only XOAUTH2 to IMAP servers/);
    expect(existsSync(join(env.HOME, '.offlineimaprc'))).toBe(false);
    const file = join(env.HOME, 'imapsync-token');
    const e = await mailoauth(w, ['export', NAME, '--imapsync', file], env);
    expect(e.code, e.out).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(e.stderr).toMatch(/^warning: imapsync logs in with XOAUTH2 only, and yahoo-like's IMAP server needs OAUTHBEARER/m);
  });

  it('verify keeps proving OAUTHBEARER, and says so when the account records XOAUTH2 for a server without it', async () => {
    const v = await mailoauth(w, ['verify', NAME], env);
    expect(v.code, v.out).toBe(0);
    expect(v.stderr).toMatch(/AUTH OAUTHBEARER ok; the server offers OAUTHBEARER/);
    // The same servers for an account setup recorded as XOAUTH2 (--sasl, no check): verify names the gap and the fix.
    const x = userEnv(w);
    const s = await deviceSignIn(w, x, [...args(bearer, 'forced', 'msmtp'), '--sasl', 'xoauth2', '--no-verify']);
    expect(s.code, s.out).toBe(0);
    const r = await mailoauth(w, ['verify', 'forced'], x);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^FAIL {2}IMAP login: localhost:\d+ \(TLS\): IMAP server localhost:\d+ does not offer XOAUTH2, the SASL mechanism forced's mail-client configs use for IMAP; it offers OAUTHBEARER\./m);
    expect(r.stderr).toMatch(/fix: mailoauth setup --reauth forced --clients PROGRAMS \(without --sasl\)/);
  }, 90_000);

  it('a server offering both XOAUTH2 and OAUTHBEARER still gets XOAUTH2: nothing recorded, XOAUTH2 blocks, XOAUTH2 logins', async () => {
    const x = userEnv(w);
    const from = loginCounts(both);
    const s = await deviceSignIn(w, x, args(both, 'both', 'neomutt,msmtp'));
    expect(s.code, s.out).toBe(0);
    expect(s.stderr).toMatch(/AUTH XOAUTH2 ok; the server offers XOAUTH2 OAUTHBEARER/);
    expect(JSON.parse(readFileSync(join(x.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')).accounts[0].sasl).toBeUndefined();
    expect(readFileSync(join(x.HOME, '.msmtprc'), 'utf8')).toMatch(/^auth xoauth2$/m);
    const n = await neomuttBatch(x);
    expect(n.code, n.out).toBe(0);
    const m = await msmtpSend(x, 'both', { to: 'bob@example.org', subject: 'both offered' });
    expect(m.code, m.out).toBe(0);
    expect([...new Set(await loginsSeen(both, 'imap-login', from))]).toEqual(['XOAUTH2']);
    expect([...new Set(await loginsSeen(both, 'submission-login', from))]).toEqual(['XOAUTH2']);
  }, 90_000);
});
