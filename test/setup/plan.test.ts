import { describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/errors.js';
import type { Account } from '../../src/account.js';
import { THUNDERBIRD_GOOGLE_CLIENT_ID } from '../../src/providers/table.js';
import type { SetupOptions } from '../../src/setup/options.js';
import { planSetup, wantsDetection } from '../../src/setup/plan.js';
import { userError } from '../helpers/user-error.js';
import { decideDetection } from '../../src/providers/detect.js';
import { DOC, T } from '../providers/openid-documents.js';

describe('planSetup: flags → plan', () => {
  const env = {};
  it('defaults for a work address: Thunderbird client, organizations, Microsoft 365 hosts, offline_access', () => {
    const p = planSetup({ email: 'ann@contoso.com', flow: 'device' }, env, 'linux');
    expect(p.account).toMatchObject({
      name: 'ann@contoso.com', provider: 'microsoft365', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753',
      authority: 'https://login.microsoftonline.com/organizations',
      imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
      store: 'keychain',
    });
    expect(p.account.scopes).toEqual(['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access']);
  });
  it('Outlook.com address → consumers tenant and smtp-mail.outlook.com', () => {
    const p = planSetup({ email: 'bob@hotmail.com', flow: 'browser' }, env, 'linux');
    expect(p.account).toMatchObject({ provider: 'outlook.com', authority: 'https://login.microsoftonline.com/consumers', smtp: { host: 'smtp-mail.outlook.com', port: 587 }, redirectUri: 'http://127.0.0.1' });
  });
  it('flags override: name, tenant, authority, hosts, ports (port decides TLS mode)', () => {
    const p = planSetup({ email: 'a@b.example', name: 'work', tenant: 'contoso.onmicrosoft.com', authority: 'https://127.0.0.1:8443/organizations/', imapHost: 'localhost', imapPort: '143', smtpPort: '465', flow: 'paste', store: 'file', verify: false }, env, 'linux');
    expect(p.account).toMatchObject({ name: 'work', tenant: 'contoso.onmicrosoft.com', authority: 'https://127.0.0.1:8443/organizations', imap: { host: 'localhost', port: 143, tls: 'starttls' }, smtp: { port: 465, tls: 'implicit' }, store: 'file', redirectUri: 'https://localhost' });
    expect(p.verify).toBe(false);
  });
  it.each([
    [{}, /Missing --email/],
    [{ email: 'not-an-email' }, /not an email/],
    [{ email: 'a@b.example', clientId: 'thunderbird' }, /not a Microsoft client id/],
    [{ email: 'a@b.example', name: 'bad name' }, /cannot be an account name/],
    [{ email: 'a@b.example', name: '$(rm -rf ~)' }, /cannot be an account name/],
    [{ email: 'a@b.example', name: '-oops' }, /cannot be an account name/],
    [{ email: 'a@b.example', flow: 'carrier-pigeon' }, /Unknown flow/],
    [{ email: 'a@b.example', store: 'cloud' }, /Unknown store/],
    [{ email: 'a@b.example', authority: 'http://login.example/t' }, /not an authority/],
    [{ email: 'a@b.example', authority: 'https://login.example/' }, /not an authority/],
    [{ email: 'a@b.example', imapPort: '99999' }, /port number/],
    [{ email: 'a@b.example', tenant: 'x/../y' }, /not a tenant/],
  ])('%o is refused with exit 2', (o, msg) => {
    let err: unknown;
    try {
      planSetup({ flow: 'device', ...o }, env, 'linux');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(ExitCode.Usage);
    expect((err as UserError).message).toMatch(msg);
  });
});

const OWN_ID = '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com';

describe('planSetup for a Gmail address', () => {
  const plan = (o: SetupOptions, env: NodeJS.ProcessEnv = { DISPLAY: ':0' }, existing?: Account) =>
    planSetup({ email: 'someone@gmail.com', ...o }, env, 'linux', existing);

  it('defaults: browser flow, Thunderbird\'s client, Google\'s endpoints, loopback 127.0.0.1, Gmail hosts', () => {
    const p = plan({});
    expect(p.flow).toBe('browser');
    expect(p.clientSecret).toBeUndefined();
    expect(p.account).toMatchObject({
      provider: 'google', auth: 'oauth2', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, tenant: '', authority: 'https://accounts.google.com',
      oauth2: { authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth', tokenEndpoint: 'https://oauth2.googleapis.com/token' },
      scopes: ['https://mail.google.com/'], redirectUri: 'http://127.0.0.1',
      imap: { host: 'imap.gmail.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.gmail.com', port: 465, tls: 'implicit' },
    });
  });

  it.each([
    ['over SSH, still the browser (Google has no device code for mail)', {}, { SSH_CONNECTION: '1 2 3 4' }, 'browser'],
    ['no display, still the browser', {}, {}, 'browser'],
  ])('%s', (_, o, env, flow) => expect(plan(o, env).flow).toBe(flow));

  it('--authority points both endpoints at one base URL (the local stand-in)', () => {
    const p = plan({ authority: 'https://127.0.0.1:8443/' });
    expect(p.account.authority).toBe('https://127.0.0.1:8443');
    expect(p.account.oauth2).toEqual({ authorizationEndpoint: 'https://127.0.0.1:8443/o/oauth2/v2/auth', tokenEndpoint: 'https://127.0.0.1:8443/token' });
  });

  it('--smtp-port 587 means STARTTLS (also valid for Gmail)', () => {
    expect(plan({ smtpPort: '587' }).account.smtp).toEqual({ host: 'smtp.gmail.com', port: 587, tls: 'starttls' });
  });

  it('own client: its id and the secret from the named environment variable', () => {
    const p = plan({ clientId: OWN_ID, clientSecretEnv: 'GSECRET' }, { GSECRET: 's3cret' });
    expect(p.account.clientId).toBe(OWN_ID);
    expect(p.clientSecret).toBe('s3cret');
    expect(JSON.stringify(p.account)).not.toContain('s3cret');
  });

  it('reauth keeps the stored endpoints and redirect', () => {
    const first = plan({ authority: 'https://127.0.0.1:9000' });
    const existing = { ...first.account, createdAt: '2025-01-01T00:00:00.000Z' } as Account;
    const again = planSetup({ reauth: existing.name }, { DISPLAY: ':0' }, 'linux', existing);
    expect(again.account.oauth2).toEqual(first.account.oauth2);
    expect(again.account.authority).toBe('https://127.0.0.1:9000');
    expect(again.flow).toBe('browser');
  });

  it.each([
    ['--flow device', { flow: 'device' }, {}, /--flow device does not work with Gmail \/ Google Workspace: Google offers no device-code sign-in/, /--flow browser/],
    ['--flow paste', { flow: 'paste' }, {}, /--flow paste does not work with Gmail \/ Google Workspace: Google has blocked the copy\/paste \(out-of-band\)/, /ssh -L 8765:127\.0\.0\.1:8765/],
    ['a Microsoft GUID as client id', { clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753' }, {}, /is not a Gmail \/ Google Workspace OAuth client id/, /Desktop app/],
    ['--tenant', { tenant: 'contoso.com' }, {}, /--tenant does not apply/, /Leave --tenant out/],
    ['an https redirect', { redirectUri: 'https://localhost' }, {}, /needs a loopback redirect/, /http:\/\/127\.0\.0\.1/],
    ["http://localhost with Thunderbird's Google client (registered: 127.0.0.1)", { redirectUri: 'http://localhost' }, {}, /has no redirect URI http:\/\/localhost registered/, /http:\/\/127\.0\.0\.1/],
    ['an http authority', { authority: 'http://127.0.0.1:1' }, {}, /must be https/, /--authority/],
    ['an unset secret variable', { clientId: OWN_ID, clientSecretEnv: 'NOPE' }, {}, /NOPE: that environment variable is empty or not set/, /export NOPE=/],
  ])('%s → usage error (exit 2) with the reason and what works', (_, o, env, msg, fix) => {
    const e = userError(() => plan(o as SetupOptions, env));
    expect(e.exitCode).toBe(ExitCode.Usage);
    expect(e.message).toMatch(msg);
    expect(e.fix).toMatch(fix);
  });

  it('--client-secret-env is refused for Microsoft rows (not supported there yet)', () => {
    const e = userError(() => planSetup({ email: 'ann@contoso.com', clientSecretEnv: 'X' }, { X: 'y' }, 'linux'));
    expect(e.exitCode).toBe(ExitCode.Usage);
  });
});

const env = { DISPLAY: ':0' };
describe('planSetup with clouds, detection and shared mailboxes', () => {
  const gov = decideDetection({ kind: 'hosts', hosts: ['a.mail.protection.office365.us'] }, { kind: 'tenant', doc: DOC.gccHigh! });
  const OWN = '11111111-2222-3333-4444-555555555555';
  it('detection feeds the defaults: GCC High tenant → .us authority, hosts and scopes', () => {
    const p = planSetup({ email: 'ann@agency.example', clientId: OWN }, env, 'linux', undefined, gov);
    expect(p.account).toMatchObject({
      provider: 'microsoft365', cloud: 'usgov', tenant: T, authority: `https://login.microsoftonline.us/${T}`,
      imap: { host: 'outlook.office365.us' }, smtp: { host: 'smtp.office365.us' },
      scopes: ['https://outlook.office365.us/IMAP.AccessAsUser.All', 'https://outlook.office365.us/SMTP.Send', 'offline_access'],
    });
  });
  it('explicit flags override detection: --cloud, --tenant, --authority, hosts', () => {
    const p = planSetup({ email: 'ann@agency.example', cloud: 'public', tenant: 'agency.example' }, env, 'linux', undefined, gov);
    expect(p.account).toMatchObject({ tenant: 'agency.example', authority: 'https://login.microsoftonline.com/agency.example', imap: { host: 'outlook.office365.com' } });
    expect(p.account.cloud).toBeUndefined();
    const q = planSetup({ email: 'ann@agency.example', clientId: OWN, authority: 'https://127.0.0.1:9/organizations', imapHost: 'localhost' }, env, 'linux', undefined, gov);
    expect(q.account).toMatchObject({ cloud: 'usgov', authority: 'https://127.0.0.1:9/organizations', imap: { host: 'localhost' }, smtp: { host: 'smtp.office365.us' } });
  });
  it('--cloud china without detection', () => {
    expect(planSetup({ email: 'li@contoso.cn', cloud: 'china', clientId: OWN }, env, 'linux').account).toMatchObject({
      authority: 'https://login.partner.microsoftonline.cn/organizations', imap: { host: 'partner.outlook.cn', port: 993 }, smtp: { host: 'smtp.partner.outlook.cn', port: 587 },
      scopes: ['https://partner.outlook.cn/IMAP.AccessAsUser.All', 'https://partner.outlook.cn/SMTP.Send', 'offline_access'],
    });
  });
  it.each([
    ['--cloud usgov, no --client-id', { email: 'a@agency.gov', cloud: 'usgov' }, undefined, /US Government GCC High needs your own app registration: Thunderbird's public client, the default for Microsoft 365 \(work or school\), exists only in the worldwide cloud/, /mailoauth doctor --app-help --cloud usgov/],
    ['detected DoD tenant, no --client-id', { email: 'a@army.example' }, decideDetection({ kind: 'hosts', hosts: ['a.mail.protection.office365.us'] }, { kind: 'tenant', doc: DOC.dod! }), /US Government DoD needs your own app/, /--app-help --cloud usgov-dod/],
    ["Thunderbird's id named for 21Vianet", { email: 'li@contoso.cn', cloud: 'china', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753' }, undefined, /registered only in the worldwide Microsoft cloud, not in China \(operated by 21Vianet\): the sign-in would end in AADSTS700016/, /--app-help --cloud china.*--client-id/],
  ])("a sovereign cloud without the user's own app: %s → exit 2 before any request", (_, o, det, msg, fix) => {
    let err: UserError | undefined;
    try {
      planSetup(o, env, 'linux', undefined, det);
    } catch (e) {
      err = e as UserError;
    }
    expect(err).toBeInstanceOf(UserError);
    expect(err!.exitCode).toBe(ExitCode.Usage);
    expect(err!.message).toMatch(msg);
    expect(err!.fix).toMatch(fix);
  });
  it('a consumer domain ignores a detected work tenant of another provider and stays on consumers', () => {
    expect(planSetup({ email: 'bob@outlook.com' }, env, 'linux', undefined, { provider: 'outlook.com', tenant: 'consumers', cloud: 'public', confident: true, evidence: [] }).account)
      .toMatchObject({ provider: 'outlook.com', tenant: 'consumers', authority: 'https://login.microsoftonline.com/consumers', smtp: { host: 'smtp-mail.outlook.com' } });
  });
  it('--mailbox: the login user is the shared mailbox, the delegate signs in, the name defaults to the shared address', () => {
    const p = planSetup({ email: 'bob@contoso.com', mailbox: 'team@contoso.com' }, env, 'linux');
    expect(p.signInUser).toBe('bob@contoso.com');
    expect(p.account).toMatchObject({ name: 'team@contoso.com', email: 'team@contoso.com', delegate: 'bob@contoso.com' });
    // --reauth keeps it shared and signs the delegate in again.
    const again = planSetup({}, env, 'linux', { ...p.account, createdAt: 'x' } as never);
    expect(again.signInUser).toBe('bob@contoso.com');
    expect(again.account).toMatchObject({ email: 'team@contoso.com', delegate: 'bob@contoso.com' });
  });
  it.each([
    [{ email: 'a@contoso.com', mailbox: 'a@contoso.com' }, undefined],
    [{ email: 'bob@outlook.com', mailbox: 'team@outlook.com' }, /no shared mailboxes/],
    [{ email: 'a@contoso.com', mailbox: 'not-an-address' }, /is not an email address/],
    [{ email: 'a@contoso.com', cloud: 'mars' }, /Unknown cloud/],
    [{ email: 'bob@outlook.com', cloud: 'usgov' }, /only in the worldwide cloud/],
  ])('%j', (o, err) => {
    if (err) expect(() => planSetup(o, env, 'linux')).toThrow(err);
    else expect(planSetup(o, env, 'linux').account.delegate).toBeUndefined();
  });
  it('--reauth --provider outlook.com moves the account to the consumer row (tenant, hosts, scopes)', () => {
    const work = planSetup({ email: 'bob@contoso.com' }, env, 'linux').account;
    expect(planSetup({ provider: 'outlook.com' }, env, 'linux', { ...work, createdAt: 'x' } as never).account)
      .toMatchObject({ provider: 'outlook.com', tenant: 'consumers', authority: 'https://login.microsoftonline.com/consumers', smtp: { host: 'smtp-mail.outlook.com' } });
  });
  it.each([
    [{}, true],
    [{ cloud: 'usgov' }, true],
    [{ cloud: 'usgov', tenant: 't.example' }, false],
    [{ cloud: 'public', authority: 'https://x.example/t' }, false],
    [{ provider: 'outlook.com' }, false],
  ])('setup --yes looks the domain up with %j: %s', (o, want) => expect(wantsDetection(o)).toBe(want));
});

describe('planSetup for --provider oidc', () => {
  const base: SetupOptions = { email: 'me@example.org', provider: 'oidc', issuer: 'https://sso.example.org/realms/mail', clientId: 'mailoauth', scope: 'openid email offline_access mail', imapHost: 'mail.example.org', smtpHost: 'mail.example.org', flow: 'device' };
  it('issuer kept for discovery, scopes from --scope, implicit-TLS defaults for the ports', () => {
    expect(planSetup(base, {}, 'linux').account).toMatchObject({
      auth: 'oauth2', provider: 'oidc', clientId: 'mailoauth', tenant: '', authority: 'https://sso.example.org/realms/mail',
      scopes: ['openid', 'email', 'offline_access', 'mail'], oauth2: { issuer: 'https://sso.example.org/realms/mail', authorizationEndpoint: '', tokenEndpoint: '' },
      imap: { host: 'mail.example.org', port: 993, tls: 'implicit' }, smtp: { host: 'mail.example.org', port: 465, tls: 'implicit' },
    });
  });
  it('endpoints given instead of an issuer', () => {
    const p = planSetup({ ...base, issuer: undefined, authorizationEndpoint: 'https://sso.example.org/auth', tokenEndpoint: 'https://sso.example.org/token', deviceAuthorizationEndpoint: 'https://sso.example.org/device' }, {}, 'linux');
    expect(p.account.oauth2).toEqual({ authorizationEndpoint: 'https://sso.example.org/auth', tokenEndpoint: 'https://sso.example.org/token', deviceAuthorizationEndpoint: 'https://sso.example.org/device' });
  });
  it.each<[string, SetupOptions, RegExp]>([
    ['no client id', { ...base, clientId: undefined }, /has no public client mailoauth knows: name yours with --client-id/],
    ['no scope', { ...base, scope: undefined }, /needs the scopes its mail servers accept: --scope/],
    ['no issuer or endpoints', { ...base, issuer: undefined }, /needs to know where to sign in: --issuer URL/],
    ['an http issuer', { ...base, issuer: 'http://sso.example.org' }, /must be https/],
    ['only one endpoint', { ...base, issuer: undefined, tokenEndpoint: 'https://x/token' }, /Give both --authorization-endpoint and --token-endpoint/],
    ['no mail servers', { ...base, imapHost: undefined }, /needs the mail servers: --imap-host and --smtp-host/],
    ['a scope with a quote', { ...base, scope: 'mail "x"' }, /is not a scope/],
    ['--tenant', { ...base, tenant: 'x' }, /--tenant does not apply/],
  ])('%s → exit 2', (_, o, msg) => {
    let err: unknown;
    try {
      planSetup(o, {}, 'linux');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(ExitCode.Usage);
    expect((err as UserError).message).toMatch(msg);
  });
  it('--issuer and --scope do not apply to Microsoft', () => {
    expect(() => planSetup({ email: 'a@contoso.com', issuer: 'https://x', flow: 'device' }, {}, 'linux')).toThrow(/--issuer does not apply to Microsoft 365/);
  });
});
