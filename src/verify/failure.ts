import type { MailFailure } from '../diagnose/mail-errors.js';

/** A failed IMAP/SMTP check, reduced to what the server or the socket said (see diagnose/mail-errors.ts). */
export class MailCheckError extends Error {
  constructor(readonly failure: MailFailure) {
    super(failure.serverText ?? failure.message);
    this.name = 'MailCheckError';
  }
}

interface LibraryError {
  message?: string;
  code?: string;
  /** imapflow: the tagged response (its text once enhanced); nodemailer: the SMTP reply line. */
  response?: unknown;
  responseText?: string;
  responseStatus?: string;
  authenticationFailed?: boolean;
  executedCommand?: string;
  /** nodemailer */
  responseCode?: number;
  command?: string;
}

const firstLine = (s: string) => s.split(/\r?\n/)[0]!.trim();

/** imapflow's error → MailFailure. `phase` is how far the session got: connect() covers the login. */
export function imapFailure(err: unknown, phase: 'connect' | 'command'): MailFailure {
  if (err instanceof MailCheckError) return err.failure;
  const e = (err ?? {}) as LibraryError;
  const message = firstLine(e.message ?? String(err));
  const status = e.responseStatus === 'NO' || e.responseStatus === 'BAD' ? e.responseStatus : undefined;
  let serverText: string | undefined;
  if (typeof e.response === 'string' && e.response.trim()) serverText = firstLine(e.response).replace(/^[A-Za-z0-9.]+ (?=(NO|BAD|BYE)\b)/, '');
  else if (status) serverText = `${status} ${e.responseText ?? ''}`.trim();
  const auth = Boolean(e.authenticationFailed) || /^\S+ (AUTHENTICATE|LOGIN)\b/i.test(e.executedCommand ?? '');
  const stage = auth ? 'auth' : serverText !== undefined ? (phase === 'connect' ? 'auth' : 'command') : phase;
  return { protocol: 'imap', stage, code: e.code, serverText, message };
}

/** nodemailer's error → MailFailure. `sending` is true once verify() passed and a test mail is on its way. */
export function smtpFailure(err: unknown, sending = false): MailFailure {
  if (err instanceof MailCheckError) return err.failure;
  const e = (err ?? {}) as LibraryError;
  const message = firstLine(e.message ?? String(err));
  const serverText = typeof e.response === 'string' && e.response.trim() ? firstLine(e.response) : undefined;
  const replyCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  let stage: MailFailure['stage'];
  if (e.code === 'EAUTH' || /^AUTH\b/i.test(e.command ?? '')) stage = 'auth';
  else if (serverText !== undefined) stage = sending ? 'send' : 'command';
  else stage = 'connect';
  return { protocol: 'smtp', stage, code: e.code, serverText, replyCode, message };
}
