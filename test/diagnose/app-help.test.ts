import { describe, expect, it } from 'vitest';
import { appRegistrationHelp } from '../../src/diagnose/app-help.js';

describe('app registration help', () => {
  it('names the platform, redirects, public client flows, delegated permissions and the consent URL', () => {
    const t = appRegistrationHelp({ authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555' });
    for (const s of ['Mobile and desktop applications', 'http://localhost', 'http://127.0.0.1', 'Allow public client flows',
      'IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access',
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=11111111-2222-3333-4444-555555555555']) {
      expect(t).toContain(s);
    }
    expect(appRegistrationHelp()).toContain('https://login.microsoftonline.com/TENANT/adminconsent?client_id=CLIENT_ID');
  });

  it('for a Google account: Google Cloud console steps (consent screen, Desktop app client, the Gmail scope, "In production"), nothing of Microsoft\'s', () => {
    const t = appRegistrationHelp({ provider: 'google', email: 'someone@gmail.com', clientId: '123-abc.apps.googleusercontent.com' });
    for (const s of ['Google Cloud console', 'OAuth consent screen', '"Desktop app"', 'https://mail.google.com/', '"In production"', '7 days',
      'mailoauth setup --email someone@gmail.com --client-id 123-abc.apps.googleusercontent.com --client-secret-env MY_GOOGLE_SECRET',
      'End User Access → POP and IMAP access']) {
      expect(t).toContain(s);
    }
    expect(t).not.toMatch(/Entra|Set-CASMailbox|IMAP\.AccessAsUser|adminconsent/);
  });
});
