/**
 * Journey 4: the refresh token is revoked on the server (password reset, admin action) and the stored
 * access token has expired. `mailoauth token` exits 3 and says to run `mailoauth setup --reauth`;
 * each client, which runs that command for its token, must carry the advice to the user. None of them
 * gets a token, so none may offer Dovecot or the SMTP server anything. Then the advice is followed:
 * `setup --reauth` and the clients work again.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import {
  TOOLS, USER, clientVersion, deviceSignIn, mailoauth, maildirSubjects, mbsync, mbsyncMaildir, msmtpSend, neomuttBatch, offlineimap,
  offlineimapMaildir, proved, refreshes, setupArgs, sleep, startWorld, storedAccess, userEnv, type World,
} from './harness.js';

const skip = skipWithout('e2e: revocation journey', TOOLS);
const NAME = 'rev';
const ADVICE = `mailoauth setup --reauth ${NAME}`;

describe.skipIf(skip)('journey: revoked refresh token', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('token exits 3; offlineimap, mbsync, msmtp and neomutt fail fast pointing at setup --reauth; reauth fixes them', async () => {
    const env = userEnv(w);
    // A 2-second access token, so that it is really expired (not merely inside the margin) below.
    w.idp.setAccessTokenLifetime(2);
    const setup = await deviceSignIn(w, env, setupArgs(w, NAME, 'device', ['--no-verify']));
    expect(setup.code, setup.stderr).toBe(0);
    w.idp.setAccessTokenLifetime(3600);

    w.idp.revokeRefreshTokens(USER); // AADSTS50173 from now on
    const { expiresAt } = storedAccess(env, NAME);
    await sleep(Math.max(0, expiresAt - Date.now()) + 500);
    w.idp.resetCounts();
    const imapFrom = w.imapChecks.length;
    const smtpFrom = w.smtp.authAttempts.length;
    const loginsBefore = w.dovecot.log().split('\n').filter((l) => /Login: |auth failed/.test(l)).length;

    const tok = await mailoauth(w, ['token', NAME], env, 30);
    expect(tok.code, tok.stderr).toBe(3);
    expect(tok.stdout).toBe('');
    expect(tok.stderr).toContain(ADVICE);
    expect(tok.stderr).toMatch(/AADSTS50173/);

    // The clients, at once, each bounded by timeout(1) (mbsync would hang ~180 s on a refused token).
    const [oi, mb, ms, nm] = await Promise.all([
      offlineimap(env, NAME, 45),
      mbsync(env, 45),
      msmtpSend(env, NAME, { to: 'bob@example.org', subject: 'never sent' }, 45),
      neomuttBatch(env, 45),
    ]);
    const results = { offlineimap: oi, mbsync: mb, msmtp: ms, neomutt: nm };
    for (const [client, r] of Object.entries(results)) {
      if (client !== 'neomutt') expect(r.code, `${client}: ${r.out}`).not.toBe(0);
      expect(r.code, `${client} was stopped by timeout(1), it did not fail by itself: ${r.out}`).not.toBe(124);
      expect(r.out, `${client} output`).toContain(ADVICE);
    }
    expect(oi.out, 'offlineimap reports the failed token command as text, not a Python TypeError').toMatch(/mailoauth token failed \(exit status 3\)/);
    expect(oi.out).not.toMatch(/not subscriptable/);
    // No client had a token to offer: no login attempt reached Dovecot or the SMTP server's AUTH.
    expect(w.imapChecks.length - imapFrom).toBe(0);
    expect(w.smtp.authAttempts.length - smtpFrom).toBe(0);
    expect(w.dovecot.log().split('\n').filter((l) => /Login: |auth failed/.test(l)).length).toBe(loginsBefore);
    expect(w.smtp.messages.some((m) => /never sent/.test(m.raw))).toBe(false);
    // Every attempt asked the platform and was refused; none was served a stale token.
    expect(w.idp.requests().filter((q) => q.endpoint === 'token:refresh_token').every((q) => q.status === 400)).toBe(true);

    const firstLine = (out: string) => out.split('\n').find((l) => l.includes(ADVICE))?.trim();
    for (const [client, r] of Object.entries(results)) {
      proved(`${clientVersion(client as keyof typeof results)}: failed in ${r.ms} ms (exit ${r.code}) without contacting the server, showing "${firstLine(r.out)}"`);
    }

    // Following the advice works: sign in again, and the same configs work without being rewritten.
    const reauth = await deviceSignIn(w, env, ['setup', '--reauth', NAME, '--yes', '--flow', 'device']);
    expect(reauth.code, reauth.stderr).toBe(0);
    const after = await offlineimap(env, NAME);
    expect(after.code, after.out).toBe(0);
    expect(maildirSubjects(join(offlineimapMaildir(env, NAME), 'INBOX'))).toHaveLength(3);
    const mb2 = await mbsync(env);
    expect(mb2.code, mb2.out).toBe(0);
    expect(maildirSubjects(join(mbsyncMaildir(env, NAME), 'INBOX'))).toHaveLength(3);
    expect(refreshes(w.idp)).toBeGreaterThan(0);
  }, 150_000);

  it('a tenant that blocks the app: setup (consent required) and doctor (app disabled) end with a paste-ready request for IT', async () => {
    const env = userEnv(w);
    // Sign-in refused: the organization requires an admin's consent (AADSTS65001).
    const r = await deviceSignIn(w, env, ['setup', '--yes', '--email', USER, '--name', 'blocked', '--flow', 'device', '--authority', w.idp.authority('contoso.example'), '--no-verify', '--clients', ''],
      { answer: { deny: { error: 'invalid_grant', code: 65001, description: "The user or administrator has not consented to use the application with ID '9e5f94bc-e8a4-4e73-b8be-63364c29d753'." } } });
    expect(r.code, r.out).toBe(3);
    expect(r.stderr).toMatch(/AADSTS65001/);
    expect(r.stderr).toContain('What to send them (copy from here):');
    const consent = /(https:\/\/\S+\/v2\.0\/adminconsent\?\S+)/.exec(r.stderr)?.[1];
    expect(consent, r.stderr).toBeDefined();
    const u = new URL(consent!);
    expect(u.pathname).toBe('/contoso.example/v2.0/adminconsent');
    expect(u.searchParams.get('client_id')).toBe('9e5f94bc-e8a4-4e73-b8be-63364c29d753');
    expect(u.searchParams.get('scope')).toBe('https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access');
    expect(u.searchParams.get('redirect_uri')).toBe('https://localhost'); // a redirect Thunderbird's app registered
    expect(r.stderr).toContain('mailoauth setup --reauth blocked --client-id <its application id>');
    expect(r.stdout).toBe('');

    // Later the admin disables the app (AADSTS7000112): doctor's token check says so and hands over the request.
    w.idp.setAccessTokenLifetime(2); // so that doctor must refresh
    try {
      const ok = await deviceSignIn(w, env, ['setup', '--yes', '--email', USER, '--name', 'later', '--flow', 'device', '--authority', w.idp.authority(), '--no-verify', '--clients', '']);
      expect(ok.code, ok.out).toBe(0);
      await sleep(Math.max(0, storedAccess(env, 'later').expiresAt - Date.now()) + 200);
      w.idp.addFault({ endpoint: 'token', grantType: 'refresh_token', aadsts: { error: 'unauthorized_client', code: 7000112, description: "Application '9e5f94bc-e8a4-4e73-b8be-63364c29d753'(Mozilla Thunderbird) is disabled." } });
      const doc = await mailoauth(w, ['doctor', 'later'], env, 60);
      expect(doc.code, doc.out).toBe(3);
      expect(doc.stderr).toMatch(/FAIL +token: The app \(client id\) is disabled or not available in this tenant\. \(AADSTS7000112\)/);
      expect(doc.stderr).toMatch(/disabled in our tenant\. In the Microsoft Entra admin center: Enterprise applications/);
      expect(doc.stderr).toContain('What to send them (copy from here):');
    } finally {
      w.idp.clearFaults();
      w.idp.setAccessTokenLifetime(3600);
    }
  }, 120_000);
});
