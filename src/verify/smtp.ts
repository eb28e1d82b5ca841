import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Account } from '../account.js';
import { mechanismOf, SASL_NAME } from '../auth/sasl.js';
import { resolveEndpoint, trustedCas, withDeadline, type MailCheckOptions } from './endpoint.js';
import { MailCheckError, smtpFailure } from './failure.js';
import { ehloName, SMTP_AUTH_METHOD, smtpSaslHandler, type SaslUsed } from './sasl-login.js';

export interface SmtpCheck {
  host: string;
  port: number;
  tls: 'implicit' | 'starttls';
  authenticated: true;
  sasl: SaslUsed;
  /** Only with sendTest: the recipient and the server's answer. */
  sent?: { to: string; response: string; messageId: string };
}

export interface SmtpCheckOptions extends MailCheckOptions {
  /** Send one short test message from the account to this address after AUTH succeeded. */
  sendTest?: string;
}

/**
 * SMTP AUTH (the account's SASL mechanism, or as o.sasl says) with nodemailer's verify(): connect,
 * STARTTLS (required on a starttls endpoint), EHLO, AUTH, QUIT. Nothing is sent unless sendTest
 * names a recipient.
 */
export async function verifySmtp(account: Pick<Account, 'email' | 'smtp' | 'sasl'>, token: string, o: SmtpCheckOptions, env: NodeJS.ProcessEnv): Promise<SmtpCheck> {
  const ep = resolveEndpoint('smtp', account.smtp, o);
  const { default: nodemailer } = await import('nodemailer');
  const ca = trustedCas(o.ca, env);
  let sasl: SaslUsed | undefined;
  const name = ehloName();
  // forceAuth (read by smtp-transport's verify and send, absent from @types/nodemailer): a server announcing no AUTH is asked all the same.
  const options: SMTPTransport.Options & { forceAuth: true } = {
    host: ep.host,
    port: ep.port,
    name,
    secure: ep.tls === 'implicit',
    requireTLS: ep.tls === 'starttls',
    // The whole exchange is ours (verify/sasl-login.ts).
    auth: { type: 'custom', method: SMTP_AUTH_METHOD, user: account.email, pass: '' },
    customAuth: { [SMTP_AUTH_METHOD]: smtpSaslHandler(o.sasl ?? { require: mechanismOf(account, 'smtp') }, { user: account.email, token, host: ep.host, port: ep.port, name }, (u) => (sasl = u)) },
    forceAuth: true,
    tls: ca ? { ca } : undefined,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
    logger: false,
  };
  const transport = nodemailer.createTransport(options);
  let sending = false;
  const what = `${ep.host}:${ep.port}`;
  try {
    await withDeadline(transport.verify(), o.timeoutMs, what, () => transport.close());
    const result: SmtpCheck = { ...ep, authenticated: true, sasl: sasl! };
    if (o.sendTest) {
      sending = true;
      const info = await withDeadline(transport.sendMail({
        from: account.email,
        to: o.sendTest,
        subject: 'mailoauth test message',
        text: `This message was sent by "mailoauth verify --send-test" to check that ${account.email} can send mail through ${what} with OAuth2 (${SASL_NAME[sasl!.mechanism]}).\n`,
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
