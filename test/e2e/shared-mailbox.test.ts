/**
 * Journey: a shared mailbox. Alice signs in as herself with `--mailbox team@...`; every login
 * (mailoauth's own verify, mbsync, offlineimap, msmtp) says user=team@... and carries Alice's token.
 * Dovecot accepts it only because the platform says Alice may open team@ (FullAccess, granted with
 * Idp.grantMailbox): the shared mailbox's passdb asks the introspection endpoint with
 * ?mailbox=team@..., as Exchange checks the mailbox permission. Bob, who was granted nothing, is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { skipWithout } from '../helpers/tools.js';
import {
  SEED, TOOLS, USER, clientVersion, deviceSignIn, maildirSubjects, mailoauth, mbsync, mbsyncMaildir, msmtpSend, offlineimap,
  offlineimapMaildir, proved, startWorld, storedAccess, userEnv, xoauth2Logins, xoauth2LoginsSince, type SignedIn, type UserEnv, type World,
} from './harness.js';

const skip = skipWithout('e2e: shared mailbox', TOOLS);
const TEAM = 'team@contoso.example';
const BOB = 'bob@contoso.example';
const SUBJECTS = SEED.map((m) => m.subject).sort();

/** setup --yes --email SIGNER --mailbox TEAM (device flow), approved on the platform as SIGNER. */
function sharedSetup(w: World, env: UserEnv, signer: string, clients: string): Promise<SignedIn> {
  const args = ['setup', '--yes', '--email', signer, '--mailbox', TEAM, '--flow', 'device', '--authority', w.idp.authority(),
    '--clients', clients, '--ca-file', w.ca.caFile, '--imap-host', 'localhost', '--imap-port', String(w.dovecot.imapsPort),
    '--smtp-host', 'localhost', '--smtp-port', String(w.smtp.port)];
  return deviceSignIn(w, env, args, { answer: { as: signer } });
}

const teamLogins = (w: World) => xoauth2Logins(w.dovecot, TEAM);
/** The same, once there are `n` (Dovecot's log can lag a login). */
const teamLoginsReach = (w: World, n: number) => xoauth2LoginsSince(w.dovecot, 0, n, TEAM);

describe.skipIf(skip)('journey: a shared mailbox opened with the delegate\'s token', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ users: [USER, BOB], sharedMailboxes: [TEAM] });
    w.idp.grantMailbox(TEAM, USER);
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('setup --mailbox: verify, token --xoauth2, every client block and real logins use team@ with alice\'s token', async () => {
    const env = userEnv(w);
    const setup = await sharedSetup(w, env, USER, 'mbsync,offlineimap,msmtp');
    expect(setup.code, setup.out).toBe(0);
    expect(setup.stderr).toContain(`Signing in ${USER} for the shared mailbox ${TEAM}`);
    expect(setup.stderr).toMatch(new RegExp(`token user: upn ${USER}, the delegate signed in for the shared mailbox ${TEAM}|access token: .*${USER}`));
    expect(setup.stderr).toMatch(/^ok +IMAP login: .*INBOX 3 \/ unseen 2$/m);
    expect(setup.stderr).toMatch(/^ok +SMTP login: .*AUTH XOAUTH2 ok$/m);
    expect(setup.stderr).toMatch(new RegExp(`Stored the refresh token in the OS keychain as "${TEAM}"`));
    expect(await teamLoginsReach(w, 1)).toBe(1);
    // The token stored is Alice's: the platform issued it to her, not to the shared mailbox.
    const access = storedAccess(env, TEAM).accessToken;
    expect(w.idp.isValidAccessToken(access)?.upn).toBe(USER);

    // token --xoauth2: user= the shared mailbox, auth= Alice's bearer token.
    const x = await mailoauth(w, ['token', TEAM, '--xoauth2'], env);
    expect(x.code, x.stderr).toBe(0);
    expect(Buffer.from(x.stdout.trim(), 'base64').toString()).toBe(`user=${TEAM}\x01auth=Bearer ${access}\x01\x01`);

    // verify, by itself.
    const v = await mailoauth(w, ['verify', TEAM, '--imap'], env);
    expect(v.code, v.out).toBe(0);
    expect(v.stderr).toMatch(/^ok +IMAP login: .*INBOX 3 \/ unseen 2$/m);
    expect(await teamLoginsReach(w, 2)).toBe(2);

    // The written blocks log in as team@.
    expect(readFileSync(join(env.HOME, '.mbsyncrc'), 'utf8')).toMatch(new RegExp(`^User "?${TEAM}"?$`, 'm'));
    expect(readFileSync(join(env.HOME, '.offlineimaprc'), 'utf8')).toMatch(new RegExp(`^remoteuser = "?${TEAM}"?$`, 'm'));
    expect(readFileSync(join(env.HOME, '.msmtprc'), 'utf8')).toMatch(new RegExp(`^user "${TEAM}"$`, 'm'));

    // Real clients into the shared mailbox.
    const mb = await mbsync(env);
    expect(mb.code, mb.out).toBe(0);
    expect(maildirSubjects(join(mbsyncMaildir(env, TEAM), 'INBOX'))).toEqual(SUBJECTS);
    expect(await teamLoginsReach(w, 3)).toBe(3);
    proved(`${clientVersion('mbsync')}: synced the shared mailbox ${TEAM} as user=${TEAM} with ${USER}'s token`);
    const oi = await offlineimap(env, TEAM);
    expect(oi.code, oi.out).toBe(0);
    expect(maildirSubjects(join(offlineimapMaildir(env, TEAM), 'INBOX'))).toEqual(SUBJECTS);
    expect(await teamLoginsReach(w, 4)).toBeGreaterThanOrEqual(4); // all logged before the next test counts
    proved(`${clientVersion('offlineimap')}: synced the shared mailbox ${TEAM} with ${USER}'s token`);
    const ms = await msmtpSend(env, TEAM, { to: 'carol@example.org', subject: 'from the team' });
    expect(ms.code, ms.out).toBe(0);
    expect(w.smtp.messages.at(-1)).toMatchObject({ user: TEAM, to: ['carol@example.org'] });
    // Every IMAP check Dovecot made for team@ was about Alice's token, and the platform vouched for it.
    expect(w.imapChecks.filter((c) => c.active).every((c) => w.idp.isValidAccessToken(c.token)?.upn === USER)).toBe(true);
  }, 180_000);

  it('a user who was not granted the shared mailbox is refused, with the admin command that grants it', async () => {
    const env = userEnv(w);
    const before = teamLogins(w);
    const setup = await sharedSetup(w, env, BOB, 'msmtp');
    expect(setup.code, setup.out).toBe(6);
    expect(setup.stderr).toMatch(new RegExp(`FAIL +IMAP login: .*refused ${BOB}'s token for the shared mailbox ${TEAM}`));
    expect(setup.stderr).toContain(`Add-MailboxPermission -Identity ${TEAM} -User ${BOB} -AccessRights FullAccess`);
    expect(setup.stderr).toMatch(/no mail-client config was written/);
    expect(teamLogins(w)).toBe(before);
    expect(await eventually(() => w.dovecot.authFailuresFor(TEAM), (n) => n >= 1)).toBeGreaterThanOrEqual(1);
    // Bob's token itself is valid (he may open his own mailbox): only the mailbox permission is missing.
    const bobToken = storedAccess(env, TEAM).accessToken;
    expect(w.idp.isValidAccessToken(bobToken)?.upn).toBe(BOB);
    expect(w.idp.mayOpen(BOB, TEAM)).toBe(false);
  }, 120_000);
});
