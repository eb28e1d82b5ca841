import type { Endpoint } from '../account.js';
import { urlUserinfo } from './quote.js';

/**
 * A server as a mail URL (mutt's `folder` and `smtp_url`, aerc's `source` and `outgoing`, s-nail's `mta`
 * and inbox): `imaps`/`smtps` for TLS from the first byte, `imap`/`smtp` for STARTTLS; then `+MECHANISM`
 * where the program reads the SASL mechanism from the scheme (aerc); the user with everything but RFC 3986
 * unreserved characters percent-encoded (an address's `@` would end the userinfo); host and port. Hosts
 * are DNS names (`assertHost`), so none needs brackets.
 */
export function mailUrl(protocol: 'imap' | 'smtp', e: Endpoint, o: { user?: string; mechanism?: string } = {}): string {
  const scheme = `${protocol}${e.tls === 'implicit' ? 's' : ''}${o.mechanism === undefined ? '' : `+${o.mechanism}`}`;
  const user = o.user === undefined ? '' : `${urlUserinfo(o.user)}@`;
  return `${scheme}://${user}${e.host}:${e.port}`;
}
