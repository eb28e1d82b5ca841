import type { Account, Endpoint } from '../account.js';
import { SASL_NAME } from '../auth/sasl.js';
import type { Finding } from '../diagnose/finding.js';
import type { MailProtocol, TokenInspection } from '../diagnose/jwt.js';
import { diagnoseMailFailure, diagnosisDetails, type MailDiagnosis } from '../diagnose/mail-errors.js';
import { resolveEndpoint } from './endpoint.js';
import { MailCheckError } from './failure.js';
import type { ImapCheck } from './imap.js';
import type { SmtpCheck, SmtpCheckOptions } from './smtp.js';

/** One IMAP or SMTP login attempt, decided: what was seen, or why it failed and what to do. */
export type LoginResult =
  | { protocol: 'imap'; ok: true; endpoint: Endpoint; ms: number; imap: ImapCheck }
  | { protocol: 'smtp'; ok: true; endpoint: Endpoint; ms: number; smtp: SmtpCheck }
  | { protocol: MailProtocol; ok: false; endpoint: Endpoint; ms: number; diagnosis: MailDiagnosis };

const LABEL: Record<MailProtocol, string> = { imap: 'IMAP', smtp: 'SMTP' };
const TLS_LABEL = { implicit: 'TLS', starttls: 'STARTTLS' } as const;

/** Run one check; a refused login or a network failure comes back diagnosed, never thrown. */
export async function checkLogin(
  protocol: MailProtocol,
  account: Account,
  token: string,
  inspection: TokenInspection | undefined,
  o: SmtpCheckOptions,
  env: NodeJS.ProcessEnv,
  now: () => number = Date.now,
): Promise<LoginResult> {
  const endpoint = resolveEndpoint(protocol, account[protocol], o);
  const t0 = now();
  try {
    if (protocol === 'imap') {
      const { verifyImap } = await import('./imap.js');
      return { protocol, ok: true, endpoint, imap: await verifyImap(account, token, o, env), ms: now() - t0 };
    }
    const { verifySmtp } = await import('./smtp.js');
    return { protocol, ok: true, endpoint, smtp: await verifySmtp(account, token, o, env), ms: now() - t0 };
  } catch (e) {
    if (!(e instanceof MailCheckError)) throw e;
    const diagnosis = diagnoseMailFailure(e.failure, {
      protocol, account: account.name, email: account.email, ...endpoint, timeoutMs: o.timeoutMs, token: inspection,
      provider: account.provider, delegate: account.delegate,
    });
    return { protocol, ok: false, endpoint, ms: now() - t0, diagnosis };
  }
}

export const where = (r: LoginResult) => `${r.endpoint.host}:${r.endpoint.port} (${TLS_LABEL[r.endpoint.tls]})`;

/** What a successful login saw, in a few words. */
export function loginSummary(r: LoginResult & { ok: true }): string {
  if (r.protocol === 'imap') {
    const { folders, inbox } = r.imap;
    return `${folders.length} folder${folders.length === 1 ? '' : 's'}, INBOX ${inbox.messages} / unseen ${inbox.unseen}`;
  }
  return `AUTH ${SASL_NAME[r.smtp.sasl.mechanism]} ok${r.smtp.sent ? `; test message to ${r.smtp.sent.to} accepted (${r.smtp.sent.response})` : ''}`;
}

/** The SASL line under a successful login: the mechanism used (IMAP; SMTP's summary says it) and what the server offered. */
export function saslSummary(r: LoginResult & { ok: true }): string {
  const { mechanism, offered } = r.protocol === 'imap' ? r.imap.sasl : r.smtp.sasl;
  return `${r.protocol === 'imap' ? `AUTH ${SASL_NAME[mechanism]} ok; ` : ''}the server offers ${offered.join(' ') || 'no SASL mechanism'}`;
}

/** The result as a doctor/verify row. */
export function loginFinding(r: LoginResult): Finding {
  const check = `${LABEL[r.protocol]} login`;
  if (r.ok) return { level: 'ok', check, detail: `${where(r)}: ${loginSummary(r)}\n        ${saslSummary(r)}` };
  const d = r.diagnosis;
  const more = diagnosisDetails(d).map((l) => `\n        ${l}`).join('');
  return { level: 'fail', check, detail: `${where(r)}: ${d.cause}${more}`, fix: d.fix, exit: d.exit };
}
