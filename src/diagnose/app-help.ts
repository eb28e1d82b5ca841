import { CLOUDS, cloudById, type CloudId } from '../providers/clouds.js';
import { GMAIL_SCOPE } from '../providers/table.js';
import { adminConsentUrl } from './aadsts.js';

export interface AppHelpContext {
  /** https://HOST/TENANT of the account, when there is one. */
  authority?: string;
  /** The user's own client id, when known (not Thunderbird's). */
  clientId?: string;
  email?: string;
  /** Provider row id: google gets Google Cloud's steps, anything else Microsoft's. */
  provider?: string;
  /** The Microsoft cloud to register in: an app exists only in the cloud it was registered in. */
  cloud?: CloudId;
}

/**
 * How to register one's own app for mailoauth (seed 002, adapted to a public client that needs no
 * secret), and the admin-consent URL. Shown by `mailoauth doctor --app-help` and referred to by setup.
 */
export function appRegistrationHelp(c: AppHelpContext = {}): string {
  if (c.provider === 'google') return googleClientHelp(c);
  const cloud = cloudById(c.cloud ?? 'public') ?? CLOUDS[0]!;
  const authority = c.authority ?? `${cloud.authorityHost}/TENANT`;
  const consent = adminConsentUrl({ authority, clientId: c.clientId ?? 'CLIENT_ID' });
  const mailbox = c.email ?? 'you@contoso.com';
  const where = cloud.id === 'public' ? '' : ` in the ${cloud.label} cloud (an app registered in the worldwide cloud does not exist there)`;
  return [
    `Register your own app for mailoauth${where}: Microsoft Entra admin center, ${cloud.portal.entra}`,
    `(or the Azure portal, ${cloud.portal.azure} → Microsoft Entra ID):`,
    '',
    '  1. App registrations → New registration. Any name (e.g. "mailoauth"). Supported account types:',
    '     this organization only, or "any organization and personal Microsoft accounts" for Outlook.com too.',
    '  2. Authentication → Add a platform → "Mobile and desktop applications", with the redirect URIs',
    '       http://127.0.0.1      (--flow browser; Microsoft ignores the port of a loopback redirect)',
    '       https://localhost     (--flow paste)',
    '     If the portal does not take http://127.0.0.1, add it in the Manifest (replyUrlsWithType, type InstalledClient).',
    '     (http://localhost works too if you register it and pass --redirect-uri http://localhost.)',
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
    `       mailoauth setup --email ${mailbox} --client-id ${c.clientId ?? 'CLIENT_ID'} --tenant TENANT_ID${cloud.id === 'public' ? '' : ` --cloud ${cloud.id}`}`,
    '',
    'The mailbox must allow the protocols too (an Exchange admin, in Exchange Online PowerShell):',
    `       Set-CASMailbox -Identity ${mailbox} -ImapEnabled $true -SmtpClientAuthenticationDisabled $false`,
    '',
  ].join('\n');
}

/**
 * How to make one's own Google OAuth client for mailoauth (instead of Thunderbird's): a "Desktop app"
 * client (loopback redirect, PKCE; its secret is not secret), the Gmail scope, and the publishing
 * status that decides whether refresh tokens die after 7 days.
 */
function googleClientHelp(c: AppHelpContext): string {
  const mailbox = c.email ?? 'you@gmail.com';
  return [
    'Make your own Google OAuth client for mailoauth (Google Cloud console, https://console.cloud.google.com):',
    '',
    '  1. Select or create a project. APIs & Services → Library → "Gmail API" → Enable (so its scope can be chosen).',
    '  2. OAuth consent screen (Google Auth Platform → Branding / Audience): any app name, your address as',
    '     support and developer contact. User type: "Internal" for a Google Workspace organization\'s own users,',
    '     "External" for personal Gmail accounts (then add yourself under Test users while it is in Testing).',
    `  3. Data access → Add or remove scopes → ${GMAIL_SCOPE}`,
    '     (the only scope Gmail\'s IMAP and SMTP accept; Google lists it as a restricted scope).',
    '  4. Clients (APIs & Services → Credentials) → Create credentials → OAuth client ID → Application type',
    '     "Desktop app". No redirect URI to enter: Desktop app clients accept http://127.0.0.1:PORT.',
    '     Copy the client ID and the client secret (Google gives Desktop apps one; it is not really secret).',
    '  5. Publishing status (Audience): "In production" ("Publish app"). While it says "Testing", Google',
    '     expires every refresh token after 7 days and you must sign in again each week. Google may then ask for',
    '     verification; an app only a few people use (under 100) can stay unverified: at sign-in Google warns',
    '     "Google hasn\'t verified this app" and lets you continue (Advanced → Go to the app).',
    '  6. Run (the secret is read from the variable you name, then kept in the keychain):',
    `       MY_GOOGLE_SECRET=... mailoauth setup --email ${mailbox} --client-id ${c.clientId ?? 'CLIENT_ID.apps.googleusercontent.com'} --client-secret-env MY_GOOGLE_SECRET`,
    '',
    'Google Workspace: an admin may also have to allow IMAP (Admin console → Apps → Google Workspace → Gmail →',
    'End User Access → POP and IMAP access) and trust the client (Security → Access and data control → API controls).',
    '',
  ].join('\n');
}
