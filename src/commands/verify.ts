import type { Deps } from '../deps.js';
import type { MailProtocol } from '../diagnose/jwt.js';
import { checkOptions } from '../verify/flags.js';
import { runVerify } from '../verify/run.js';

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

/** `mailoauth verify ACCOUNT [--imap] [--smtp] [--send-test TO] [host/port/timeout flags] [--json]` (src/verify/run.ts). */
export async function verifyCommand(d: Deps, name: string, o: VerifyOptions): Promise<void> {
  await runVerify(d, name, protocolsFor(o), checkOptions(o, d.tuning.verifyTimeoutMs), { json: Boolean(o.json) });
}
