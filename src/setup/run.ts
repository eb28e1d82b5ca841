import type { Account } from '../account.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { mechanismOf, saslAfterLogins, SASL_NAME, type SaslChoices, type SaslMechanism } from '../auth/sasl.js';
import { findAccount, readAccounts, updateAccounts, upsertAccount } from '../store/accounts.js';
import type { LoginResult } from '../verify/login.js';
import { openStore, storeName } from '../store/open-store.js';
import type { Detection } from '../providers/detect.js';
import type { SecretStore } from '../store/secret-store.js';
import type { SignInAttempt } from '../auth/redirects.js';
import { providerById } from '../providers/table.js';
import { commitSignIn } from './commit.js';
import { settleIdentity } from './identity-check.js';
import type { SetupOptions } from './options.js';
import { planSetup, wantsDetection, type SetupPlan } from './plan.js';
import { domainOf } from '../account-name.js';

/**
 * `mailoauth setup` without the wizard: every answer from flags. Order matters for Ctrl-C and
 * failures: the keychain is proven writable before the user signs in, secrets are stored before the
 * metadata that points at them, so an interruption leaves either the old account or the new one.
 */
export async function runSetup(d: Deps, o: SetupOptions): Promise<void> {
  // Read first: a corrupt accounts.json stops setup before any question, sign-in or write.
  const accounts = readAccounts(d.env);
  if (o.clients !== undefined && o.maildir !== undefined) {
    const { parseClients } = await import('../clients/index.js');
    (await import('../clients/local-store-files.js')).assertOneStorePerMaildir(parseClients(o.clients), o.maildir);
  }
  // A person answers (the wizard, the sign-in fallbacks, the write confirmations) unless --yes.
  const interactive = d.canPrompt && !o.yes;
  if (!o.reauth) {
    if (interactive) {
      // No questions for a person when the answers could not be kept: the keychain first.
      if ((o.store ?? 'keychain') === 'keychain') await openStore('keychain', d).probe();
      const { askSetup } = await import('./wizard.js');
      const { installedClients } = await import('./installed-clients.js');
      o = await askSetup(d, o, () => installedClients(d.env));
    } else if (!o.email) {
      throw new UserError(
        ExitCode.Usage,
        `Missing --email (${o.yes ? '--yes never prompts' : 'standard input is not a terminal, so there is no one to ask'}).`,
        'mailoauth setup --yes --email you@contoso.com [--flow device|browser|paste] [--client-id GUID] [--tenant T]',
      );
    }
  }
  const existing = o.reauth ? findAccount(accounts, o.reauth) : undefined;
  // Bad answers and a missing keychain stop setup before anything goes on the network: planning
  // without detection validates every flag (pure), then the store is proven writable.
  const first = planSetup(o, d.env, process.platform, existing);
  if (!existing) refuseToReplace(accounts.accounts, first.account, o.force === true);
  const store = openStore(first.account, d);
  await store.probe();
  // Without the wizard, detection still feeds the defaults that no flag gave (the wizard did its own).
  const detected = !existing && !interactive && wantsDetection(o) ? await detectForFlags(d, o) : undefined;
  const plan = planSetup(o, d.env, process.platform, existing, detected);
  const a = plan.account;
  if (a.store === 'file') {
    d.stderr.write('Warning: --store file keeps the refresh token in a plain 0600 file under ~/.config/mailoauth/secrets, readable by anything running as you and copied by backups. Prefer the OS keychain.\n');
  }
  d.stderr.write(a.delegate
    ? `Signing in ${plan.signInUser} for the shared mailbox ${a.email} (${a.authority}, client ${a.clientId}, ${plan.flow} flow)\n`
    : `Signing in ${a.email} (${a.authority}, client ${a.clientId}, ${plan.flow} flow)\n`);
  const signedIn = await signInAccount(d, plan, store, interactive);
  const { accessToken, expiresAt } = signedIn;
  d.stderr.write(`Signed in. Stored the refresh token in the ${storeName(signedIn.account)} as "${signedIn.account.name}".\n`);
  // The logins decide which SASL mechanism the blocks use; it is recorded before any block is written.
  const account = plan.verify ? await verifyBeforeWriting(d, signedIn.account, accessToken, expiresAt, o.clients, plan.sasl) : signedIn.account;
  const { written, refused } = await writeClients(d, account, o, interactive);
  d.stderr.write(
    `\nSummary for ${account.name}:\n` +
      `  refresh token: ${storeName(account, true)}\n` +
      (written.length ? written.map((w) => `  ${w}\n`).join('') : '  no mail-client config written (later: mailoauth config ACCOUNT --client NAME --write)\n') +
      `  mail clients get a fresh token with: ${d.selfPath} token ${account.name}\n`,
  );
  // The programs that could not log in were left out; the others are written. Say so, and fail.
  if (refused.length) throw new UserError(ExitCode.Usage, refused.map((e) => e.message).join('\n'), refused.map((e) => e.fix).join('\n'));
}

/**
 * A name already taken by another mailbox: setup would replace that account and its refresh token.
 * Refused unless --force; the same mailbox again is a new sign-in of the same account, as --reauth.
 */
export function refuseToReplace(accounts: readonly Account[], planned: Pick<Account, 'name' | 'email' | 'provider' | 'delegate'>, force: boolean): void {
  const taken = accounts.find((x) => x.name === planned.name);
  if (!taken || force) return;
  const same = (a?: string, b?: string) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
  if (same(taken.email, planned.email) && taken.provider === planned.provider && same(taken.delegate, planned.delegate)) return;
  throw new UserError(
    ExitCode.Usage,
    `An account named "${taken.name}" already exists for ${taken.email} (${taken.provider}${taken.delegate ? `, signed in as ${taken.delegate}` : ''}). ` +
      `Setting up ${planned.email} under that name would replace it and its stored sign-in.`,
    `Choose another name (--name NEW); to sign that account in again: mailoauth setup --reauth ${taken.name}; to replace it: add --force`,
  );
}

export interface SignedIn {
  account: Account;
  accessToken: string;
  expiresAt: number;
}

/**
 * One sign-in for every protocol (src/auth/protocol.ts): what the plan could not know offline, the
 * flow (with another way offered when the browser never comes back), who signed in checked against
 * who was asked for, then the commit — secrets, access record, metadata.
 */
async function signInAccount(d: Deps, plan: SetupPlan, store: SecretStore, interactive: boolean): Promise<SignedIn> {
  const { protocolFor } = await import('../auth/protocols.js');
  const { signInAttempts } = await import('./sign-in-attempts.js');
  const protocol = await protocolFor(plan.account);
  const a = protocol.prepare ? await protocol.prepare(d, plan.account) : plan.account;
  let attempt: SignInAttempt = { flow: plan.flow, redirectUri: a.redirectUri };
  const s = await signInAttempts(d, a, attempt, interactive, (next) => {
    attempt = next;
    return protocol.signIn(d, { account: a, signInUser: plan.signInUser, flow: next.flow, redirectUri: next.redirectUri, port: plan.port, clientSecret: plan.clientSecret, store });
  }).catch(async (e: unknown) => {
    // A tenant that blocks the app: the user cannot fix it, their IT can; hand them the request.
    const { tenantBlockRequest } = await import('../diagnose/it-request.js');
    const request = tenantBlockRequest(e, { account: a.name, email: plan.signInUser, clientId: a.clientId, authority: a.authority, scopes: a.scopes, redirectUri: a.redirectUri });
    if (request) d.stderr.write(`\n${request}\n`);
    throw e;
  });
  for (const note of s.notes ?? []) d.stderr.write(`Note: ${note}\n`);
  const loginUser = await settleIdentity(d, {
    row: providerById(a.provider)!,
    account: a,
    want: { asked: plan.signInUser, expectUser: plan.expectUser, tenant: s.identity.expectedTenant, shared: a.delegate !== undefined },
    got: s.identity,
    interactive,
  });
  const now = new Date(d.now()).toISOString();
  const account: Account = { ...a, ...s.keep, email: loginUser, createdAt: a.createdAt ?? now, lastRefreshAt: now, signedInAt: now };
  await commitSignIn(d.env, store, account, s);
  return { account, accessToken: s.access.accessToken, expiresAt: s.access.expiresAt };
}

/** Detection for `setup --yes`: shown, never asked; explicit flags override what it found. */
async function detectForFlags(d: Deps, o: SetupOptions): Promise<Detection | undefined> {
  if (!o.email) return undefined;
  const { detectProvider } = await import('../providers/detect.js');
  const { openidHostFor } = await import('../providers/clouds.js');
  const det = await detectProvider(o.email, openidHostFor(o.authority, o.cloud), d.detectIo);
  d.stderr.write(`Detected for ${domainOf(o.email)}: ${det.evidence.join('; ')}\n`);
  return det;
}

/** Clients that send mail: an SMTP refusal matters to them. */
const SENDERS = ['msmtp', 'mutt', 'neomutt', 'aerc', 'git-send-email', 's-nail'];

/**
 * Log in to IMAP and SMTP with the new token before any config is written (setup's check step: a config is only written for servers that took the token).
 * An IMAP failure stops setup; an SMTP failure stops it only when a chosen client sends mail,
 * otherwise it is reported with its fix and setup goes on. The token stays stored either way.
 */
async function verifyBeforeWriting(d: Deps, account: Account, token: string, expiresAt: number, clients: string | undefined, sasl: SaslMechanism | undefined): Promise<Account> {
  const { checkAccount } = await import('../verify/check-account.js');
  const { checkOptions } = await import('../verify/flags.js');
  const { formatVerifyReport } = await import('../verify/report.js');
  const opts = checkOptions({}, d.tuning.verifyTimeoutMs);
  // --sasl: the servers must offer it; otherwise what they offer decides (XOAUTH2 first, the account's earlier choice before that).
  for (const p of ['imap', 'smtp'] as const) opts[p].sasl = sasl ? { require: sasl } : { prefer: account.sasl?.[p] };
  const run = await checkAccount(d, account, token, ['imap', 'smtp'], opts);
  d.stderr.write(formatVerifyReport(run, expiresAt));
  const sends = (clients ?? '').split(',').some((c) => SENDERS.includes(c.trim()));
  const fatal = run.results.flatMap((r) => (!r.ok && (r.protocol === 'imap' || sends) ? [r] : []));
  if (fatal.length === 0) return recordSasl(d, account, run.results);
  const which = fatal.map((r) => (r.protocol === 'imap' ? 'IMAP' : 'SMTP')).join(' and ');
  throw new UserError(
    fatal.some((r) => r.diagnosis.exit === ExitCode.LoginRejected) ? ExitCode.LoginRejected : ExitCode.Unavailable,
    `Signed in and stored the token, but the ${which} login failed (see above); no mail-client config was written.`,
    `Fix the cause above, check with: mailoauth verify ${account.name}; then write the configs: mailoauth config ${account.name} --client NAME --write`,
  );
}

/**
 * The mechanisms the logins used become the account's (accounts.json, before any block is written):
 * a server offering no XOAUTH2 but OAUTHBEARER gets OAUTHBEARER blocks.
 */
async function recordSasl(d: Deps, account: Account, results: LoginResult[]): Promise<Account> {
  const used = Object.fromEntries(results.flatMap((r) => (r.ok ? [[r.protocol, (r.protocol === 'imap' ? r.imap : r.smtp).sasl.mechanism]] : []))) as SaslChoices;
  const sasl = saslAfterLogins(account.sasl, used);
  if (JSON.stringify(sasl) === JSON.stringify(account.sasl)) return account;
  const next: Account = { ...account, sasl };
  if (!sasl) delete next.sasl;
  await updateAccounts(d.env, (f) => upsertAccount(f, next));
  for (const p of ['imap', 'smtp'] as const) {
    if (mechanismOf(next, p) !== mechanismOf(account, p)) {
      d.stderr.write(`Note: ${account.name}'s ${p === 'imap' ? 'IMAP' : 'SMTP'} logins use ${SASL_NAME[mechanismOf(next, p)]} from now on (what the server offers); the configs written below use it.\n`);
    }
  }
  return next;
}

/** The "write clients" step: the chosen clients (flag or the wizard's plan), per file the diff, a confirmation, the write. */
async function writeClients(d: Deps, account: Account, o: SetupOptions, interactive: boolean): Promise<{ written: string[]; refused: UserError[] }> {
  const { applyClient } = await import('../clients/apply.js');
  const { parseClients } = await import('../clients/index.js');
  const { newBackupLedger } = await import('../clients/writer.js');
  const { saslRefusal } = await import('../clients/sasl-support.js');
  const clients = o.clients !== undefined ? parseClients(o.clients) : [];
  const backups = newBackupLedger();
  const opts = { caFile: o.caFile, maildir: o.maildir, force: o.force };
  const done: string[] = [];
  const refused: UserError[] = [];
  for (const client of clients) {
    const cannot = saslRefusal(client, account);
    if (cannot) {
      refused.push(cannot);
      done.push(`${client}: not written (it cannot log in with what the servers need; see below)`);
      continue;
    }
    const preview = applyClient(d, account, client, { ...opts, dryRun: true }, backups);
    for (const w of preview.warnings) d.stderr.write(`warning (${client}): ${w}\n`);
    if (!preview.changed) {
      done.push(`${client}: ${preview.path} already up to date`);
      continue;
    }
    (o.dryRun ? d.stdout : d.stderr).write(preview.diff);
    if (o.dryRun) {
      done.push(`${client}: ${preview.path} (dry run, not written)`);
      continue;
    }
    if (interactive && !(await d.prompt.confirm({ id: `write-${client}`, message: `Write ${preview.path}?`, default: true }))) {
      done.push(`${client}: ${preview.path} skipped`);
      continue;
    }
    const r = applyClient(d, account, client, opts, backups);
    done.push(`${client}: wrote ${r.path}${r.backupPath ? ` (backup ${r.backupPath})` : ''}`);
  }
  return { written: done, refused };
}
