import type { Account } from '../account.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { findAccount, readAccounts, updateAccounts, upsertAccount } from '../store/accounts.js';
import { openStore, storeName } from '../store/open-store.js';
import { accessKey, msalKey, serializeAccess } from '../store/records.js';
import type { Detection } from '../providers/detect.js';
import type { SecretStore } from '../store/secret-store.js';
import { planSetup, redirectFallbacks, wantsDetection, type SetupOptions, type SetupPlan, type SignInAttempt } from './setup-plan.js';

/**
 * `mailoauth setup` without the wizard: every answer from flags. Order matters for Ctrl-C and
 * failures: the keychain is proven writable before the user signs in, secrets are stored before the
 * metadata that points at them, so an interruption leaves either the old account or the new one.
 */
export async function setupCommand(d: Deps, o: SetupOptions): Promise<void> {
  // Read first: a corrupt accounts.json stops setup before any question, sign-in or write.
  const accounts = readAccounts(d.env);
  if (!o.reauth) {
    if (d.isTTY && !o.yes) {
      // No questions for a person when the answers could not be kept: the keychain first.
      if ((o.store ?? 'keychain') === 'keychain') await openStore('keychain', d.env).probe();
      const { askSetup } = await import('./wizard.js');
      o = await askSetup(d, o);
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
  const store = openStore(planSetup(o, d.env, process.platform, existing).account, d.env, { interactive: d.isTTY });
  await store.probe();
  // Without the wizard, detection still feeds the defaults that no flag gave (the wizard did its own).
  const detected = !existing && !(d.isTTY && !o.yes) && wantsDetection(o) ? await detectForFlags(d, o) : undefined;
  const plan = planSetup(o, d.env, process.platform, existing, detected);
  const a = plan.account;
  if (a.store === 'file') {
    d.stderr.write('Warning: --store file keeps the refresh token in a plain 0600 file under ~/.config/mailoauth/secrets, readable by anything running as you and copied by backups. Prefer the OS keychain.\n');
  }
  d.stderr.write(a.delegate
    ? `Signing in ${plan.signInUser} for the shared mailbox ${a.email} (${a.authority}, client ${a.clientId}, ${plan.flow} flow)\n`
    : `Signing in ${a.email} (${a.authority}, client ${a.clientId}, ${plan.flow} flow)\n`);
  const interactive = d.isTTY && !o.yes;
  // One sign-in adapter per token protocol; each stores its secrets, then the metadata.
  const { account, accessToken, expiresAt } = a.auth === 'oauth2'
    ? await (await import('./setup-oauth2.js')).signInOAuth2Account(d, plan, store)
    : await signInMsalAccount(d, plan, store, interactive);
  d.stderr.write(`Signed in. Stored the refresh token in the ${storeName(account)} as "${account.name}".\n`);
  if (plan.verify) await verifyBeforeWriting(d, account, accessToken, expiresAt, o.clients);
  const written = await writeClients(d, account, o, interactive);
  d.stderr.write(
    `\nSummary for ${account.name}:\n` +
      `  refresh token: ${storeName(account, true)}\n` +
      (written.length ? written.map((w) => `  ${w}\n`).join('') : '  no mail-client config written (later: mailoauth config ACCOUNT --client NAME --write)\n') +
      `  mail clients get a fresh token with: ${d.selfPath} token ${account.name}\n`,
  );
}

export interface SignedIn {
  account: Account;
  accessToken: string;
  expiresAt: number;
}

/** Microsoft: MSAL's flows, with the redirect fallbacks of AADSTS50011; stores the MSAL cache and the access record. */
async function signInMsalAccount(d: Deps, plan: SetupPlan, store: SecretStore, interactive: boolean): Promise<SignedIn> {
  const a = plan.account;
  const { signIn } = await import('../auth/signin.js');
  let attempt: SignInAttempt = { flow: plan.flow, redirectUri: a.redirectUri };
  let s;
  for (let tries = 1; ; tries++) {
    try {
      s = await signIn(d, { account: a.name, email: plan.signInUser, clientId: a.clientId, authority: a.authority, scopes: a.scopes, flow: attempt.flow, redirectUri: attempt.redirectUri, port: plan.port });
      break;
    } catch (e) {
      // A redirect the app did not register is never a dead end: offer the other forms.
      if (!(e instanceof UserError) || !e.message.includes('AADSTS50011') || !interactive || tries >= 4) throw e;
      d.stderr.write(`mailoauth: ${e.message}\n`);
      attempt = await d.prompt.select({
        id: 'redirectFallback',
        message: 'The app does not accept that redirect address. Try instead:',
        choices: redirectFallbacks(attempt).map((f) => ({ value: f, name: f.name ?? f.flow })),
      });
    }
  }
  const user = s.result.account?.username;
  if (user && user.toLowerCase() !== plan.signInUser.toLowerCase()) {
    d.stderr.write(`Warning: you signed in as ${user}, not ${plan.signInUser}. IMAP will reject the token ("User is authenticated but not connected") unless ${user} has access to ${a.email}.\n`);
  }
  const account: Account = {
    ...a,
    homeAccountId: s.result.account?.homeAccountId,
    authorityMetadata: s.authorityMetadata,
    // The registered form (no port): Microsoft ignores the port of a loopback redirect.
    redirectUri: attempt.flow === 'device' ? undefined : attempt.redirectUri,
    createdAt: a.createdAt ?? new Date(d.now()).toISOString(),
    lastRefreshAt: new Date(d.now()).toISOString(),
    signedInAt: new Date(d.now()).toISOString(),
  };
  await store.set(msalKey(account.name), s.cache);
  await store.set(accessKey(account.name), serializeAccess({ accessToken: s.result.accessToken, expiresAt: s.result.expiresOn?.getTime() ?? d.now(), scopes: s.result.scopes }));
  await updateAccounts(d.env, (f) => upsertAccount(f, account));
  return { account, accessToken: s.result.accessToken, expiresAt: s.result.expiresOn?.getTime() ?? d.now() };
}

/** Detection for `setup --yes`: shown, never asked; explicit flags override what it found. */
async function detectForFlags(d: Deps, o: SetupOptions): Promise<Detection | undefined> {
  if (!o.email) return undefined;
  const { detectProvider } = await import('../providers/detect.js');
  const { openidHostFor } = await import('../providers/clouds.js');
  const det = await detectProvider(o.email, openidHostFor(o.authority, o.cloud), d.detectIo);
  d.stderr.write(`Detected for ${o.email.slice(o.email.indexOf('@') + 1)}: ${det.evidence.join('; ')}\n`);
  return det;
}

/** Clients that send mail: an SMTP refusal matters to them. */
const SENDERS = ['msmtp', 'mutt', 'neomutt'];

/**
 * Log in to IMAP and SMTP with the new token before any config is written (SPEC, wizard step 5).
 * An IMAP failure stops setup; an SMTP failure stops it only when a chosen client sends mail,
 * otherwise it is reported with its fix and setup goes on. The token stays stored either way.
 */
async function verifyBeforeWriting(d: Deps, account: Account, token: string, expiresAt: number, clients: string | undefined): Promise<void> {
  const { checkAccount, checkOptions, formatVerifyReport } = await import('./verify.js');
  const run = await checkAccount(d, account, token, ['imap', 'smtp'], checkOptions({}, d.env));
  d.stderr.write(formatVerifyReport(run, expiresAt));
  const sends = (clients ?? '').split(',').some((c) => SENDERS.includes(c.trim()));
  const fatal = run.results.flatMap((r) => (!r.ok && (r.protocol === 'imap' || sends) ? [r] : []));
  if (fatal.length === 0) return;
  const which = fatal.map((r) => (r.protocol === 'imap' ? 'IMAP' : 'SMTP')).join(' and ');
  throw new UserError(
    fatal.some((r) => r.diagnosis.exit === ExitCode.LoginRejected) ? ExitCode.LoginRejected : ExitCode.Unavailable,
    `Signed in and stored the token, but the ${which} login failed (see above); no mail-client config was written.`,
    `Fix the cause above, check with: mailoauth verify ${account.name}; then write the configs: mailoauth config ${account.name} --client NAME --write`,
  );
}

/** The "pick clients" step: flag or checkbox, then per file the diff, a confirmation, the write. */
async function writeClients(d: Deps, account: Account, o: SetupOptions, interactive: boolean): Promise<string[]> {
  const { applyClient, parseClients } = await import('./apply-client.js');
  const { CLIENT_IDS, CLIENTS } = await import('../clients/index.js');
  const { newBackupLedger } = await import('../clients/writer.js');
  let clients = o.clients !== undefined ? parseClients(o.clients) : [];
  if (o.clients === undefined && interactive) {
    const { systemProbe } = await import('../clients/system-probe.js');
    const probe = systemProbe(d.env);
    clients = await d.prompt.checkbox({
      id: 'clients',
      message: 'Write config blocks for which mail programs? (space toggles, enter confirms)',
      // Preselect what is installed; mutt only when neomutt is not (they usually share ~/.muttrc).
      choices: CLIENT_IDS.map((c) => {
        const p = CLIENTS[c].prerequisites();
        return { value: c, name: c, checked: probe.run(p.program, p.versionArgs) !== null };
      }).map((ch, _, all) => ({ ...ch, checked: ch.checked && !(ch.value === 'mutt' && all.some((x) => x.value === 'neomutt' && x.checked)) })),
    });
  }
  const backups = newBackupLedger();
  const opts = { caFile: o.caFile, maildir: o.maildir, force: o.force };
  const done: string[] = [];
  for (const client of clients) {
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
  return done;
}
