import type { Account } from '../account.js';
import { resolveEndpoint, trustedCas, withDeadline, type MailCheckOptions } from './endpoint.js';
import { MailCheckError, smtpFailure } from './failure.js';

export interface SmtpCheck {
  host: string;
  port: number;
  tls: 'implicit' | 'starttls';
  authenticated: true;
  /** Only with sendTest: the recipient and the server's answer. */
  sent?: { to: string; response: string; messageId: string };
}

export interface SmtpCheckOptions extends MailCheckOptions {
  /** Send one short test message from the account to this address after AUTH succeeded. */
  sendTest?: string;
}

/**
 * SMTP AUTH XOAUTH2 with nodemailer's verify(): connect, STARTTLS (required on a starttls
 * endpoint), EHLO, AUTH, QUIT. Nothing is sent unless sendTest names a recipient.
 */
export async function verifySmtp(account: Pick<Account, 'email' | 'smtp'>, token: string, o: SmtpCheckOptions, env: NodeJS.ProcessEnv): Promise<SmtpCheck> {
  const ep = resolveEndpoint('smtp', account.smtp, o);
  const { default: nodemailer } = await import('nodemailer');
  const ca = trustedCas(o.ca, env);
  const transport = nodemailer.createTransport({
    host: ep.host,
    port: ep.port,
    secure: ep.tls === 'implicit',
    requireTLS: ep.tls === 'starttls',
    auth: { type: 'OAuth2', user: account.email, accessToken: token },
    tls: ca ? { ca } : undefined,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
    logger: false,
  });
  let sending = false;
  const what = `${ep.host}:${ep.port}`;
  try {
    await withDeadline(transport.verify(), o.timeoutMs, what, () => transport.close());
    const result: SmtpCheck = { ...ep, authenticated: true };
    if (o.sendTest) {
      sending = true;
      const info = await withDeadline(transport.sendMail({
        from: account.email,
        to: o.sendTest,
        subject: 'mailoauth test message',
        text: `This message was sent by "mailoauth verify --send-test" to check that ${account.email} can send mail through ${what} with OAuth2 (XOAUTH2).\n`,
      }), o.timeoutMs, what, () => transport.close());
      result.sent = { to: o.sendTest, response: String(info.response ?? ''), messageId: String(info.messageId ?? '') };
    }
    return result;
  } catch (e) {
    throw new MailCheckError(smtpFailure(e, sending));
  } finally {
    transport.close();
  }
}
