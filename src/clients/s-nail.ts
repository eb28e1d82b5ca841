import type { Account } from '../account.js';
import { mergeBlock, regexLiteral, unmergeBlock, wrapBlock, type MergeResult } from './block.js';
import type { Client, MergeOptions, PathEnv, RenderOptions } from './client.js';
import type { Prerequisites } from './prerequisites.js';
import { mailUrl } from './mail-url.js';
import { shellCommand, snailString } from './quote.js';
import { fillTemplate, loadTemplate } from './templates.js';
import { assertRenderable } from './validate.js';

/**
 * s-nail 14.9 (s-nail(1): "But, how about XOAUTH2 / OAUTHBEARER?", "On URL syntax and credential
 * lookup"): with v15-compat, `smtp-auth`/`imap-auth=oauthbearer` send the password as a bearer token
 * (over the wire as XOAUTH2, which the Debian 14.9.24 build sends to SMTP and IMAP alike). s-nail has
 * no password command, so the account runs `mailoauth token` itself when it is activated (`vput !`,
 * through the shell) and sets it as the password of both servers (`password-HOST:PORT`, a name that
 * needs no quoting, unlike the `USER@HOST` form). Accounts keep their settings local (localopts).
 */

export function render(a: Account, opts: RenderOptions): string {
  assertRenderable(a, opts);
  return wrapBlock(a.name, fillTemplate(loadTemplate('mailrc'), {
    name: a.name,
    from: snailString(a.email),
    mta: snailString(mailUrl('smtp', a.smtp, { user: a.email })),
    smtpStarttls: a.smtp.tls === 'starttls' ? 'set smtp-use-starttls' : '',
    inbox: snailString(mailUrl('imap', a.imap, { user: a.email })),
    imapStarttls: a.imap.tls === 'starttls' ? 'set imap-use-starttls' : '',
    // Without it s-nail uses OpenSSL's default CA locations (the system store).
    caFile: opts.caFile === undefined ? '' : `wysh set tls-ca-file=${snailString(opts.caFile)}`,
    tokenCommand: shellCommand([opts.bin, 'token', a.name]),
    smtpHost: `${a.smtp.host}:${a.smtp.port}`,
    imapHost: `${a.imap.host}:${a.imap.port}`,
  }));
}

export function merge(existing: string, a: Account, block: string, opts: MergeOptions = {}): MergeResult {
  // A second `account NAME` replaces the first: s-nail would use whichever comes last.
  return mergeBlock(existing, a.name, block, { ...opts, definedOutside: [new RegExp(`^\\s*account\\s+${regexLiteral(a.name)}\\s*\\{`)] });
}

/** s-nail(1) ENVIRONMENT: $MAILRC, else ~/.mailrc (for root always the passwd home's). */
export function defaultPath(env: PathEnv): string {
  return env.MAILRC && env.MAILRC.startsWith('/') ? env.MAILRC : `${env.HOME}/.mailrc`;
}

export function prerequisites(): Prerequisites {
  return {
    program: 's-nail',
    versionArgs: ['-V'],
    versionPattern: /s-nail v?(\d+\.\d+(?:\.\d+)?)/i,
    minVersion: '14.9.14',
    why: 's-nail 14.9.14 added XOAUTH2/OAUTHBEARER authentication; BSD mailx and heirloom mailx have none.',
    install: { debian: 'sudo apt-get install s-nail', fedora: 'sudo dnf install s-nail', arch: 'sudo pacman -S s-nail',
      macos: 'brew install s-nail' },
    files: [],
  };
}

/** The Debian 14.9.24 build sends only `AUTH XOAUTH2` and `AUTHENTICATE XOAUTH2` for its "oauthbearer" method (its binary's strings). */
const speaks = { imap: ['xoauth2'], smtp: ['xoauth2'] } as const;

export const sNail: Client = { id: 's-nail', render, merge, unmerge: unmergeBlock, defaultPath, prerequisites, speaks };
