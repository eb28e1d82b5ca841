import { describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/errors.js';
import type { Account } from '../../src/account.js';
import { THUNDERBIRD_GOOGLE_CLIENT_ID } from '../../src/providers/table.js';
import { planSetup, type SetupOptions } from '../../src/setup/plan.js';
import { userError } from '../helpers/user-error.js';

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
