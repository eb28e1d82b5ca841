import type { Account } from '../account.js';
import { ExitCode, UserError } from '../errors.js';
import { isConflict, mergeBlock, regexLiteral, unmergeBlock, wrapBlock, type MergeResult } from './block.js';
import {
  firstExisting, type Client, type LocalStoreSupport, type MergeOptions, type PathEnv, type RenderOptions,
} from './client.js';
import { maildirOf } from './local-store.js';
import { xdgConfigHome } from '../xdg.js';
import { addAccount, removeAccount } from './offlineimap-accounts.js';
import type { Prerequisites } from './prerequisites.js';
import { assertNoExpandvars, iniValue, pythonList } from './quote.js';
import { fillTemplate, loadTemplate } from './templates.js';
import { assertRenderable } from './validate.js';

/**
 * offlineimap3 reads `oauth2_access_token_eval` once, when its IMAP repository is built
 * (repository/IMAP.py getoauth2_access_token, called from imapserver.py IMAPServer.__init__), and
 * __xoauth2handler reuses that value for every later login; with no expiry known it never asks again.
 * An autorefresh run would log in with the same token for hours. So the expression yields an object
 * instead of a string: its `strip` (which offlineimap calls once) returns itself, and its `__str__`
 * (used each time the XOAUTH2 string is formatted, i.e. at every login) runs `mailoauth token`, whose
 * cache makes that cheap. The argv is a Python list of str literals: no shell is involved.
 */
export function render(a: Account, opts: RenderOptions): string {
  assertRenderable(a, opts);
  if (a.imap.tls === 'starttls') {
    // imaplib2.starttls() is called without ca_certs (imapserver.py __start_tls), i.e. CERT_NONE, and
    // only when the server offers STARTTLS: the token could go to anyone on the path.
    throw new UserError(ExitCode.Usage,
      `offlineimap does not verify the server certificate with STARTTLS, so mailoauth won't configure ${a.name} ` +
      `on ${a.imap.host}:${a.imap.port} for it.`,
      'Use the IMAPS port (implicit TLS, usually 993): --imap-port 993');
  }
  // Maildir.getlocalroot and IMAP.getsslcacertfile pass both through os.path.expandvars.
  assertNoExpandvars('offlineimap', { Maildir: opts.maildir, 'CA certificate': opts.caFile });
  return wrapBlock(a.name, fillTemplate(loadTemplate('offlineimap.rc'), {
    name: a.name,
    imapHost: a.imap.host,
    imapPort: String(a.imap.port),
    email: iniValue(a.email),
    ssl: 'yes',
    starttls: 'no',
    // offlineimap3's own name for the system CA bundle: it looks up the distribution's file itself
    // (utils/distro_utils.py) and stops with an error when it knows none, never without verifying.
    caFile: opts.caFile === undefined ? 'OS-DEFAULT' : iniValue(opts.caFile),
    tokenArgv: iniValue(pythonList([opts.bin, 'token', a.name])),
    maildir: iniValue(maildirOf('offlineimap', a, opts)),
  }));
}

/** Sections offlineimap's strict ConfigParser allows once: a same-named one outside our block breaks the file. */
const definitions = (name: string) => {
  const n = regexLiteral(name);
  return [new RegExp(`^\\[Account ${n}\\]`), new RegExp(`^\\[Repository ${n}-remote\\]`),
    new RegExp(`^\\[Repository ${n}-local\\]`)];
};

export function merge(existing: string, a: Account, block: string, opts: MergeOptions = {}): MergeResult {
  const r = mergeBlock(existing, a.name, block, { ...opts, definedOutside: definitions(a.name) });
  if (isConflict(r)) return r;
  const text = addAccount(r.text, a.name);
  return { text, changed: text !== existing };
}

export function unmerge(existing: string, accountName: string): MergeResult {
  const r = unmergeBlock(existing, accountName);
  if (isConflict(r)) return r;
  const text = removeAccount(r.text, accountName);
  if (text === undefined) {
    return { conflict: '', reason: `Remove ${accountName} from the "[general] accounts" list by hand: ` +
      'mailoauth does not edit an entry that sits alone on a continuation line.' };
  }
  return { text, changed: text !== existing };
}

/** offlineimap3 (init.py) reads $XDG_CONFIG_HOME/offlineimap/config when it exists, else ~/.offlineimaprc. */
export function defaultPath(env: PathEnv, exists: (p: string) => boolean): string {
  return firstExisting([`${xdgConfigHome(env)}/offlineimap/config`], exists, `${env.HOME}/.offlineimaprc`);
}

export function prerequisites(): Prerequisites {
  return {
    program: 'offlineimap',
    versionArgs: ['--version'],
    versionPattern: /^(?:OfflineIMAP )?v?(\d+\.\d+(?:\.\d+)?)/m,
    minVersion: '8.0.0',
    why: 'offlineimap 7 runs on Python 2 and is unmaintained; offlineimap3 (8.x) is the Python 3 port whose ' +
      'XOAUTH2 and oauth2_access_token_eval handling this block is written for.',
    install: { debian: 'sudo apt-get install offlineimap3', fedora: 'pip install --user offlineimap3 (not packaged)',
      arch: 'install offlineimap3 from the AUR', macos: 'brew install offlineimap' },
    files: [],
  };
}

/** `localfolders = …` in the block's local repository, `%%` read back as `%` (ConfigParser interpolation). */
export const localStore: LocalStoreSupport = {
  read: (body) => /^localfolders = (.*)$/m.exec(body)?.[1]?.replace(/%%/g, '%'),
  moveNote: 'offlineimap keeps its sync state in ~/.offlineimap, outside the Maildir: move the folders along ' +
    '(mv OLD NEW) before its next run, or it takes the missing messages for deleted ones and deletes them on the server.',
};

/** offlineimap3 (Debian 0.0~git20211018): imapserver.py's auth_methods are GSSAPI, XOAUTH2, CRAM-MD5, PLAIN, LOGIN. */
const speaks = { imap: ['xoauth2'] } as const;

export const offlineimap: Client = { id: 'offlineimap', render, merge, unmerge, defaultPath, prerequisites, localStore, speaks };
