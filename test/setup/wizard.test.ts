import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { planSetup } from '../../src/setup/plan.js';
import { askSetup } from '../../src/setup/wizard.js';
import type { Deps } from '../../src/deps.js';
import type { DetectIo, OpenidDocument } from '../../src/providers/detect-io.js';
import { classifyMx, detectProvider } from '../../src/providers/detect.js';
import { THUNDERBIRD_GOOGLE_CLIENT_ID } from '../../src/providers/table.js';
import { inTurn, scriptedPrompter } from '../helpers/scripted-prompter.js';
import { tuningFrom } from '../../src/tuning.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const TB = '9e5f94bc-e8a4-4e73-b8be-63364c29d753';
const OWN = '11111111-2222-3333-4444-555555555555';
const GOOGLE_OWN = '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com';
const doc = (extra: Partial<OpenidDocument> = {}): OpenidDocument => ({ issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, cloud_instance_name: 'microsoftonline.com', ...extra });

/** Recorded answers: what DNS and the OpenID endpoint said for these domains. */
const recorded: DetectIo = {
  async mx(domain) {
    const table: Record<string, string[]> = {
      'contoso.com': ['contoso-com.mail.protection.outlook.com'],
      'fabrikam.com': ['fabrikam-com.c-v1.mx.microsoft'],
      'gmail-hosted.example': ['aspmx.l.google.com'],
      'both.example': ['smtp.google.com'],
      'agency.example': ['agency-example.mail.protection.office365.us'],
    };
    if (domain === 'offline.example') throw Object.assign(new Error('queryMx ETIMEOUT offline.example'), { code: 'ETIMEOUT' });
    return table[domain] ?? [];
  },
  async openid(_host, domain) {
    if (domain === 'contoso.com' || domain === 'fabrikam.com' || domain === 'both.example') return doc();
    if (domain === 'agency.example') return doc({ issuer: `https://login.microsoftonline.us/${TENANT}/v2.0`, cloud_instance_name: 'microsoftonline.us', tenant_region_scope: 'USGov', tenant_region_sub_scope: 'DODCON' });
    if (domain === 'offline.example') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return undefined;
  },
};

function deps(answers: Record<string, unknown>, env: NodeJS.ProcessEnv = { DISPLAY: ':0' }) {
  const prompt = scriptedPrompter(answers);
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (b: Buffer) => (text += b.toString()));
  const d: Deps = {
    stdout: new PassThrough(), stderr, stdin: () => new PassThrough(), canPrompt: true, env, tuning: tuningFrom(env), now: () => 0,
    selfPath: '/usr/bin/mailoauth', debug: false, prompt, detectIo: recorded,
  };
  return { d, prompt, stderr: () => text };
}
const installed = () => ['mbsync', 'neomutt', 'msmtp'];

describe('askSetup: one plan from what was found, accepted or changed', () => {
  it('work domain: the address, then the plan (detected tenant, Thunderbird app, browser, installed clients), accepted at once', async () => {
    const { d, prompt, stderr } = deps({ email: 'ann@contoso.com', plan: 'accept' });
    const o = await askSetup(d, {}, installed);
    expect(prompt.asked).toEqual(['email', 'plan']);
    expect(o).toMatchObject({ email: 'ann@contoso.com', provider: 'microsoft365', tenant: TENANT, clientId: TB, flow: 'browser', clients: 'mbsync,neomutt,msmtp' });
    expect(o.mailbox).toBeUndefined();
    const shown = stderr();
    expect(shown).toMatch(/Plan for ann@contoso\.com \(found: MX contoso-com\.mail\.protection\.outlook\.com → microsoft365; Microsoft tenant 72f988bf/);
    expect(shown).toMatch(/^ {2}provider +Microsoft 365 \(work or school\)$/m);
    expect(shown).toMatch(/^ {2}cloud +Worldwide/m);
    expect(shown).toMatch(new RegExp(`^ {2}tenant +${TENANT}$`, 'm'));
    expect(shown).toMatch(new RegExp(`^ {2}app +Thunderbird's public client \\(${TB}\\)$`, 'm'));
    expect(shown).toMatch(/^ {2}sign-in +browser on this machine/m);
    expect(shown).toMatch(/^ {2}clients +mbsync, neomutt, msmtp$/m);
    expect((prompt.seen.plan as { choices: Array<{ value: string }> }).choices.map((c) => c.value)).toEqual(['accept', 'provider', 'cloud', 'tenant', 'app', 'flow', 'clients', 'mailbox']);
    expect(planSetup(o, d.env, 'linux').account.clientId).toBe(TB);
  });

  it('the proposed sign-in follows the session: device code over SSH, browser with a display', async () => {
    const ssh = deps({ email: 'ann@contoso.com', plan: 'accept' }, { SSH_CONNECTION: '1 2 3 4' });
    expect((await askSetup(ssh.d, {}, installed)).flow).toBe('device');
    const desk = deps({ email: 'ann@contoso.com', plan: 'accept' }, { DISPLAY: ':0' });
    expect((await askSetup(desk.d, {}, installed)).flow).toBe('browser');
  });

  it('a consumer domain: Outlook.com at consumers, no lookup, no cloud or shared-mailbox choice', async () => {
    const { d, prompt, stderr } = deps({ plan: 'accept' });
    const o = await askSetup(d, { email: 'bob@hotmail.co.jp' }, installed);
    expect(prompt.asked).toEqual(['plan']);
    expect(o).toMatchObject({ provider: 'outlook.com', tenant: 'consumers', clientId: TB });
    expect(stderr()).toMatch(/hotmail\.co\.jp is a Outlook\.com \/ Hotmail \/ Live \(personal\) domain/);
    expect((prompt.seen.plan as { choices: Array<{ value: string }> }).choices.map((c) => c.value)).not.toContain('mailbox');
  });

  it('offline: says it could not look (not "not found"), proposes the organizations tenant', async () => {
    const { d, prompt, stderr } = deps({ plan: 'accept' });
    const o = await askSetup(d, { email: 'c@offline.example' }, installed);
    expect(prompt.asked).toEqual(['plan']);
    expect(o).toMatchObject({ provider: 'microsoft365', tenant: 'organizations' });
    expect(stderr()).toMatch(/could not look up MX \(ETIMEOUT\); could not look up a Microsoft tenant \(ECONNREFUSED\); offline\? nothing could be looked up/);
    expect(stderr()).not.toMatch(/no Microsoft tenant for this domain/);
  });

  it('Google MX and a Microsoft tenant: both shown, the user says where the mailbox is (Google preselected)', async () => {
    const { d, prompt, stderr } = deps({ provider: 'google', plan: 'accept' });
    const o = await askSetup(d, { email: 'dev@both.example' }, installed);
    expect(prompt.asked).toEqual(['provider', 'plan']);
    const q = prompt.seen.provider as { default: string; choices: Array<{ value: string }>; message: string };
    expect(q.choices.map((c) => c.value)).toEqual(['google', 'microsoft365']);
    expect(q.default).toBe('google');
    expect(q.message).toMatch(/has mail at Gmail \/ Google Workspace and a Microsoft tenant/);
    expect(stderr()).toMatch(/MX smtp\.google\.com → google; Microsoft tenant 72f988bf.*mail is delivered to Gmail \/ Google Workspace \(MX\)/);
    expect(o).toMatchObject({ provider: 'google', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, flow: 'browser', tenant: undefined });
    const ms = deps({ provider: 'microsoft365', plan: 'accept' });
    expect(await askSetup(ms.d, { email: 'dev@both.example' }, installed)).toMatchObject({ provider: 'microsoft365', tenant: TENANT });
  });

  it('a detected sovereign cloud goes straight to the own-app question (no public client there)', async () => {
    const { d, prompt, stderr } = deps({ clientId: OWN, plan: 'accept' });
    const o = await askSetup(d, { email: 'ann@agency.example' }, installed);
    expect(prompt.asked).toEqual(['clientId', 'plan']);
    expect(o).toMatchObject({ cloud: 'usgov', tenant: TENANT, clientId: OWN });
    expect(stderr()).toMatch(/has no public client for mail: sign in with your own app registration/);
    expect(stderr()).toContain('mailoauth doctor --app-help --cloud usgov');
    expect(stderr()).toContain(`https://login.microsoftonline.us/${TENANT}/adminconsent?client_id=${OWN}`);
    expect(planSetup(o, d.env, 'linux').account.authority).toBe(`https://login.microsoftonline.us/${TENANT}`);
  });

  it('change the app: own registration, its requirements and admin-consent URL, then accept', async () => {
    const { d, prompt, stderr } = deps({ email: 'ann@contoso.com', plan: inTurn('app', 'accept'), app: true, clientId: OWN });
    const o = await askSetup(d, {}, installed);
    expect(prompt.asked).toEqual(['email', 'plan', 'app', 'clientId', 'plan']);
    expect(o.clientId).toBe(OWN);
    expect(stderr()).toMatch(/IMAP\.AccessAsUser\.All, SMTP\.Send, offline_access/);
    expect(stderr()).toContain(`https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${OWN}`);
    expect(stderr()).toMatch(new RegExp(`app +your own app ${OWN}`));
  });

  it('the shared-mailbox question comes only when asked for', async () => {
    const { d, prompt } = deps({ email: 'bob@contoso.com', plan: inTurn('mailbox', 'accept'), mailbox: 'team@contoso.com' });
    const o = await askSetup(d, {}, installed);
    expect(prompt.asked).toEqual(['email', 'plan', 'mailbox', 'plan']);
    expect(o).toMatchObject({ email: 'bob@contoso.com', mailbox: 'team@contoso.com' });
  });

  it('change sign-in, clients, cloud: each shown again; an impossible plan is said and not accepted', async () => {
    const { d, prompt, stderr } = deps({
      email: 'ann@contoso.com', plan: inTurn('flow', 'clients', 'tenant', 'accept', 'tenant', 'accept'), flow: 'paste', clients: ['msmtp'],
      tenant: inTurn('x/../y', 'contoso.com'),
    });
    const o = await askSetup(d, {}, installed);
    expect(prompt.asked).toEqual(['email', 'plan', 'flow', 'plan', 'clients', 'plan', 'tenant', 'plan', 'plan', 'tenant', 'plan']);
    expect(o).toMatchObject({ flow: 'paste', clients: 'msmtp', tenant: 'contoso.com' });
    expect(stderr()).toMatch(/That plan cannot work: "x\/\.\.\/y" is not a tenant/);
  });

  it("Gmail: Thunderbird's client, browser only (no flow to change), no tenant", async () => {
    const { d, prompt, stderr } = deps({ plan: 'accept' }, { SSH_CONNECTION: '1 2 3 4' });
    const o = await askSetup(d, { email: 'someone@gmail.com' }, installed);
    expect(prompt.asked).toEqual(['plan']);
    expect(o).toMatchObject({ provider: 'google', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, flow: 'browser', tenant: undefined });
    expect((prompt.seen.plan as { choices: Array<{ value: string }> }).choices.map((c) => c.value)).toEqual(['accept', 'provider', 'app', 'clients']);
    expect(stderr()).toMatch(/sign-in +browser on this machine \(it comes back to a port on 127\.0\.0\.1\)/);
    expect(planSetup(o, d.env, 'linux').flow).toBe('browser');
  });

  it("Gmail, own client: the id (validated), the secret's variable (must be set) and the 7-day note", async () => {
    const { d, prompt, stderr } = deps({ plan: inTurn('app', 'accept'), app: true, clientId: GOOGLE_OWN, clientSecretEnv: 'GSECRET' }, { GSECRET: 'x' });
    const o = await askSetup(d, { email: 'someone@gmail.com' }, installed);
    expect(prompt.asked).toEqual(['plan', 'app', 'clientId', 'clientSecretEnv', 'plan']);
    expect(o).toMatchObject({ clientId: GOOGLE_OWN, clientSecretEnv: 'GSECRET' });
    expect(stderr()).toMatch(/"Desktop app"/);
    expect(stderr()).toMatch(/7 days/);
    const bad = deps({ plan: 'app', app: true, clientId: TB });
    await expect(askSetup(bad.d, { email: 'someone@gmail.com' }, installed)).rejects.toThrow(/Not a Gmail \/ Google Workspace client id/);
  });

  it('a typed answer is validated like the flag would be', async () => {
    const { d } = deps({ email: 'not an email' });
    await expect(askSetup(d, {}, installed)).rejects.toThrow(/rejected: "not an email" is not an email address/);
    const bad = deps({ plan: 'app', app: true, clientId: 'thunderbird' });
    await expect(askSetup(bad.d, { email: 'ann@contoso.com' }, installed)).rejects.toThrow(/not a Microsoft client id/);
  });

  it('every answer given by flags: the plan is still shown once to accept, nothing looked up', async () => {
    const { d, prompt } = deps({ plan: 'accept' });
    const o = await askSetup(d, { email: 'a@b.example', provider: 'microsoft365', tenant: 't.example', clientId: TB, flow: 'paste', clients: '' }, installed);
    expect(prompt.asked).toEqual(['plan']);
    expect(o).toMatchObject({ flow: 'paste', clients: '', tenant: 't.example' });
  });
});

describe('provider detection', () => {
  it.each([
    [['contoso-com.mail.protection.outlook.com'], 'microsoft365'],
    [['fabrikam-com.c-v1.mx.microsoft.'], 'microsoft365'],
    [['aspmx.l.google.com'], 'google'],
    [['hotmail-com.olc.protection.outlook.com'], 'outlook.com'],
    [['mx1.example.net'], undefined],
    [[], undefined],
  ])('MX %j → %s', (mx, want) => expect(classifyMx(mx)).toBe(want));

  it.each([
    ['x@contoso.com', { provider: 'microsoft365', tenant: TENANT, cloud: 'public' }],
    ['x@fabrikam.com', { provider: 'microsoft365', tenant: TENANT }],
    ['x@gmail-hosted.example', { provider: 'google', tenant: undefined }],
    ['x@live.com', { provider: 'outlook.com', tenant: 'consumers' }],
    ['x@offline.example', { provider: 'microsoft365', tenant: undefined, confident: false }],
  ])('%s', async (email, want) => {
    expect(await detectProvider(email, 'https://login.microsoftonline.com', recorded)).toMatchObject(want);
  });
});

describe('askSetup: another OpenID Connect / OAuth2 provider', () => {
  it('asks only what discovery cannot find: issuer, scopes, mail servers, its client (secret optional)', async () => {
    const { d, prompt, stderr } = deps({
      plan: inTurn('provider', 'accept'), provider: 'oidc',
      issuer: 'https://sso.example.org/realms/mail', scope: 'openid email offline_access mail',
      imapHost: 'mail.example.org', imapPort: '993', smtpHost: 'mail.example.org', smtpPort: '465',
      clientId: 'mailoauth', clientSecretEnv: '',
    }, { SSH_CONNECTION: '1 2 3 4' });
    const o = await askSetup(d, { email: 'me@selfhosted.example' }, installed);
    expect(prompt.asked).toEqual(['plan', 'provider', 'issuer', 'scope', 'imapHost', 'imapPort', 'smtpHost', 'smtpPort', 'clientId', 'clientSecretEnv', 'plan']);
    expect(o).toMatchObject({ provider: 'oidc', issuer: 'https://sso.example.org/realms/mail', scope: 'openid email offline_access mail',
      imapHost: 'mail.example.org', smtpHost: 'mail.example.org', clientId: 'mailoauth', flow: 'device', tenant: undefined });
    expect(o.clientSecretEnv).toBeUndefined();
    expect(stderr()).toMatch(/public \("native"\) client with the redirect http:\/\/127\.0\.0\.1/);
    expect(stderr()).toMatch(/issuer +https:\/\/sso\.example\.org\/realms\/mail/);
    expect(stderr()).toMatch(/servers +IMAP mail\.example\.org:993, SMTP mail\.example\.org:465/);
    const plan = planSetup(o, d.env, 'linux');
    expect(plan.account).toMatchObject({ provider: 'oidc', auth: 'oauth2', clientId: 'mailoauth', scopes: ['openid', 'email', 'offline_access', 'mail'],
      oauth2: { issuer: 'https://sso.example.org/realms/mail' }, imap: { host: 'mail.example.org', port: 993, tls: 'implicit' } });
  });
});
