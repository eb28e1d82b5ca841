import { describe, expect, it } from 'vitest';
import { planSetup } from '../../src/setup/plan.js';
import { ExitCode, UserError } from '../../src/errors.js';

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
