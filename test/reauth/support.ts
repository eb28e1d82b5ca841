import type { Account } from '../../src/account.js';
import { THUNDERBIRD_GOOGLE_CLIENT_ID } from '../../src/providers/table.js';

export const DAY = 86_400_000;
export const NOW = Date.parse('2025-06-15T12:00:00Z');
export const iso = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();

/** An account signed in 200 days before NOW, fields overridden. */
export function account(o: Partial<Account> = {}): Account {
  return {
    name: 'work', email: 'alice@contoso.example', provider: 'microsoft365', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753',
    tenant: 'organizations', authority: 'https://login.microsoftonline.com/organizations', scopes: [],
    imap: { host: 'h', port: 993, tls: 'implicit' }, smtp: { host: 'h', port: 587, tls: 'starttls' }, store: 'keychain',
    createdAt: iso(200), ...o,
  };
}
export const google = (o: Partial<Account> = {}) => account({ provider: 'google', email: 'a@gmail.com', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, ...o });
