/**
 * verify, list and doctor end to end: the built CLI against the local identity platform, a real
 * Secret Service, a real Dovecot whose oauth2 passdb asks the platform's introspection endpoint about
 * every token, and the XOAUTH2-checking SMTP server. Refused logins come last (Dovecot trap: failed
 * logins can slow later ones; the launcher turns the penalty off, the order keeps it harmless anyway).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DovecotServer } from '../fixtures/dovecot.js';
import type { Idp } from '../fixtures/idp.js';
import { freePort } from '../fixtures/ports.js';
import { MS_SMTP_AUTH_DISABLED, type SmtpTestServer } from '../fixtures/smtp.js';
import { until, type RunResult } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';
import { USER as ALICE, WORLD_TOOLS, deviceSignIn, startWorld, type World } from './harness.js';

const skip = skipWithout('verify/list/doctor end to end', WORLD_TOOLS);
const BOB = 'bob@contoso.example';

let w: World;
let idp: Idp;
let dovecot: DovecotServer;
let smtp: SmtpTestServer;
let caFile: string;
/** Accepts TCP connections and never says a word: a server that hangs. */
let silent: Server;
let silentPort: number;
const silentSockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  if (skip) return;
  w = await startWorld({ users: [ALICE, BOB] });
  ({ idp, dovecot, smtp } = w);
  caFile = w.ca.caFile;
  silent = createServer((s) => {
    silentSockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of silentSockets) s.destroy();
  silent?.close();
  await w?.stop();
});
beforeEach(() => {
  if (skip) return;
  idp.clearFaults();
  smtp.setRejectWith(undefined);
});

const env = (extra: NodeJS.ProcessEnv = {}) => w.env(extra);
const run = (args: string[], e: NodeJS.ProcessEnv) => w.run(args, e);

/** setup with the device flow, approved on the platform as `signInAs`, pointed at the local servers. */
async function signIn(e: NodeJS.ProcessEnv, name: string, o: { signInAs?: string; extra?: string[]; verify?: boolean; expectCode?: number } = {}) {
  const r = await deviceSignIn(w, e, ['setup', '--yes', '--email', ALICE, '--name', name, '--flow', 'device', '--authority', idp.authority(),
    '--imap-host', 'localhost', '--imap-port', String(dovecot.imapsPort), '--smtp-host', 'localhost', '--smtp-port', String(smtp.port),
    ...(o.verify ? [] : ['--no-verify']), ...(o.signInAs ? ['--expect-user', o.signInAs] : []), ...(o.extra ?? [])], { answer: { as: o.signInAs ?? ALICE } });
  expect(r.code, r.stderr).toBe(o.expectCode ?? 0);
  return r;
}

async function accessToken(e: NodeJS.ProcessEnv, name: string): Promise<string> {
  const r = await run(['token', name], e);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** A diagnosed failure is text for people: no stack trace, no "unexpected error", and never the token. */
function expectDiagnosed(r: RunResult, token: string) {
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr).not.toMatch(/unexpected error/);
  expect(r.stdout + r.stderr).not.toContain(token);
}

describe.skipIf(skip)('verify, list and doctor against Dovecot, the SMTP server and the local identity platform', () => {
  it('verify logs in to IMAP and SMTP and reports the seeded counts; reads only, sends nothing', async () => {
    const e = env();
    await signIn(e, 'work');
    const token = await accessToken(e, 'work');
    const logins = dovecot.loginsFor(ALICE);
    const r = await run(['verify', 'work'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('\x1b'); // no spinner without a terminal
    expect(r.stderr).toMatch(/^ok {4}IMAP login: localhost:\d+ \(TLS\): 1 folder, INBOX 3 \/ unseen 2$/m);
    expect(r.stderr).toMatch(/^ok {4}SMTP login: localhost:\d+ \(STARTTLS\): AUTH XOAUTH2 ok$/m);
    expect(r.stderr).toMatch(/^access token: aud https:\/\/outlook\.office\.com, scp IMAP\.AccessAsUser\.All SMTP\.Send, upn alice@contoso\.example/m);
    expectDiagnosed(r, token);
    await until('the Dovecot login line', () => dovecot.loginsFor(ALICE) > logins);
    expect(smtp.authAttempts.at(-1)).toEqual({ user: ALICE, ok: true });
    expect(smtp.messages).toHaveLength(0);
    // Read-only: still two unseen after the check.
    const again = await run(['verify', 'work', '--imap'], e);
    expect(again.stderr).toMatch(/INBOX 3 \/ unseen 2/);
    expect(again.stderr).not.toMatch(/SMTP login/);
  });

  it('verify --json: the report on stdout', async () => {
    const e = env();
    await signIn(e, 'json');
    const token = await accessToken(e, 'json');
    const r = await run(['verify', 'json', '--json'], e);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      account: 'json', email: ALICE, ok: true,
      token: { format: 'jwt', claims: { aud: 'https://outlook.office.com', user: ALICE, scp: ['IMAP.AccessAsUser.All', 'SMTP.Send'] } },
      imap: { ok: true, host: 'localhost', port: dovecot.imapsPort, tls: 'implicit', folders: ['INBOX'], inbox: { messages: 3, unseen: 2 } },
      smtp: { ok: true, host: 'localhost', port: smtp.port, tls: 'starttls', authenticated: true, sent: null },
    });
    expect(r.stdout).not.toContain(token);
  });

  it('verify --send-test sends exactly one message, from the account', async () => {
    const e = env();
    await signIn(e, 'send');
    const before = smtp.messages.length;
    const r = await run(['verify', 'send', '--send-test', 'carol@example.org'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/test message to carol@example\.org accepted/);
    expect(r.stderr).not.toMatch(/IMAP login/); // --send-test alone checks SMTP only
    expect(smtp.messages.slice(before)).toEqual([expect.objectContaining({ from: ALICE, to: ['carol@example.org'], user: ALICE })]);
  });

  it('SMTP 535 5.7.139 (SMTP AUTH disabled for the mailbox) → exit 6 with the Set-CASMailbox fix', async () => {
    const e = env();
    await signIn(e, 'nosmtp');
    const token = await accessToken(e, 'nosmtp');
    smtp.setRejectWith(MS_SMTP_AUTH_DISABLED);
    const r = await run(['verify', 'nosmtp'], e);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/^ok {4}IMAP login:/m);
    expect(r.stderr).toMatch(/^FAIL {2}SMTP login: localhost:\d+ \(STARTTLS\): SMTP AUTH \(authenticated client submission\) is disabled/m);
    expect(r.stderr).toContain(`server said: ${MS_SMTP_AUTH_DISABLED}`);
    expect(r.stderr).toContain('fix: An Exchange admin runs: Set-CASMailbox -Identity alice@contoso.example -SmtpClientAuthenticationDisabled $false');
    expect(r.stderr).toMatch(/mailoauth: SMTP verification failed for nosmtp/);
    expectDiagnosed(r, token);
  });

  it('network failures → exit 4: nothing listening, a server that never answers, an untrusted certificate', async () => {
    const e = env();
    await signIn(e, 'net');
    const closed = await freePort();
    const refused = await run(['verify', 'net', '--imap', '--imap-port', String(closed)], e);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toMatch(`Nothing accepts connections on localhost:${closed}`);
    expect(refused.stderr).toMatch(/fix: Check the port/);

    const hung = await run(['verify', 'net', '--smtp', '--smtp-port', String(silentPort), '--timeout-ms', '700'], e);
    expect(hung.code, hung.stderr).toBe(4);
    expect(hung.stderr).toMatch(/did not answer within 700 ms/);
    expect(hung.stderr).toMatch(/^ {8}error: no answer from localhost:\d+ within 700 ms$/m);
    expect(hung.ms).toBeLessThan(5_000);

    // The cached token needs no identity platform; without the test CA the IMAP server is a stranger.
    const { NODE_EXTRA_CA_CERTS: _, ...untrusted } = e;
    const tls = await run(['verify', 'net', '--imap'], untrusted);
    expect(tls.code, tls.stderr).toBe(4);
    expect(tls.stderr).toMatch(/certificate of localhost:\d+ is not trusted/);
    expect(tls.stderr).toMatch(/NODE_EXTRA_CA_CERTS/);
  });

  it('list and list --json: expiry from the keychain, refresh-token age and the re-auth date with its 14-day warning', async () => {
    const e = env();
    await signIn(e, 'listed');
    await signIn(e, 'stale');
    // Pretend the second account's refresh token was last used 85 days ago.
    const file = join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    for (const a of data.accounts) if (a.name === 'stale') a.lastRefreshAt = new Date(Date.now() - 85 * 86_400_000).toISOString();
    writeFileSync(file, JSON.stringify(data));

    const r = await run(['list'], e);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+PROVIDER\s+EMAIL\s+ACCESS TOKEN\s+REFRESH TOKEN LAST USED\s+SIGN IN AGAIN BY$/);
    expect(lines.find((l) => l.startsWith('listed '))).toMatch(/microsoft365\s+alice@contoso\.example\s+in (59|60) min\s+today\s+\d{4}-\d\d-\d\d \(in 90 days\)$/);
    expect(lines.find((l) => l.startsWith('stale '))).toMatch(/85 days ago\s+\d{4}-\d\d-\d\d \(in 5 days\) \(soon!\)$/);
    expect(r.stderr).toMatch(/warning: stale must be signed in again by .*unused for 90 days.*mailoauth refresh stale/);

    const j = JSON.parse((await run(['list', '--json'], e)).stdout);
    expect(j).toEqual([
      expect.objectContaining({ account: 'listed', email: ALICE, provider: 'microsoft365', store: 'keychain', tokenState: 'valid', refreshTokenAgeDays: 0, warnings: [] }),
      expect.objectContaining({ account: 'stale', tokenState: 'valid', refreshTokenAgeDays: 85, reauthBasis: 'idle', warnings: [expect.stringMatching(/stale must be signed in again/)] }),
    ]);
    expect(Date.parse(j[0].tokenExpiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('list without a keychain still lists every account, marked "keychain unavailable"', async () => {
    const e = env();
    await signIn(e, 'one');
    await signIn(e, 'two');
    // No memory copy of the tokens either (after a logout or reboot): the keychain is all there is.
    rmSync(join(e.XDG_RUNTIME_DIR!, 'mailoauth'), { recursive: true, force: true });
    const r = await run(['list'], { ...e, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^one .*keychain unavailable/m);
    expect(r.stdout).toMatch(/^two .*keychain unavailable/m);
    expect(r.stderr).toMatch(/keychain did not answer/);
    const j = JSON.parse((await run(['list', '--json'], { ...e, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' })).stdout);
    expect(j.map((x: { account: string; tokenState: string }) => [x.account, x.tokenState])).toEqual([['one', 'keychain-unavailable'], ['two', 'keychain-unavailable']]);
  });

  it('doctor ACCOUNT: every check ok on a working setup', async () => {
    const e = env();
    await signIn(e, 'doc');
    const r = await run(['doctor', 'doc'], e);
    expect(r.code, r.stderr).toBe(0);
    for (const line of [/^ok {4}keychain: Secret Service reachable/m, /^Account doc <alice@contoso\.example>$/m, /^ok {4}account: microsoft365/m,
      /^ok {4}token: cached access token, valid until/m, /^ok {4}token audience: https:\/\/outlook\.office\.com$/m,
      /^ok {4}token scopes: IMAP\.AccessAsUser\.All SMTP\.Send$/m, /^ok {4}token user: upn alice@contoso\.example = login user$/m,
      /^ok {4}token expiry: valid for/m, /^ok {4}IMAP login: localhost:\d+ \(TLS\): 1 folder, INBOX 3 \/ unseen 2$/m,
      /^ok {4}SMTP login: .*AUTH XOAUTH2 ok$/m, /^Mail clients$/m,
      // The installed programs, each with the version it printed (their version checks run at the same time).
      /^ok {4}offlineimap: offlineimap \d+\.\d+/m, /^ok {4}mbsync: mbsync \d+\.\d+\.\d+; Cyrus SASL XOAUTH2 plugin found$/m,
      /^ok {4}neomutt: neomutt \d{8}$/m, /^ok {4}msmtp: msmtp \d+\.\d+\.\d+$/m]) {
      expect(r.stderr).toMatch(line);
    }
    expect(r.stderr).not.toMatch(/^FAIL/m);
  });

  it('doctor: an unknown account (exit 2), a missing keychain (exit 5), --app-help', async () => {
    const e = env();
    await signIn(e, 'known');
    const unknown = await run(['doctor', 'nosuch'], e);
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(unknown.stderr).toMatch(/^FAIL {2}account: No account named "nosuch"\. Known accounts: known\./m);

    const nokeychain = await run(['doctor', 'known'], { ...e, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    expect(nokeychain.code, nokeychain.stderr).toBe(5);
    expect(nokeychain.stderr).toMatch(/^FAIL {2}keychain: The OS keychain is not available/m);
    expect(nokeychain.stderr).toMatch(/--store file/);

    const help = await run(['doctor', '--app-help'], e);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stderr).toMatch(/Allow public client flows/);
    expect(help.stderr).toMatch(/adminconsent\?client_id=CLIENT_ID/);
  });

  // ---- refused logins last ----------------------------------------------------------------

  it('setup verifies IMAP and SMTP with the new token before writing the chosen client configs', async () => {
    const e = env();
    const r = await signIn(e, 'checked', { verify: true, extra: ['--clients', 'mbsync,msmtp', '--ca-file', caFile] });
    expect(r.stderr).toMatch(/IMAP/);
    expect(r.stderr).toMatch(/ok +IMAP login: .*INBOX 3 \/ unseen 2/);
    expect(r.stderr).toMatch(/ok +SMTP login: .*AUTH XOAUTH2 ok/);
    expect(r.stderr).toMatch(/mbsync: wrote .*\.mbsyncrc/);
    expect(r.stderr).toMatch(/msmtp: wrote /);
  });

  it('a token for another user (signed in as bob, mailbox alice) → exit 6, diagnosed, not a stack trace', async () => {
    const e = env();
    await signIn(e, 'wrong', { signInAs: BOB });
    const token = await accessToken(e, 'wrong');
    const failures = dovecot.authFailuresFor(ALICE);
    const r = await run(['verify', 'wrong'], e);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/^warn  token user: upn bob@contoso\.example, but the login user is alice@contoso\.example/m);
    expect(r.stderr).toMatch(/^FAIL {2}IMAP login: localhost:\d+ \(TLS\): The token belongs to bob@contoso\.example, but the login user is alice@contoso\.example/m);
    expect(r.stderr).toMatch(/server said: NO \[AUTHENTICATIONFAILED\] Authentication failed\./);
    expect(r.stderr).toMatch(/token: aud https:\/\/outlook\.office\.com, scp IMAP\.AccessAsUser\.All SMTP\.Send, upn bob@contoso\.example/);
    expect(r.stderr).toContain('fix: Sign in again as alice@contoso.example: mailoauth setup --reauth wrong');
    expect(r.stderr).toMatch(/^FAIL {2}SMTP login: .*The token belongs to bob/m);
    expect(r.stderr).toMatch(/server said: 535 5\.7\.3 Authentication unsuccessful/);
    expectDiagnosed(r, token);
    await until('the failed login in the Dovecot log', () => dovecot.authFailuresFor(ALICE) > failures);

    const doc = await run(['doctor', 'wrong'], e);
    expect(doc.code, doc.stderr).toBe(6);
    expect(doc.stderr).toMatch(/^warn  token user: upn bob/m);
    expect(doc.stderr).toMatch(/^FAIL {2}IMAP login:/m);
    expectDiagnosed(doc, token);
  });

  it('a token the platform no longer accepts (revoked) → exit 6 with the ImapEnabled fix', async () => {
    const e = env();
    await signIn(e, 'revoked');
    const token = await accessToken(e, 'revoked');
    // The platform now answers "inactive" for every token, as after a revocation.
    idp.addFault({ endpoint: 'introspect', status: 200, body: '{"active":false}', contentType: 'application/json' });
    const r = await run(['verify', 'revoked', '--imap'], e);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/^FAIL {2}IMAP login: localhost:\d+ \(TLS\): The IMAP server refused the token for alice@contoso\.example, although its audience, scopes and user look right/m);
    expect(r.stderr).toMatch(/server said: NO \[AUTHENTICATIONFAILED\] Authentication failed\./);
    expect(r.stderr).toContain('fix: An Exchange admin enables IMAP for the mailbox: Set-CASMailbox -Identity alice@contoso.example -ImapEnabled $true; if it is enabled, sign in again: mailoauth setup --reauth revoked');
    expect(r.stderr).toMatch(/mailoauth: IMAP verification failed for revoked/);
    expectDiagnosed(r, token);
  });

  it('a forged token (bad signature, claims fine) → exit 6 from IMAP and SMTP', async () => {
    const e = env();
    await signIn(e, 'forged', { extra: ['--store', 'file'] });
    const file = join(e.XDG_CONFIG_HOME, 'mailoauth', 'secrets', 'forged');
    const rec = JSON.parse(readFileSync(file, 'utf8'));
    const [h, p] = (rec.accessToken as string).split('.');
    rec.accessToken = `${h}.${p}.${Buffer.from('not the platform signature').toString('base64url')}`;
    writeFileSync(file, JSON.stringify(rec));
    rmSync(join(e.XDG_RUNTIME_DIR!, 'mailoauth'), { recursive: true, force: true }); // and its memory copy, as a reboot would
    const r = await run(['verify', 'forged', '--json'], e);
    expect(r.code, r.stderr).toBe(6);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    expect(j.imap.diagnosis).toMatchObject({ id: 'imap-auth-failed', exit: 6, said: 'NO [AUTHENTICATIONFAILED] Authentication failed.' });
    expect(j.smtp.diagnosis).toMatchObject({ id: 'smtp-5.7.3', exit: 6, said: '535 5.7.3 Authentication unsuccessful' });
    expect(j.smtp.diagnosis.fix).toContain('Set-CASMailbox -Identity alice@contoso.example -SmtpClientAuthenticationDisabled $false');
    expect(r.stderr).toMatch(/IMAP and SMTP verification failed for forged \(details in the JSON report\)/);
    expectDiagnosed(r, rec.accessToken);
  });

  it('setup whose IMAP login is refused (signed in as bob for alice) stops with exit 6 and writes no config', async () => {
    const e = env();
    const r = await signIn(e, 'refused', { verify: true, signInAs: BOB, expectCode: 6, extra: ['--clients', 'mbsync', '--ca-file', caFile] });
    expect(r.stderr).toMatch(/no mail-client config was written/);
    expect(r.stderr).toMatch(/mailoauth verify refused/);
    expect(() => readFileSync(join(e.HOME, '.mbsyncrc'))).toThrow();
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
