import type { Account } from '../account.js';
import { mechanismOf } from '../auth/sasl.js';
import { resolveEndpoint, trustedCas, withDeadline, type MailCheckOptions } from './endpoint.js';
import { imapFailure, MailCheckError } from './failure.js';
import { imapFlowUsing, type SaslUsed } from './sasl-login.js';

export interface ImapCheck {
  host: string;
  port: number;
  tls: 'implicit' | 'starttls';
  folders: string[];
  inbox: { messages: number; unseen: number };
  sasl: SaslUsed;
}

/**
 * Log in with the account's SASL mechanism (or as o.sasl says) and look, read-only: LIST and STATUS INBOX (no SELECT, so no flag changes).
 * Plain text is never used: STARTTLS is required on a starttls endpoint. Failures are thrown as
 * MailCheckError for diagnose/mail-errors.ts. imapflow is loaded here, never on the token path.
 */
export async function verifyImap(account: Pick<Account, 'email' | 'imap' | 'sasl'>, token: string, o: MailCheckOptions, env: NodeJS.ProcessEnv): Promise<ImapCheck> {
  const ep = resolveEndpoint('imap', account.imap, o);
  const { ImapFlow } = await import('imapflow');
  let sasl: SaslUsed | undefined;
  const Flow = imapFlowUsing(ImapFlow, o.sasl ?? { require: mechanismOf(account, 'imap') }, (u) => (sasl = u));
  const ca = trustedCas(o.ca, env);
  const client = new Flow({
    host: ep.host,
    port: ep.port,
    secure: ep.tls === 'implicit',
    doSTARTTLS: ep.tls === 'starttls' ? true : undefined,
    auth: { user: account.email, accessToken: token },
    tls: ca ? { ca } : undefined,
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
  });
  client.on('error', () => {}); // a late socket error must not become an uncaught exception
  let phase: 'connect' | 'command' = 'connect';
  const session = (async () => {
    await client.connect();
    phase = 'command';
    const list = await client.list();
    const st = await client.status('INBOX', { messages: true, unseen: true });
    return {
      ...ep,
      folders: list.map((m) => m.path),
      inbox: { messages: (st && st.messages) || 0, unseen: (st && st.unseen) || 0 },
      sasl: sasl!,
    };
  })();
  try {
    const result = await withDeadline(session, o.timeoutMs, `${ep.host}:${ep.port}`, () => client.close());
    await withDeadline(client.logout(), Math.min(o.timeoutMs, 2000), 'logout', () => client.close()).catch(() => client.close());
    return result;
  } catch (e) {
    client.close();
    throw new MailCheckError(imapFailure(e, phase));
  }
}
