/**
 * Journey: a personal Outlook.com/Hotmail account. The local platform plays the consumer authority
 * (`/consumers`); setup picks the Outlook.com row by domain (no lookup), signs in there and proves the
 * login against Dovecot. When the mailbox then refuses IMAP (Outlook.com's "Let devices and apps use
 * IMAP" is off), doctor names that switch; a work account at the consumer authority gets AADSTS50020
 * with the way to the work sign-in.
 *
 * A Microsoft account may be named by an address other than the one the user types (an Outlook.com
 * alias, or an account created with another provider's address): the platform's preferred_username
 * is the login IMAP and SMTP accept, so setup takes it and says so. A new Outlook.com mailbox whose
 * SMTP AUTH Microsoft has switched off gets the consumer's wording, not Exchange admin commands.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import { MS_SMTP_AUTH_DISABLED } from '../fixtures/smtp.js';
import { TOOLS, deviceSignIn, mailoauth, startWorld, userEnv, type World } from './harness.js';

const skip = skipWithout('e2e: Outlook.com', TOOLS);
const BOB = 'bob@hotmail.com';
/** A Microsoft account named by another provider's address, with an Outlook.com alias (thunderbird-android#8024). */
const KIM = { signIn: 'kim@example.org', alias: 'kim.w@outlook.com' };

describe.skipIf(skip)('journey: Outlook.com at the consumer authority', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ users: [BOB, KIM.signIn] });
    w.idp.addUser({ upn: KIM.signIn, aliases: [KIM.alias] });
  });
  afterAll(async () => {
    await w?.stop();
  });
  const args = (email: string) => ['setup', '--yes', '--email', email, '--flow', 'device', '--authority', w.idp.authority('consumers'),
    '--clients', 'msmtp', '--ca-file', w.ca.caFile, '--imap-host', 'localhost', '--imap-port', String(w.dovecot.imapsPort),
    '--smtp-host', 'localhost', '--smtp-port', String(w.smtp.port)];

  it('setup signs in at /consumers and verifies; when IMAP is refused, doctor points at the Outlook.com IMAP switch', async () => {
    const env = userEnv(w);
    const setup = await deviceSignIn(w, env, args(BOB), { answer: { as: BOB } });
    expect(setup.code, setup.out).toBe(0);
    expect(setup.stderr).toContain(`Signing in ${BOB} (${w.idp.authority('consumers')}`);
    expect(setup.stderr).toContain('Detected for hotmail.com: hotmail.com is a Outlook.com / Hotmail / Live (personal) domain'); // no lookup
    expect(setup.stderr).toMatch(/^ok +IMAP login: .*INBOX 3 \/ unseen 2$/m);
    expect(w.idp.requests().some((r) => r.path.startsWith('/consumers/oauth2/v2.0/token'))).toBe(true);
    const accounts = JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')) as { accounts: unknown[] };
    expect(accounts.accounts).toMatchObject([{ name: BOB, provider: 'outlook.com', tenant: 'consumers', authority: w.idp.authority('consumers') }]);

    // The mailbox now refuses the (valid) token, as Outlook.com does while IMAP is switched off.
    w.idp.addFault({ endpoint: 'introspect', status: 200, body: '{"active":false}' });
    try {
      const doc = await mailoauth(w, ['doctor', BOB], env);
      expect(doc.code, doc.out).toBe(6);
      expect(doc.stderr).toMatch(/FAIL +IMAP login: .*IMAP access is switched off for this personal account/);
      expect(doc.stderr).toContain('Outlook.com → Settings → Mail → Forwarding and IMAP → turn on "Let devices and apps use IMAP"');
      expect(doc.stderr).not.toContain('Set-CASMailbox -Identity bob@hotmail.com -ImapEnabled'); // no admin for a personal account
    } finally {
      w.idp.clearFaults();
    }
  }, 120_000);

  it("the address typed differs from the account's sign-in name: refused with --yes unless --expect-user names it; then IMAP and SMTP log in with the sign-in name", async () => {
    const env = userEnv(w);
    const refused = await deviceSignIn(w, env, [...args(KIM.alias), '--name', 'kim'], { answer: { as: KIM.alias } });
    expect(refused.code, refused.out).toBe(3);
    expect(refused.stderr).toContain(`Outlook.com / Hotmail / Live (personal) signed you in as ${KIM.signIn}, not ${KIM.alias}: its IMAP and SMTP servers take the signed-in name`);
    expect(refused.stderr).toContain(`add --expect-user ${KIM.signIn}`);
    expect(existsSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'))).toBe(false);
    const setup = await deviceSignIn(w, env, [...args(KIM.alias), '--name', 'kim', '--expect-user', KIM.signIn], { answer: { as: KIM.alias } });
    expect(setup.code, setup.out).toBe(0);
    expect(setup.stderr).toContain(`Signed in as ${KIM.signIn}, as --expect-user said. IMAP and SMTP will log in as ${KIM.signIn}.`);
    expect(setup.stderr).not.toMatch(/Warning: you signed in as/);
    expect(setup.stderr).toMatch(/^ok +IMAP login: .*INBOX 3 \/ unseen 2$/m);
    const accounts = JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')) as { accounts: Array<Record<string, unknown>> };
    expect(accounts.accounts).toMatchObject([{ name: 'kim', email: KIM.signIn, provider: 'outlook.com' }]);
    // Outlook.com's tokens are opaque: nothing to decode, and nothing complains about it.
    const tok = await mailoauth(w, ['token', 'kim'], env);
    expect(tok.stdout.trim()).toMatch(/^EwA/);
    const msmtprc = readFileSync(join(env.HOME, '.msmtprc'), 'utf8');
    expect(msmtprc).toMatch(new RegExp(`^user "${KIM.signIn.replace(/\./g, '\\.')}"$`, 'm'));

    // New Outlook.com mailboxes: SMTP AUTH off for the Mailbox. No Exchange admin to ask, so no Set-CASMailbox.
    w.smtp.setRejectWith(MS_SMTP_AUTH_DISABLED);
    try {
      const v = await mailoauth(w, ['verify', 'kim', '--smtp'], env);
      expect(v.code, v.out).toBe(6);
      expect(v.stderr).toMatch(/Outlook\.com refused SMTP for kim@example\.org: SMTP AUTH is turned off for this personal mailbox/);
      expect(v.stderr).not.toContain('Set-CASMailbox');
    } finally {
      w.smtp.setRejectWith(undefined);
    }
  }, 120_000);

  it('a work account at the consumer authority: AADSTS50020 says to sign in as a work account', async () => {
    const env = userEnv(w);
    const r = await deviceSignIn(w, env, args('carol@hotmail.com'),
      { answer: { deny: { error: 'invalid_request', code: 50020, description: "User account 'carol@fabrikam.example' from identity provider 'live.com' does not exist in tenant 'Microsoft Services'." } } });
    expect(r.code, r.out).toBe(3);
    expect(r.stderr).toMatch(/AADSTS50020/);
    expect(r.stderr).toMatch(/only takes personal Microsoft accounts .*--provider microsoft365 --tenant organizations/);
  }, 90_000);
});
