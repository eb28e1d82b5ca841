import { hostname } from 'node:os';
import type { ImapFlow } from 'imapflow';
import type SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import {
  chooseMechanism, initialResponseBase64, offeredByImap, offeredBySmtp, SASL_ABORT, SASL_NAME,
  type SaslChoice, type SaslLogin, type SaslMechanism, type SaslPolicy, type SaslProtocol,
} from '../auth/sasl.js';
import { MailCheckError } from './failure.js';

/**
 * The verify logins run the exchange the written configs will run: the mechanism comes from
 * src/auth/sasl.ts, not from the libraries' own preferences. imapflow 2.10 picks OAUTHBEARER whenever
 * a server offers it (commands/authenticate.js), and nodemailer 7 knows only XOAUTH2 (it does not
 * even read AUTH=OAUTHBEARER from EHLO).
 */

/** The mechanism a login used, and every mechanism the server offered (upper case, as advertised). */
export interface SaslUsed {
  mechanism: SaslMechanism;
  offered: string[];
}

/** The server offers no mechanism the policy accepts: a MailCheckError for diagnose/mail-errors.ts. */
export function saslRefusal(protocol: SaslProtocol, choice: Exclude<SaslChoice, { kind: 'chosen' }>, offered: string[]): MailCheckError {
  return new MailCheckError({
    protocol,
    stage: 'auth',
    code: choice.kind === 'none' ? 'SASL_NONE' : 'SASL_NOT_OFFERED',
    message: `the server offers ${offered.length ? offered.join(' ') : 'no SASL mechanism'}`,
    sasl: { offered, ...(choice.kind === 'not-offered' ? { wanted: choice.wanted } : {}) },
  });
}

type ImapFlowClass = typeof ImapFlow;

/**
 * ImapFlow whose login uses the chosen mechanism. imapflow authenticates with what
 * `this.capabilities` holds when its (internal) `authenticate()` runs, after STARTTLS, with the list
 * the server sent before login (the one with AUTH=…); for XOAUTH2 AUTH=OAUTHBEARER is taken out of
 * that list, which imapflow replaces with the post-login CAPABILITY anyway.
 */
export function imapFlowUsing(Base: ImapFlowClass, policy: SaslPolicy, used: (u: SaslUsed) => void): ImapFlowClass {
  const baseAuthenticate = (Base.prototype as unknown as { authenticate(): Promise<boolean> }).authenticate;
  return class extends Base {
    async authenticate(): Promise<boolean> {
      if (this.authenticated) return baseAuthenticate.call(this); // PREAUTH: no login happens
      const offered = offeredByImap(this.capabilities.keys());
      const choice = chooseMechanism(offered, policy);
      if (choice.kind !== 'chosen') throw saslRefusal('imap', choice, offered);
      if (choice.mechanism === 'xoauth2') this.capabilities.delete('AUTH=OAUTHBEARER');
      used({ mechanism: choice.mechanism, offered });
      return baseAuthenticate.call(this);
    }
  } as ImapFlowClass;
}

/** nodemailer's EHLO name when it is not told one (smtp-connection `_getHostname`): sent again below, unchanged. */
export function ehloName(host = safeHostname()): string {
  if (!host.includes('.')) return '[127.0.0.1]';
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ? `[${host}]` : host;
}

function safeHostname(): string {
  try {
    return hostname();
  } catch {
    return 'localhost';
  }
}

/** The `customAuth` method name the SMTP check registers (any name nodemailer does not know). */
export const SMTP_AUTH_METHOD = 'MAILOAUTH-SASL';

/**
 * nodemailer `customAuth` handler running the whole exchange: EHLO again (RFC 5321 §4.1.4 allows it;
 * nodemailer keeps the reply to itself) to see every mechanism offered, AUTH with the initial
 * response, and on an error challenge (334) the mechanism's abort response, so the server sends its
 * final reply. A refusal rejects with that reply: nodemailer turns it into its usual EAUTH error
 * (`response`, `responseCode`), which verify/failure.ts reads as before.
 */
export function smtpSaslHandler(policy: SaslPolicy, login: SaslLogin & { name: string }, used: (u: SaslUsed) => void) {
  return async (ctx: SMTPConnection.CustomAuthenticationContext): Promise<void> => {
    const ehlo = await ctx.sendCommand(`EHLO ${login.name}`);
    const offered = offeredBySmtp(ehlo.response);
    const choice = chooseMechanism(offered, policy);
    if (choice.kind !== 'chosen') throw saslRefusal('smtp', choice, offered);
    const m = choice.mechanism;
    used({ mechanism: m, offered });
    let reply = await ctx.sendCommand(`AUTH ${SASL_NAME[m]} ${initialResponseBase64(m, login)}`);
    if (reply.status === 334) reply = await ctx.sendCommand(SASL_ABORT[m]);
    if (reply.status !== 235) throw new Error('Invalid login');
  };
}
