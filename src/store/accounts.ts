import { readFileSync } from 'node:fs';
import type { Account } from '../account.js';
import { assertHost, assertPort, checkAccountName, checkEmail } from '../account-name.js';
import { SASL_MECHANISMS } from '../auth/sasl.js';
import { ExitCode, UserError } from '../errors.js';
import { accountsFile } from './paths.js';

/** accounts.json: non-secret metadata of every account, 0600, replaced atomically. */
export interface AccountsFile {
  version: 1;
  accounts: Account[];
}

export function parseAccounts(text: string, path: string): AccountsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw corrupt(path, (e as Error).message);
  }
  const f = data as Partial<AccountsFile>;
  if (!f || typeof f !== 'object' || f.version !== 1 || !Array.isArray(f.accounts)) {
    throw corrupt(path, 'it is not a mailoauth accounts file (version 1)');
  }
  for (const a of f.accounts) {
    if (!a || typeof a.name !== 'string' || typeof a.email !== 'string' || typeof a.clientId !== 'string' ||
      typeof a.authority !== 'string' || !a.imap || !a.smtp) {
      throw corrupt(path, 'an account entry is missing its name, email, client id, authority or hosts');
    }
    const why = invalidField(a);
    if (why) throw corrupt(path, `account ${JSON.stringify(a.name)}: ${why}`);
  }
  return f as AccountsFile;
}

const TLS_MODES = new Set(['implicit', 'starttls']);
const STORES = new Set(['keychain', 'file', 'gpg']);

/**
 * What setup would have refused as a flag: a file anyone who can write it (another user, root's
 * leftovers, a restored backup) could otherwise use to put a shell command into every rendered
 * block (`x;id>/tmp/PWNED;@evil.example` as an email). Checked with the flags' own rules.
 */
function invalidField(a: Account): string | undefined {
  try {
    checkAccountName(a.name);
    checkEmail(a.email);
    if (a.delegate !== undefined) checkEmail(a.delegate);
    for (const [what, ep] of [['IMAP', a.imap], ['SMTP', a.smtp]] as const) {
      assertHost(ep.host, what);
      assertPort(ep.port, what);
      if (!TLS_MODES.has(ep.tls)) return `the ${what} TLS mode ${JSON.stringify(ep.tls)} is neither implicit nor starttls`;
    }
    if (!STORES.has(a.store)) return `the store ${JSON.stringify(a.store)} is not keychain, file or gpg`;
    return invalidSasl(a.sasl);
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
}

/** `sasl`: absent, or an object naming a known mechanism for imap and/or smtp, nothing else. */
function invalidSasl(sasl: unknown): string | undefined {
  if (sasl === undefined) return undefined;
  if (!sasl || typeof sasl !== 'object' || Array.isArray(sasl)) return `"sasl" ${JSON.stringify(sasl)} is not an object`;
  for (const [protocol, m] of Object.entries(sasl)) {
    if (protocol !== 'imap' && protocol !== 'smtp') return `"sasl" names ${JSON.stringify(protocol)}, neither imap nor smtp`;
    if (!(SASL_MECHANISMS as readonly unknown[]).includes(m)) return `the ${protocol} SASL mechanism ${JSON.stringify(m)} is neither ${SASL_MECHANISMS.join(' nor ')}`;
  }
  return undefined;
}

function corrupt(path: string, why: string) {
  return new UserError(
    ExitCode.Usage,
    `${path} cannot be read: ${why}.`,
    `Fix or move the file aside (the tokens stay in the keychain), then run: mailoauth setup`,
  );
}

export function readAccounts(env: NodeJS.ProcessEnv): AccountsFile {
  const path = accountsFile(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, accounts: [] };
    throw e;
  }
  return parseAccounts(text, path);
}

export function findAccount(file: AccountsFile, name: string): Account {
  const a = file.accounts.find((x) => x.name === name) ?? file.accounts.find((x) => x.email.toLowerCase() === name.toLowerCase());
  if (a) return a;
  const known = file.accounts.map((x) => x.name).join(', ');
  throw new UserError(
    ExitCode.Usage,
    `No account named "${name}".${known ? ` Known accounts: ${known}.` : ' No account is set up yet.'}`,
    known ? 'See them with: mailoauth list' : `Set one up with: mailoauth setup --email ${name.includes('@') ? name : 'you@example.com'}`,
  );
}

export function upsertAccount(file: AccountsFile, a: Account): AccountsFile {
  const old = file.accounts.find((x) => x.name === a.name);
  // What a refusal taught about the organization's sign-in lifetime outlives the new sign-in it asked for.
  const kept = old?.signInLifetime && !a.signInLifetime ? { signInLifetime: old.signInLifetime } : {};
  return { version: 1, accounts: [...file.accounts.filter((x) => x.name !== a.name), { ...a, ...kept }] };
}

/**
 * Read-modify-write under the accounts lock, so two processes updating different accounts
 * (a refresh stamping lastRefreshAt while setup adds another) never lose each other's change.
 */
export async function updateAccounts(env: NodeJS.ProcessEnv, change: (f: AccountsFile) => AccountsFile): Promise<void> {
  const { withLock } = await import('./lock.js');
  const { writeFileAtomic } = await import('./atomic-write.js');
  const path = accountsFile(env);
  await withLock(env, 'accounts.json', { waitMs: 10_000 }, async () => {
    writeFileAtomic(path, JSON.stringify(change(readAccounts(env)), null, 2) + '\n', 0o600);
  });
}
