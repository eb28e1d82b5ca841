import type { TlsMode } from './account.js';
import type { MailProtocol } from './diagnose/jwt.js';
import { ExitCode, UserError } from './errors.js';

/**
 * The one rule for mail ports, used by setup's plan, verify's flags and the wizard. A well-known port
 * decides the TLS mode when a port is given (RFC 8314: 993 and 465 speak TLS from the first byte; 143,
 * 587 and SMTP's 25 start plain and upgrade with STARTTLS); any other port keeps the account's mode.
 */
const PORT_TLS: Record<MailProtocol, Readonly<Record<number, TlsMode>>> = {
  imap: { 993: 'implicit', 143: 'starttls' },
  smtp: { 465: 'implicit', 587: 'starttls', 25: 'starttls' },
};

export function tlsForPort(protocol: MailProtocol, port: number): TlsMode | undefined {
  return PORT_TLS[protocol][port];
}

/** A port number as typed (a flag or a wizard answer): decimal digits only, 1-65535. */
export function parsePort(v: string, what: string): number {
  const n = /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) throw new UserError(ExitCode.Usage, `${what} must be a port number (1-65535), not "${v}".`);
  return n;
}
