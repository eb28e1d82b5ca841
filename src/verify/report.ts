import type { Account } from '../account.js';
import { SASL_NAME } from '../auth/sasl.js';
import { formatFindings, type Finding } from '../diagnose/finding.js';
import { claimsSummary, type TokenInspection } from '../diagnose/jwt.js';
import { terminalSafe } from '../ui/terminal-text.js';
import type { VerifyRun } from './check-account.js';
import { loginFinding, type LoginResult } from './login.js';
import type { SaslUsed } from './sasl-login.js';

const saslJson = (u: SaslUsed) => ({ mechanism: SASL_NAME[u.mechanism], offered: u.offered });

/** The short report for people: the token's claims, its warnings, one line (or block) per server. */
export function formatVerifyReport(run: VerifyRun, expiresAt: number): string {
  const warnings: Finding[] = run.inspection.findings.filter((f) => f.level !== 'ok');
  // The claims come from the token: text a hostile platform chose.
  return `access token: ${terminalSafe(claimsSummary(run.inspection) ?? '')}; valid until ${new Date(expiresAt).toISOString()}\n` +
    formatFindings([...warnings, ...run.results.map(loginFinding)]);
}

/** `verify --json`: the same facts as data. */
export function verifyJson(account: Account, inspection: TokenInspection, expiresAt: number, results: LoginResult[]) {
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
