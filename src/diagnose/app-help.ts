import { adminConsentUrl } from './aadsts.js';

export interface AppHelpContext {
  /** https://HOST/TENANT of the account, when there is one. */
  authority?: string;
  /** The user's own client id, when known (not Thunderbird's). */
  clientId?: string;
  email?: string;
}

/**
 * How to register one's own app for mailoauth (seed 002, adapted to a public client that needs no
 * secret), and the admin-consent URL. Shown by `mailoauth doctor --app-help` and referred to by setup.
 */
export function appRegistrationHelp(c: AppHelpContext = {}): string {
  const authority = c.authority ?? 'https://login.microsoftonline.com/TENANT';
  const consent = adminConsentUrl({ authority, clientId: c.clientId ?? 'CLIENT_ID' });
  const mailbox = c.email ?? 'you@contoso.com';
  return [
    'Register your own app for mailoauth (Microsoft Entra admin center, https://entra.microsoft.com):',
    '',
    '  1. App registrations → New registration. Any name (e.g. "mailoauth"). Supported account types:',
    '     this organization only, or "any organization and personal Microsoft accounts" for Outlook.com too.',
    '  2. Authentication → Add a platform → "Mobile and desktop applications", with the redirect URIs',
    '       http://localhost',
    '       http://127.0.0.1',
    '     (Microsoft ignores the port of a loopback redirect; add https://localhost too for --flow paste).',
    '  3. Authentication → Advanced settings → "Allow public client flows" = Yes (needed for --flow device).',
    '     No client secret is needed: mailoauth is a public client.',
    '  4. API permissions → Add a permission → Microsoft Graph → Delegated permissions:',
    '       IMAP.AccessAsUser.All   (IMAP)',
    '       SMTP.Send               (SMTP)',
    '       offline_access          (the refresh token)',
    '     (POP.AccessAsUser.All only if you use POP.) The tokens are still issued for https://outlook.office.com.',
    '  5. If users may not consent to apps themselves, an admin grants consent for the organization,',
    '     with "Grant admin consent" on the API permissions page or by opening:',
    `       ${consent}`,
    '  6. Copy the "Application (client) ID" and "Directory (tenant) ID" from the Overview page and run:',
    `       mailoauth setup --email ${mailbox} --client-id ${c.clientId ?? 'CLIENT_ID'} --tenant TENANT_ID`,
    '',
    'The mailbox must allow the protocols too (an Exchange admin, in Exchange Online PowerShell):',
    `       Set-CASMailbox -Identity ${mailbox} -ImapEnabled $true -SmtpClientAuthenticationDisabled $false`,
    '',
  ].join('\n');
}
