import type { Account } from '../account.js';
import { CLIENT_IDS, CLIENTS } from '../clients/index.js';
import { checkPrerequisites, type InstallHints, type Probe } from '../clients/prerequisites.js';
import { debugLog } from '../debug-log.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import type { CloudId } from '../providers/clouds.js';
import { isOwnClient, knownClientById, providerById } from '../providers/table.js';
import { reauthFinding } from '../reauth/reauth-finding.js';
import { findAccount, readAccounts } from '../store/accounts.js';
import { openStore } from '../store/open-store.js';
import { getAccessRecord, type TokenOutcome } from '../token/access.js';
import { spinWhile } from '../ui/spinner.js';
import { inspectFor } from '../verify/check-account.js';
import { checkLogin, loginFinding } from '../verify/login.js';
import { appRegistrationHelp } from './app-help.js';
import { exitFor, formatFindings, type Finding } from './finding.js';
import { tenantBlockRequest } from './it-request.js';

export interface Section {
  title: string;
  findings: Finding[];
}

const KEYCHAIN_NAME: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'Secret Service',
  darwin: 'macOS Keychain',
  win32: 'Windows Credential Manager',
};

const asFinding = (check: string, e: unknown): Finding =>
  e instanceof UserError
    ? { level: 'fail', check, detail: e.message, fix: e.fix, exit: e.exitCode }
    : { level: 'fail', check, detail: `unexpected error: ${(e as Error)?.message ?? String(e)}`, fix: 'Rerun with --debug and report it', exit: ExitCode.Unexpected };

/** `doctor --app-help [ACCOUNT] [--cloud C]`: how to register an own app (and the admin-consent URL), for this account when named. */
export function printAppHelp(d: Deps, name: string | undefined, cloud: CloudId | undefined): void {
  d.stderr.write(appRegistrationHelp({ ...appHelpContext(d, name), ...(cloud ? { cloud } : {}) }));
}

/** How the token check got its token, for people. */
const TOKEN_SOURCE: Record<TokenOutcome['kind'], string> = {
  cache: 'cached access token',
  refreshed: 'refreshed with the stored refresh token',
  'peer-refreshed': 'refreshed by another mailoauth process just now',
};

/**
 * `mailoauth doctor [ACCOUNT]`: every fact a working setup depends on, in cause-before-effect
 * order, each ok/warn/fail with its fix: keychain, accounts, a token through the normal path, the
 * token's claims, IMAP and SMTP logins, the installed mail clients. Exit 0 unless something
 * failed; then the first failure's code (the earliest cause).
 */
export async function runDoctor(d: Deps, name: string | undefined, o: { timeoutMs: number; json: boolean }): Promise<void> {
  const timeoutMs = o.timeoutMs;
  const system: Finding[] = [];
  let accounts: Account[] = [];
  let selected: Account[] = [];
  try {
    accounts = readAccounts(d.env).accounts;
    selected = name ? [findAccount({ version: 1, accounts }, name)] : accounts;
  } catch (e) {
    system.push(asFinding(name ? 'account' : 'accounts', e));
  }
  if (!name && system.length === 0 && accounts.length === 0) {
    system.push({ level: 'warn', check: 'accounts', detail: 'no account is set up yet', fix: 'mailoauth setup' });
  }

  const usesKeychain = selected.length === 0 || selected.some((a) => a.store === 'keychain');
  const keychain = await spinWhile(d, 'Checking the OS keychain', () => keychainFinding(d, usesKeychain));
  system.unshift(keychain);

  const sections: Section[] = [{ title: 'System', findings: system }];
  const itRequests: string[] = [];
  for (const a of selected) {
    const keychainDown = a.store === 'keychain' && keychain.level !== 'ok';
    sections.push({ title: `Account ${a.name} <${a.email}>`, findings: await accountFindings(d, a, timeoutMs, keychainDown, itRequests) });
  }
  sections.push({ title: 'Mail clients', findings: await spinWhile(d, 'Looking for mail clients', async () => clientFindings(await realProbe(d.env), process.platform)) });

  const all = sections.flatMap((s) => s.findings);
  const code = exitFor(all);
  if (o.json) d.stdout.write(JSON.stringify({ ok: code === ExitCode.Ok, exit: code, sections, ...(itRequests.length ? { itRequests } : {}) }, null, 2) + '\n');
  else d.stderr.write(formatSections(sections) + itRequests.map((r) => `\n${r}`).join(''));
  if (code !== ExitCode.Ok) {
    const n = all.filter((f) => f.level === 'fail').length;
    throw new UserError(code, `${n} check${n === 1 ? '' : 's'} failed${o.json ? '' : ' (FAIL lines above, each with its fix)'}.`);
  }
}

export function formatSections(sections: readonly Section[]): string {
  return sections.map((s) => `${s.title}\n${formatFindings(s.findings)}`).join('\n');
}

function appHelpContext(d: Deps, name: string | undefined) {
  if (!name) return {};
  const a = findAccount(readAccounts(d.env), name);
  const ownClient = isOwnClient(a);
  return { authority: a.authority, email: a.email, clientId: ownClient ? a.clientId : undefined, provider: a.provider, cloud: a.cloud as CloudId | undefined };
}

async function keychainFinding(d: Deps, needed: boolean): Promise<Finding> {
  const what = KEYCHAIN_NAME[process.platform] ?? 'OS keychain';
  try {
    await openStore('keychain', d).probe();
    return { level: 'ok', check: 'keychain', detail: `${what} reachable (a test item was written and deleted)` };
  } catch (e) {
    const f = asFinding('keychain', e);
    return needed ? f : { ...f, level: 'warn', detail: `${f.detail} (no account here uses it)`, exit: undefined };
  }
}

async function accountFindings(d: Deps, a: Account, timeoutMs: number, keychainDown: boolean, itRequests: string[]): Promise<Finding[]> {
  const ep = (e: Account['imap']) => `${e.host}:${e.port} (${e.tls === 'implicit' ? 'TLS' : 'STARTTLS'})`;
  const out: Finding[] = [{
    level: 'ok',
    check: 'account',
    detail: `${a.provider}, client ${knownClientById(a.clientId)?.label ?? a.clientId}, ${a.store} store, IMAP ${ep(a.imap)}, SMTP ${ep(a.smtp)}`,
  }];
  out.push(...providerNotes(a));
  out.push(reauthFinding(a, d.now()));
  if (keychainDown) {
    out.push({ level: 'fail', check: 'token', detail: 'not checked: the keychain holding it is unavailable (see above)', fix: 'Fix the keychain first', exit: ExitCode.KeychainUnavailable });
    return out;
  }
  let got;
  try {
    got = await spinWhile(d, `Getting an access token for ${a.name}`, () => getAccessRecord(d, a.name, debugLog(d)));
  } catch (e) {
    out.push(asFinding('token', e));
    const request = tenantBlockRequest(e, { account: a.name, email: a.delegate ?? a.email, clientId: a.clientId, authority: a.authority, scopes: a.scopes, redirectUri: a.redirectUri });
    if (request) itRequests.push(request);
    return out;
  }
  const { account, outcome: { kind, rec } } = got;
  out.push({ level: 'ok', check: 'token', detail: `${TOKEN_SOURCE[kind]}, valid until ${new Date(rec.expiresAt).toISOString()}` });
  const inspection = inspectFor(account, rec.accessToken, d.now(), ['imap', 'smtp'], rec.scopes);
  out.push(...inspection.findings);
  for (const p of ['imap', 'smtp'] as const) {
    const r = await spinWhile(d, `${p === 'imap' ? 'IMAP' : 'SMTP'}: logging in as ${account.email}`, () =>
      checkLogin(p, account, rec.accessToken, inspection, { timeoutMs }, d.env, d.now));
    out.push(loginFinding(r));
  }
  return out;
}

/** What the provider row says about this account's setup: Google's 7-day refresh tokens for apps in "Testing". */
export function providerNotes(a: Pick<Account, 'provider' | 'clientId'>): Finding[] {
  const row = providerById(a.provider);
  if (!row?.ownClientNote || !isOwnClient(a)) return [];
  return [{ level: 'warn', check: 'own client', detail: `${a.clientId}: ${row.ownClientNote}` }];
}

/** The installed mail clients and their prerequisites (versions, mbsync's SASL XOAUTH2 plugin). */
export function clientFindings(probe: Probe, platform: NodeJS.Platform): Finding[] {
  const out: Finding[] = [];
  const missing: string[] = [];
  for (const id of CLIENT_IDS) {
    const p = CLIENTS[id].prerequisites();
    if (probe.run(p.program, p.versionArgs) === null) {
      missing.push(id);
      continue;
    }
    const r = checkPrerequisites(p, probe);
    const extras = p.files.map((f, i) => (r.findings[i + 1]?.ok ? `${f.what.replace(/^An? /, '')} found` : undefined)).filter(Boolean);
    if (r.ok) {
      out.push({ level: 'ok', check: id, detail: [`${p.program} ${r.version}`, ...extras].join('; ') });
      continue;
    }
    for (const f of r.findings.filter((x) => !x.ok)) {
      out.push({ level: 'warn', check: id, detail: `${f.problem}${f.why ? ` ${f.why}` : ''}`, fix: f.install ? installHint(f.install, platform) : undefined });
    }
  }
  if (missing.length === CLIENT_IDS.length) {
    out.push({ level: 'warn', check: 'clients', detail: `none of ${CLIENT_IDS.join(', ')} is installed`, fix: 'Install the mail program you use, then: mailoauth config ACCOUNT --client NAME --write' });
  } else if (missing.length) {
    out.push({ level: 'ok', check: 'not installed', detail: missing.join(', ') });
  }
  return out;
}

function installHint(h: InstallHints, platform: NodeJS.Platform): string {
  if (platform === 'darwin' && h.macos) return h.macos;
  return [`Debian/Ubuntu: ${h.debian}`, h.fedora && `Fedora: ${h.fedora}`, h.arch && `Arch: ${h.arch}`].filter(Boolean).join('; ');
}

/**
 * The system probe, remembering each program's answer (the version check runs it once more). Every
 * client's version command runs first, all at once: one after another they took ~0.6 s here.
 */
async function realProbe(env: NodeJS.ProcessEnv): Promise<Probe> {
  const { runConcurrently, systemProbe } = await import('../clients/system-probe.js');
  const probe = systemProbe(env);
  const key = (cmd: string, args: string[]) => JSON.stringify([cmd, args]);
  const versions = CLIENT_IDS.map((id) => CLIENTS[id].prerequisites()).map((p) => [p.program, p.versionArgs] as const);
  const answers = await runConcurrently(env, versions);
  const seen = new Map<string, ReturnType<Probe['run']>>(versions.map(([cmd, args], i) => [key(cmd, args), answers[i]!]));
  return {
    ...probe,
    run(cmd, args) {
      const k = key(cmd, args);
      if (!seen.has(k)) seen.set(k, probe.run(cmd, args));
      return seen.get(k)!;
    },
  };
}
