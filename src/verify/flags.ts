import type { MailProtocol } from '../diagnose/jwt.js';
import { ExitCode, UserError } from '../errors.js';
import type { SmtpCheckOptions } from './smtp.js';
import { parsePort } from '../ports.js';

export function portFlag(v: string | undefined, flag: string): number | undefined {
  return v === undefined ? undefined : parsePort(v, flag);
}

/** --timeout-ms, else `fallbackMs` (Tuning's verifyTimeoutMs). */
export function timeoutFlag(v: string | undefined, fallbackMs: number): number {
  if (v === undefined) return fallbackMs;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 100 || n > 600_000) throw new UserError(ExitCode.Usage, `--timeout-ms must be a number of milliseconds (100-600000), not "${v}".`);
  return n;
}

/** Per-protocol check options from the flags (host/port override the account; the port implies the TLS mode). */
export function checkOptions(o: { imapHost?: string; imapPort?: string; smtpHost?: string; smtpPort?: string; sendTest?: string; timeoutMs?: string },
  fallbackTimeoutMs: number): Record<MailProtocol, SmtpCheckOptions> {
  const timeoutMs = timeoutFlag(o.timeoutMs, fallbackTimeoutMs);
  return {
    imap: { host: o.imapHost, port: portFlag(o.imapPort, '--imap-port'), timeoutMs },
    smtp: { host: o.smtpHost, port: portFlag(o.smtpPort, '--smtp-port'), timeoutMs, sendTest: o.sendTest },
  };
}
