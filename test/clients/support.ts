import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Account } from '../../src/account.js';
import type { ClientId, RenderOptions } from '../../src/clients/client.js';

/** An account as setup stores it; only the fields client blocks read matter here. */
export function account(over: Partial<Account> = {}): Account {
  return {
    name: 'work',
    email: 'me@contoso.com',
    provider: 'microsoft365',
    clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753',
    tenant: 'organizations',
    authority: 'https://login.microsoftonline.com/organizations',
    scopes: [],
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
    store: 'keychain',
    createdAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

export const BIN = '/usr/local/bin/mailoauth';

/** Render options as the writer passes them: this mailoauth, and a system CA bundle found (getmail names one). */
export const ropts = (over: Partial<RenderOptions> = {}): RenderOptions => ({ bin: BIN, systemCaFile: '/etc/ssl/certs/ca-certificates.crt', ...over });

const FIXTURE: Record<ClientId, string> = {
  offlineimap: 'offlineimaprc', mbsync: 'mbsyncrc', mutt: 'muttrc', neomutt: 'muttrc', msmtp: 'msmtprc',
  aerc: 'aerc-accounts.conf', getmail: 'getmailrc', 'git-send-email': 'gitconfig', 's-nail': 'mailrc',
};

/** A realistic existing config for the client with another account (`personal`) in it. */
export const existingConfig = (id: ClientId) =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'clients', FIXTURE[id]), 'utf8');

/** Deterministic PRNG (mulberry32) so property tests replay exactly from their seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
