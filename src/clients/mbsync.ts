import type { Account, TlsMode } from '../account.js';
import { mergeBlock, regexLiteral, unmergeBlock, wrapBlock, type MergeResult } from './block.js';
import {
  firstExisting, type Client, type LocalStoreSupport, type MergeOptions, type PathEnv, type RenderOptions,
} from './client.js';
import { maildirOf } from './local-store.js';
import { xdgConfigHome } from '../xdg.js';
import type { Prerequisites } from './prerequisites.js';
import { mbsyncString, shellCommand } from './quote.js';
import { fillTemplate, loadTemplate } from './templates.js';
import { assertRenderable } from './validate.js';

/** isync 1.4 spells it SSLType (1.5 renamed it TLSType and still accepts SSLType). */
const SSL_TYPE: Record<TlsMode, string> = { implicit: 'IMAPS', starttls: 'STARTTLS' };

export function render(a: Account, opts: RenderOptions): string {
  assertRenderable(a, opts);
  const maildir = maildirOf('mbsync', a, opts);
  return wrapBlock(a.name, fillTemplate(loadTemplate('mbsync.rc'), {
    name: a.name,
    imapHost: a.imap.host,
    imapPort: String(a.imap.port),
    user: mbsyncString(a.email),
    // mbsync hands PassCmd to `sh -c`: shell-quote the argv, then quote for mbsyncrc.
    passCmd: mbsyncString(shellCommand([opts.bin, 'token', a.name])),
    sslType: SSL_TYPE[a.imap.tls],
    // mbsync trusts the system store by default; a CA file is only added when one is asked for.
    certificateFile: opts.caFile === undefined ? '' : `CertificateFile ${mbsyncString(opts.caFile)}`,
    path: mbsyncString(`${maildir}/`),
    inbox: mbsyncString(`${maildir}/INBOX`),
  }));
}

/** Objects mbsync requires to be unique: a second one with our names is a config error. */
const definitions = (name: string) => {
  const n = regexLiteral(name);
  return [new RegExp(`^\\s*IMAPAccount\\s+${n}\\s*$`, 'i'), new RegExp(`^\\s*IMAPStore\\s+${n}-remote\\s*$`, 'i'),
    new RegExp(`^\\s*MaildirStore\\s+${n}-local\\s*$`, 'i'), new RegExp(`^\\s*Channel\\s+${n}\\s*$`, 'i')];
};

export function merge(existing: string, a: Account, block: string, opts: MergeOptions = {}): MergeResult {
  return mergeBlock(existing, a.name, block, { ...opts, definedOutside: definitions(a.name) });
}

/** isync 1.5 looks in $XDG_CONFIG_HOME/isyncrc first; 1.4 reads only ~/.mbsyncrc, the default. */
export function defaultPath(env: PathEnv, exists: (p: string) => boolean): string {
  return firstExisting([`${xdgConfigHome(env)}/isyncrc`], exists, `${env.HOME}/.mbsyncrc`);
}

export function prerequisites(): Prerequisites {
  return {
    program: 'mbsync',
    versionArgs: ['--version'],
    versionPattern: /isync (\d+\.\d+(?:\.\d+)?)/,
    minVersion: '1.4.0',
    why: 'mailoauth writes isync 1.4 syntax (Far/Near channels, SubFolders Verbatim).',
    install: { debian: 'sudo apt-get install isync', fedora: 'sudo dnf install isync', arch: 'sudo pacman -S isync',
      macos: 'brew install isync' },
    files: [{
      id: 'sasl-xoauth2',
      what: 'A Cyrus SASL XOAUTH2 plugin',
      why: 'mbsync authenticates through Cyrus SASL, which has no XOAUTH2 of its own; without a plugin mbsync ' +
        'stops with "selected SASL mechanism(s) not available".',
      // Debian's libsasl2-modules-kdexoauth2 installs libkdexoauth2.so; moriyoshi/cyrus-sasl-xoauth2 builds libxoauth2.so.
      dirs: ['/usr/lib/*/sasl2', '/usr/lib/sasl2', '/usr/lib64/sasl2', '/usr/local/lib/sasl2',
        '/opt/homebrew/lib/sasl2'],
      envDirs: 'SASL_PATH',
      file: /^lib(kde)?xoauth2\.(so|dylib)/,
      install: { debian: 'sudo apt-get install libsasl2-modules-kdexoauth2', fedora: 'sudo dnf install cyrus-sasl-xoauth2',
        arch: 'install cyrus-sasl-xoauth2-git from the AUR',
        macos: 'build https://github.com/moriyoshi/cyrus-sasl-xoauth2 against Homebrew cyrus-sasl' },
    }],
  };
}

/** mbsync 1.4 stops with "cannot open store" when the Maildir root is missing; it creates the folders inside. */
export function directories(a: Account, opts: RenderOptions): string[] {
  return [maildirOf('mbsync', a, opts)];
}

/** The MaildirStore's `Path "…/"`, unquoted (mbsyncString escaped backslashes and double quotes). */
export const localStore: LocalStoreSupport = {
  read: (body) => /^Path "((?:[^"\\]|\\.)*)"$/m.exec(body)?.[1]?.replace(/\\(.)/g, '$1'),
  moveNote: 'mbsync keeps its sync state inside the Maildir (SyncState *): in a new, empty directory it downloads ' +
    'everything again and changes nothing on the server.',
};

/**
 * mbsync logs in through Cyrus SASL: a mechanism exists only as a plugin. Debian 12's one OAuth plugin,
 * libsasl2-modules-kdexoauth2, registers XOAUTH2 only; no Debian 12 package ships an OAUTHBEARER plugin.
 */
const speaks = { imap: ['xoauth2'] } as const;

export const mbsync: Client = { id: 'mbsync', render, merge, unmerge: unmergeBlock, defaultPath, prerequisites, directories, localStore, speaks };
