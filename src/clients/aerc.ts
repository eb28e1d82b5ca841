import type { Account } from '../account.js';
import { mechanismOf } from '../auth/sasl.js';
import { mergeBlock, regexLiteral, unmergeBlock, wrapBlock, type MergeResult } from './block.js';
import { firstExisting, type Client, type MergeOptions, type PathEnv, type RenderOptions } from './client.js';
import { xdgConfigHome } from '../xdg.js';
import type { Prerequisites } from './prerequisites.js';
import { mailUrl } from './mail-url.js';
import { goIniRaw, shellCommand } from './quote.js';
import { fillTemplate, loadTemplate } from './templates.js';
import { assertRenderable } from './validate.js';

/**
 * aerc 0.14 (aerc-imap(5), aerc-smtp(5), aerc-accounts(5)): `imaps+xoauth2://` / `smtp+xoauth2://`
 * (or `+oauthbearer`, the account's mechanism) without oauth2 parameters take the password as the access token, as is, and the *-cred-cmd runs
 * `sh -c` to get it. Without a token_endpoint aerc never refreshes; the token is mailoauth's to keep
 * fresh. The source command runs once at start (config/accounts.go ConnectionString at parse time);
 * the outgoing one before every send once its cache is off.
 */

export function render(a: Account, opts: RenderOptions): string {
  assertRenderable(a, opts);
  // The schemes aerc 0.14's code accepts (worker/imap/configure.go, commands/compose/send.go): the TLS
  // mode's, then `+` and the mechanism; its man page lists only the imaps ones.
  const url = (protocol: 'imap' | 'smtp') => goIniRaw(mailUrl(protocol, a[protocol], { user: a.email, mechanism: mechanismOf(a, protocol) }));
  return wrapBlock(a.name, fillTemplate(loadTemplate('aerc-accounts.conf'), {
    name: a.name,
    source: url('imap'),
    credCmd: goIniRaw(shellCommand([opts.bin, 'token', a.name])),
    outgoing: url('smtp'),
    // 0.14 compares the value with "yes" (send.go); 0.15 and later use STARTTLS for smtp:// anyway and ignore it.
    smtpStarttls: a.smtp.tls === 'starttls' ? 'smtp-starttls = yes' : '',
    from: goIniRaw(a.email),
    // aerc has no CA setting: Go's crypto/tls reads the system store, or the file named by SSL_CERT_FILE.
    caNote: opts.caFile === undefined ? '' : `# aerc trusts the system CA store only; for ${opts.caFile} start it as: SSL_CERT_FILE=<that file> aerc`,
  }));
}

export function merge(existing: string, a: Account, block: string, opts: MergeOptions = {}): MergeResult {
  // go-ini merges a second [NAME] section into the first: aerc would read a mix of both.
  return mergeBlock(existing, a.name, block, { ...opts, definedOutside: [new RegExp(`^\\s*\\[${regexLiteral(a.name)}\\]`)] });
}

/** aerc-accounts(5): $XDG_CONFIG_HOME/aerc/accounts.conf; on macOS its xdg library uses ~/Library/Preferences. */
export function defaultPath(env: PathEnv, exists: (p: string) => boolean): string {
  const xdg = `${xdgConfigHome(env)}/aerc/accounts.conf`;
  return firstExisting([xdg, `${env.HOME}/Library/Preferences/aerc/accounts.conf`], exists, xdg);
}

export function prerequisites(): Prerequisites {
  return {
    program: 'aerc',
    versionArgs: ['-v'],
    versionPattern: /^aerc (\d+\.\d+(?:\.\d+)?)/m,
    minVersion: '0.14.0',
    why: 'aerc 0.14 added outgoing-cred-cmd-cache, which this block turns off so every send gets a fresh token.',
    install: { debian: 'sudo apt-get install aerc', fedora: 'sudo dnf install aerc', arch: 'sudo pacman -S aerc',
      macos: 'brew install aerc' },
    files: [],
  };
}

/** aerc-imap(5) `imaps+oauthbearer`/`imaps+xoauth2`, aerc-smtp(5) `oauthbearer`/`xoauth2`. */
const speaks = { imap: ['xoauth2', 'oauthbearer'], smtp: ['xoauth2', 'oauthbearer'] } as const;

export const aerc: Client = { id: 'aerc', render, merge, unmerge: unmergeBlock, defaultPath, prerequisites, speaks };
