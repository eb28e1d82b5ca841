/**
 * Journey 1: a user on a fresh machine runs `mailoauth setup --yes --flow device`, approves the code,
 * and then their own mail programs work: offlineimap and mbsync sync the mailbox, neomutt lists it,
 * msmtp sends. Every token is the real mailoauth's, validated by Dovecot (introspection) and by the
 * SMTP server against the identity platform.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import {
  SEED, TOOLS, USER, clientVersion, deviceSignIn, expectManagedConfigs, keychainItem, maildirSubjects, mbsync, mbsyncMaildir, msmtpSend,
  neomuttInTmux, offlineimap, offlineimapMaildir, proved, refreshes, setupArgs, startWorld, storedAccess, storedRefreshToken,
  userEnv, xoauth2Logins, xoauth2LoginsSince, type World,
} from './harness.js';

const skip = skipWithout('e2e: device-code journey', TOOLS);
const NAME = 'work';
const SUBJECTS = SEED.map((m) => m.subject).sort();

describe.skipIf(skip)('journey: device-code setup, then the real clients', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('setup signs in, verifies, stores in the Secret Service, writes 4 configs; offlineimap, mbsync, neomutt and msmtp then work', async () => {
    const env = userEnv(w);
    const setup = await deviceSignIn(w, env, setupArgs(w, NAME, 'device'));
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stderr).toContain(setup.userCode); // the user was shown the code (setup runs without a terminal)
    expect(setup.stdout).toBe('');
    // The check before writing ran against the real servers.
    expect(setup.stderr).not.toMatch(/verification is not built yet/);
    expect(setup.stderr).toMatch(new RegExp(`^ok +IMAP login: localhost:${w.dovecot.imapsPort} \\(TLS\\): .*INBOX 3 / unseen 2$`, 'm'));
    expect(setup.stderr).toMatch(new RegExp(`^ok +SMTP login: localhost:${w.smtp.port} \\(STARTTLS\\): AUTH XOAUTH2 ok$`, 'm'));
    expect(w.smtpTokens.length).toBeGreaterThanOrEqual(1);
    expect(await xoauth2LoginsSince(w.dovecot, 0)).toBe(1);
    expect(w.idp.counts()['token:device_code']).toBeGreaterThanOrEqual(1);

    // The refresh token sits in the Secret Service (read back by another client), and nowhere on disk.
    const rt = storedRefreshToken(env, NAME);
    expect(rt).toBe(w.idp.lastRefreshToken(USER));
    const access = storedAccess(env, NAME).accessToken;
    expect(w.idp.isValidAccessToken(access)?.upn).toBe(USER);

    // The four configs, each running this very mailoauth by absolute path, with neither token in them.
    expectManagedConfigs(env, NAME, [rt!, access]);
    expect(setup.stderr).toMatch(/Summary for work/);
    expect(existsSync(mbsyncMaildir(env, NAME)), 'setup created the Maildir root mbsync needs').toBe(true);
    w.idp.resetCounts();
    /** Dovecot asked the platform about exactly this token since `from`, and the platform vouched for it. */
    const imapTokensSince = (from: number) => [...new Set(w.imapChecks.slice(from).map((c) => `${c.active ? '' : 'REJECTED '}${c.token}`))];

    // offlineimap: one-shot sync of the account the block defines.
    let logins = xoauth2Logins(w.dovecot);
    let checks = w.imapChecks.length;
    const oi = await offlineimap(env, NAME);
    expect(oi.code, oi.out).toBe(0);
    const oiSubjects = maildirSubjects(join(offlineimapMaildir(env, NAME), 'INBOX'));
    expect(oiSubjects).toEqual(SUBJECTS);
    expect(await xoauth2LoginsSince(w.dovecot, logins)).toBeGreaterThan(0);
    expect(imapTokensSince(checks)).toEqual([access]);
    proved(`${clientVersion('offlineimap')}: synced ${oiSubjects.length}/${SEED.length} messages via XOAUTH2 (${xoauth2Logins(w.dovecot) - logins} Dovecot login(s) with mailoauth's token)`);

    // mbsync: everything in ~/.mbsyncrc, into the Maildir root setup created.
    logins = xoauth2Logins(w.dovecot);
    checks = w.imapChecks.length;
    const mb = await mbsync(env);
    expect(mb.code, mb.out).toBe(0);
    const mbSubjects = maildirSubjects(join(mbsyncMaildir(env, NAME), 'INBOX'));
    expect(mbSubjects).toEqual(SUBJECTS);
    expect(await xoauth2LoginsSince(w.dovecot, logins)).toBeGreaterThan(0);
    expect(imapTokensSince(checks)).toEqual([access]);
    proved(`${clientVersion('mbsync')}: synced ${mbSubjects.length}/${SEED.length} messages via XOAUTH2 (${xoauth2Logins(w.dovecot) - logins} Dovecot login(s), PassCmd)`);

    // neomutt in a terminal: the index shows the mailbox.
    logins = xoauth2Logins(w.dovecot);
    checks = w.imapChecks.length;
    const nm = await neomuttInTmux(env, SUBJECTS);
    expect(nm.exit).toBe('0');
    expect(await xoauth2LoginsSince(w.dovecot, logins)).toBe(1);
    expect(imapTokensSince(checks)).toEqual([access]);
    const shown = SUBJECTS.filter((s) => nm.screen.includes(s));
    proved(`${clientVersion('neomutt')}: logged in via XOAUTH2 and listed ${shown.length}/${SEED.length} subjects in the inbox (tmux screen)`);

    // msmtp: a message the SMTP server receives, authenticated with a token the platform issued.
    const subject = `e2e msmtp ${Date.now()}`;
    const accepted = w.smtpTokens.length;
    const ms = await msmtpSend(env, NAME, { to: 'bob@example.org', subject });
    expect(ms.code, ms.out).toBe(0);
    const got = w.smtp.messages.at(-1)!;
    expect(got).toMatchObject({ from: USER, to: ['bob@example.org'], user: USER });
    expect(got.raw).toMatch(new RegExp(`^Subject: ${subject}$`, 'm'));
    expect(w.smtpTokens.length).toBe(accepted + 1);
    const used = w.smtpTokens.at(-1)!;
    expect(w.idp.isValidAccessToken(used)?.upn).toBe(USER);
    expect(used).toBe(access);
    proved(`${clientVersion('msmtp')}: sent "${subject}" from ${got.from} to ${got.to.join(',')}; SMTP AUTH XOAUTH2 with a token the platform issued`);

    // All of it from the token setup stored: not one refresh.
    expect(refreshes(w.idp)).toBe(0);
    expect(keychainItem(env, NAME)).not.toBe('');
    // After setup and four clients, no file in the user's HOME holds either token.
    const everyFile = (readdirSync(env.HOME, { recursive: true }) as string[]).map((f) => join(env.HOME, f)).filter((f) => statSync(f).isFile());
    expect(everyFile.length).toBeGreaterThan(10);
    expect(everyFile.filter((f) => { const t = readFileSync(f, 'latin1'); return t.includes(rt!) || t.includes(access); })).toEqual([]);
  }, 150_000);
});
