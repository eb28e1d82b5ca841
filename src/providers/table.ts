import type { Endpoint } from '../account.js';

/** Thunderbird's public Microsoft client: registered as a public client, no secret. */
export const THUNDERBIRD_MICROSOFT_CLIENT_ID = '9e5f94bc-e8a4-4e73-b8be-63364c29d753';

export interface Provider {
  id: string;
  label: string;
  /** Authority host, no trailing slash. */
  authorityHost: string;
  /** Tenant used when the user gives none. */
  defaultTenant: string;
  /** Resource prefix for mail scopes. */
  scopePrefix: string;
  /** Scopes requested at sign-in (prefix applied), offline_access added by fullScopes(). */
  mailScopes: string[];
  imap: Endpoint;
  smtp: Endpoint;
  defaultClientId: string;
  /** Email domains that always belong to this provider (consumer mail). */
  domains: string[];
}

/** Providers are rows: adding one must not touch the token engine. */
export const PROVIDERS: Provider[] = [
  {
    id: 'microsoft365',
    label: 'Microsoft 365 (work or school)',
    authorityHost: 'https://login.microsoftonline.com',
    defaultTenant: 'organizations',
    scopePrefix: 'https://outlook.office.com/',
    mailScopes: ['IMAP.AccessAsUser.All', 'SMTP.Send'],
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
    defaultClientId: THUNDERBIRD_MICROSOFT_CLIENT_ID,
    domains: [],
  },
  {
    id: 'outlook.com',
    label: 'Outlook.com / Hotmail / Live (personal)',
    authorityHost: 'https://login.microsoftonline.com',
    defaultTenant: 'consumers',
    scopePrefix: 'https://outlook.office.com/',
    mailScopes: ['IMAP.AccessAsUser.All', 'SMTP.Send'],
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp-mail.outlook.com', port: 587, tls: 'starttls' },
    defaultClientId: THUNDERBIRD_MICROSOFT_CLIENT_ID,
    domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'passport.com', 'hotmail.co.uk',
      'hotmail.fr', 'hotmail.de', 'hotmail.it', 'hotmail.es', 'live.co.uk', 'live.fr', 'live.de',
      'outlook.de', 'outlook.fr', 'outlook.es', 'outlook.it', 'outlook.jp'],
  },
];

export function providerById(id: string): Provider | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** The provider a domain alone decides (consumer domains); otherwise Microsoft 365. */
export function providerForEmail(email: string): Provider {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return PROVIDERS.find((p) => p.domains.includes(domain)) ?? PROVIDERS[0]!;
}

/** Scopes to request: the provider's mail scopes with their resource prefix, plus offline_access. */
export function fullScopes(p: Provider, extra: string[] = []): string[] {
  return [...[...p.mailScopes, ...extra].map((s) => p.scopePrefix + s), 'offline_access'];
}
