import type { Account } from '../account.js';
import type { RenderOptions } from './client.js';
import { assertAccountName, assertHost, assertLogin, assertPort, assertSafePath } from './quote.js';

/**
 * Everything a render writes into someone's config, checked once before any template is filled:
 * after this, every value is representable in every target syntax (see quote.ts).
 */
export function assertRenderable(a: Account, opts: RenderOptions): void {
  assertAccountName(a.name);
  assertLogin(a.email);
  assertHost(a.imap.host, 'IMAP');
  assertPort(a.imap.port, 'IMAP');
  assertHost(a.smtp.host, 'SMTP');
  assertPort(a.smtp.port, 'SMTP');
  assertSafePath(opts.bin, 'mailoauth program');
  if (opts.caFile !== undefined) assertSafePath(opts.caFile, 'CA certificate');
  if (opts.maildir !== undefined) assertSafePath(opts.maildir, 'Maildir', { allowTilde: true });
}
