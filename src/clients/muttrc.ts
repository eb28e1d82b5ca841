import type { Account } from '../account.js';
import { mechanismOf } from '../auth/sasl.js';
import { mergeBlock, wrapBlock, type MergeResult } from './block.js';
import type { MergeOptions, RenderOptions } from './client.js';
import { mailUrl } from './mail-url.js';
import { muttString, shellCommand } from './quote.js';
import { fillTemplate, loadTemplate } from './templates.js';
import { assertRenderable } from './validate.js';

/**
 * The muttrc block mutt and neomutt share: both read the same variables, so a user whose ~/.muttrc
 * serves both gets one identical block whichever client wrote it (a second write changes nothing).
 */

export function renderMuttrc(a: Account, opts: RenderOptions): string {
  assertRenderable(a, opts);
  // mutt runs the refresh command with `sh -c`: shell-quote the argv, then quote for muttrc.
  const refresh = muttString(shellCommand([opts.bin, 'token', a.name]));
  return wrapBlock(a.name, fillTemplate(loadTemplate('muttrc'), {
    email: muttString(a.email),
    folder: muttString(`${mailUrl('imap', a.imap)}/`),
    refreshCommand: refresh,
    imapAuthenticators: muttString(mechanismOf(a, 'imap')),
    smtpAuthenticators: muttString(mechanismOf(a, 'smtp')),
    smtpUrl: muttString(`${mailUrl('smtp', a.smtp, { user: a.email })}/`),
    // Without it mutt uses the system store; certificate_file also holds certificates accepted at a prompt.
    certificateFile: opts.caFile === undefined ? '' : `set certificate_file = ${muttString(opts.caFile)}`,
  }));
}

/** A muttrc block only sets variables: nothing outside it can clash by name. */
export function mergeMuttrc(existing: string, a: Account, block: string, opts: MergeOptions = {}): MergeResult {
  return mergeBlock(existing, a.name, block, opts);
}

/** Mutt >= 2.0 and NeoMutt 2021-10-15 added XOAUTH2 (`imap_authenticators = "xoauth2"`). */
export const MUTT_XOAUTH2 = 'XOAUTH2 (imap/smtp_authenticators "xoauth2")';

/**
 * mutt 2.2 speaks both, to IMAP and SMTP, named as they are in `imap_authenticators`/`smtp_authenticators`
 * (its manual: "OAUTHBEARER Support", "XOAUTH2 Support").
 */
export const MUTT_SPEAKS = { imap: ['xoauth2', 'oauthbearer'], smtp: ['xoauth2', 'oauthbearer'] } as const;

/**
 * NeoMutt lists OAUTHBEARER too (neomuttrc(5) 20220429), but its OAUTHBEARER path refuses any token line
 * over 512 bytes ("OAUTH token is too big", mutt_account_getoauthbearer; measured with Debian 12's
 * 20220429 and a 600-byte token: no AUTHENTICATE sent, "No authenticators available"). Microsoft's
 * access tokens are 1-3 KB. Only XOAUTH2 is declared, so an OAUTHBEARER-only server gets mutt or aerc.
 */
export const NEOMUTT_SPEAKS = { imap: ['xoauth2'], smtp: ['xoauth2'] } as const;
