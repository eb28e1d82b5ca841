import type { Account } from '../account.js';
import { SASL_NAME } from '../auth/sasl.js';
import type { Deps } from '../deps.js';
import { formatFindings, type Finding } from '../diagnose/finding.js';
import { claimsSummary, inspectAccessToken, type MailProtocol, type TokenInspection } from '../diagnose/jwt.js';
import { ExitCode, UserError } from '../errors.js';
import { providerById } from '../providers/table.js';
import { spinWhile } from '../ui/spinner.js';
import { terminalSafe } from '../ui/terminal-text.js';
import { portFlag, timeoutFlag } from '../verify/flags.js';
import { checkLogin, loginFinding, type LoginResult } from '../verify/login.js';
import type { SaslUsed } from '../verify/sasl-login.js';
import type { SmtpCheckOptions } from '../verify/smtp.js';
import { debugLog, getAccessRecord } from './token.js';

export interface VerifyOptions {
  imap?: boolean;
  smtp?: boolean;
  sendTest?: string;
  imapHost?: string;
  imapPort?: string;
  smtpHost?: string;
  smtpPort?: string;
  timeoutMs?: string;
  json?: boolean;
}

/** Which servers to check: the ones asked for, both when neither flag is given; --send-test needs SMTP. */
export function protocolsFor(o: Pick<VerifyOptions, 'imap' | 'smtp' | 'sendTest'>): MailProtocol[] {
  const smtp = o.smtp || Boolean(o.sendTest);
  if (!o.imap && !smtp) return ['imap', 'smtp'];
  return [...(o.imap ? ['imap' as const] : []), ...(smtp ? ['smtp' as const] : [])];
}

/** Per-protocol options from the flags (host/port override the account; the port implies the TLS mode). */
export function checkOptions(o: VerifyOptions, env: NodeJS.ProcessEnv): Record<MailProtocol, SmtpCheckOptions> {
  const timeoutMs = timeoutFlag(o.timeoutMs, env);
  return {
    imap: { host: o.imapHost, port: portFlag(o.imapPort, '--imap-port'), timeoutMs },
    smtp: { host: o.smtpHost, port: portFlag(o.smtpPort, '--smtp-port'), timeoutMs, sendTest: o.sendTest },
  };
}

/** The most relevant exit code of failed logins: a refusal says more than a network failure. */
export function loginExit(results: readonly LoginResult[]): ExitCode {
  const codes = results.flatMap((r) => (r.ok ? [] : [r.diagnosis.exit]));
  for (const c of [ExitCode.LoginRejected, ExitCode.Unavailable]) if (codes.includes(c)) return c;
  return codes[0] ?? ExitCode.Ok;
}

/** `granted`: the scopes the token reply named (the access record's), carried for the diagnosis of opaque tokens. */
export function inspectFor(account: Account, token: string, now: number, need: MailProtocol[], granted?: string[]): TokenInspection {
  const inspection = inspectAccessToken(token, {
    loginUser: account.email,
    signInUser: account.delegate,
    now,
    scopes: account.scopes,
    tenant: account.tenant,
    need,
    opaqueExpected: providerById(account.provider)?.opaqueAccessTokens === true,
    account: account.name,
  });
  return granted?.length ? { ...inspection, granted } : inspection;
}

export interface VerifyRun {
  inspection: TokenInspection;
  results: LoginResult[];
  exit: ExitCode;
}

/**
 * Log in to each server with `accessToken` and diagnose what fails; nothing is printed or thrown
 * for a refused login (setup's verify step can use this as it is). A spinner runs on a terminal.
 */
export async function checkAccount(d: Deps, account: Account, accessToken: string, protocols: MailProtocol[], opts: Record<MailProtocol, SmtpCheckOptions>, granted?: string[]): Promise<VerifyRun> {
  const inspection = inspectFor(account, accessToken, d.now(), protocols, granted);
  const results: LoginResult[] = [];
  for (const p of protocols) {
    const label = `${p === 'imap' ? 'IMAP' : 'SMTP'}: logging in as ${account.email}`;
    results.push(await spinWhile(d, label, () => checkLogin(p, account, accessToken, inspection, opts[p], d.env, d.now)));
  }
  return { inspection, results, exit: loginExit(results) };
}

/** The short report for people: the token's claims, its warnings, one line (or block) per server. */
export function formatVerifyReport(run: VerifyRun, expiresAt: number): string {
  const warnings: Finding[] = run.inspection.findings.filter((f) => f.level !== 'ok');
  // The claims come from the token: text a hostile platform chose.
  return `access token: ${terminalSafe(claimsSummary(run.inspection) ?? '')}; valid until ${new Date(expiresAt).toISOString()}\n` +
    formatFindings([...warnings, ...run.results.map(loginFinding)]);
}

/**
 * `mailoauth verify ACCOUNT [--imap] [--smtp] [--send-test TO]`: get a token the way `token` does,
 * log in with it, and say what happened: folders and INBOX counts, SMTP AUTH, or the diagnosed
 * refusal with its fix. Exit 6 when a server refused the login, 4 when one could not be reached.
 */
export async function verifyCommand(d: Deps, name: string, o: VerifyOptions): Promise<void> {
  const protocols = protocolsFor(o);
  const opts = checkOptions(o, d.env);
  const { account, rec } = await spinWhile(d, `Getting an access token for ${name}`, () => getAccessRecord(d, name, debugLog(d)));
  const run = await checkAccount(d, account, rec.accessToken, protocols, opts, rec.scopes);
  if (o.json) d.stdout.write(JSON.stringify(verifyJson(account, run.inspection, rec.expiresAt, run.results), null, 2) + '\n');
  else d.stderr.write(formatVerifyReport(run, rec.expiresAt));
  if (run.exit !== ExitCode.Ok) {
    const failed = run.results.filter((r) => !r.ok).map((r) => (r.protocol === 'imap' ? 'IMAP' : 'SMTP'));
    throw new UserError(run.exit, `${failed.join(' and ')} verification failed for ${account.name}${o.json ? ' (details in the JSON report)' : ' (cause and fix above)'}.`);
  }
}

const saslJson = (u: SaslUsed) => ({ mechanism: SASL_NAME[u.mechanism], offered: u.offered });

function verifyJson(account: Account, inspection: TokenInspection, expiresAt: number, results: LoginResult[]) {
  const c = inspection.claims;
  return {
    account: account.name,
    email: account.email,
    ok: results.every((r) => r.ok),
    token: {
      expires_at: new Date(expiresAt).toISOString(),
      format: inspection.format,
      claims: c ? { aud: c.aud ?? null, scp: c.scp, user: c.user ?? null, tid: c.tid ?? null, exp: c.exp ?? null } : null,
      findings: inspection.findings,
    },
    ...Object.fromEntries(results.map((r) => [r.protocol, {
      ok: r.ok,
      host: r.endpoint.host,
      port: r.endpoint.port,
      tls: r.endpoint.tls,
      ms: r.ms,
      ...(r.ok ? (r.protocol === 'imap' ? { folders: r.imap.folders, inbox: r.imap.inbox, sasl: saslJson(r.imap.sasl) } : { authenticated: true, sasl: saslJson(r.smtp.sasl), sent: r.smtp.sent ?? null }) : { diagnosis: r.diagnosis }),
    }])),
  };
}
