import type { Account, TlsMode } from '../account.js';
import { ExitCode, UserError } from '../errors.js';
import { assertHost, assertLogin, assertPort, shellCommand } from './quote.js';

const TLS_FLAG: Record<TlsMode, string> = { implicit: 'ssl', starttls: 'tls' };

/** imapsync 2.229 logs in with a token only by `AUTHENTICATE XOAUTH2` (subs oauthaccesstoken, oauthdirect). */
export const IMAPSYNC_SPEAKS = { imap: ['xoauth2'] } as const;

/**
 * The imapsync command line for one side of a migration, printed for the user to run: `FILE` is the
 * token file `mailoauth export --imapsync FILE` keeps fresh (imapsync reads an existing file named by
 * --oauthaccesstoken1/2 and uses its first line as the token). `otherSide` holds the rest of the command
 * (the other server's options), passed through quoted.
 */
export function imapsyncCommand(a: Account, tokenFile: string,
  opts: { side?: 1 | 2; otherSide?: string[] } = {}): string {
  assertLogin(a.email);
  assertHost(a.imap.host, 'IMAP');
  assertPort(a.imap.port, 'IMAP');
  if (/[\u0000-\u001f\u007f]/.test(tokenFile) || tokenFile === '') {
    throw new UserError(ExitCode.Usage, `The token file name ${JSON.stringify(tokenFile)} is empty or holds control characters.`,
      'Give a plain file name, e.g. --imapsync ~/imapsync-token');
  }
  const n = opts.side ?? 1;
  return shellCommand(['imapsync',
    `--host${n}`, a.imap.host, `--port${n}`, String(a.imap.port), `--${TLS_FLAG[a.imap.tls]}${n}`,
    `--user${n}`, a.email, `--oauthaccesstoken${n}`, tokenFile,
    ...(opts.otherSide ?? [])]);
}
