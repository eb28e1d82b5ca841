import type { Account } from '../account.js';
import { ExitCode, UserError } from '../errors.js';
import { mergeBlock, unmergeBlock, wrapBlock, type MergeResult } from './block.js';
import { type Client, type LocalStoreSupport, type MergeOptions, type PathEnv, type RenderOptions } from './client.js';
import { maildirOf } from './local-store.js';
import { xdgConfigHome } from '../xdg.js';
import type { Prerequisites } from './prerequisites.js';
import { assertNoExpandvars, pythonTuple } from './quote.js';
import { fillTemplate, loadTemplate } from './templates.js';
import { assertRenderable } from './validate.js';

/**
 * getmail6 6.18 (getmailrc, one retriever per file): `use_xoauth2 = True` sends the password as the
 * XOAUTH2 bearer token, and `password_command` (a Python tuple getmail eval()s, run without a shell,
 * output stripped) supplies it at every run. Its IMAP-over-SSL retriever verifies the server only when
 * `ca_certs` names a file (imaplib's default context checks nothing), so the block always names one.
 * It has no STARTTLS retriever. Values are read by RawConfigParser (no `%` interpolation) and pass
 * through os.path.expandvars/expanduser where they are paths.
 */
export function render(a: Account, opts: RenderOptions): string {
  assertRenderable(a, opts);
  if (a.imap.tls === 'starttls') {
    throw new UserError(ExitCode.Usage,
      `getmail 6 has no IMAP STARTTLS retriever, so mailoauth won't configure ${a.name} on ${a.imap.host}:${a.imap.port} for it ` +
      '(the token would cross the network unencrypted).', 'Use the IMAPS port (implicit TLS, usually 993): --imap-port 993');
  }
  const caFile = opts.caFile ?? opts.systemCaFile;
  if (caFile === undefined) {
    throw new UserError(ExitCode.Usage,
      'getmail verifies the server\'s certificate only against a CA file named in its config, and none of the usual ' +
      'system CA bundles exists here.', 'Name one: mailoauth config ACCOUNT --client getmail --write --ca-file /path/to/ca-bundle.pem');
  }
  const maildir = maildirOf('getmail', a, opts);
  // ConfMaildirPath and ConfFile pass both through os.path.expandvars.
  assertNoExpandvars('getmail', { Maildir: maildir, 'CA certificate': caFile });
  return wrapBlock(a.name, fillTemplate(loadTemplate('getmailrc'), {
    imapHost: a.imap.host,
    imapPort: String(a.imap.port),
    email: a.email,
    passwordCommand: pythonTuple([opts.bin, 'token', a.name]),
    caFile,
    maildir,
  }));
}

/** The sections getmail reads once per file; ConfigParser refuses a second one. */
const SECTIONS = [/^\[retriever\]/, /^\[destination\]/, /^\[options\]/];

export function merge(existing: string, a: Account, block: string, opts: MergeOptions = {}): MergeResult {
  return mergeBlock(existing, a.name, block, { ...opts, definedOutside: SECTIONS });
}

/** getmail 6.18 uses $XDG_CONFIG_HOME/getmail when it exists, else ~/.getmail (and creates neither). */
function getmailDir(env: PathEnv, exists: (p: string) => boolean): string {
  const xdg = `${xdgConfigHome(env)}/getmail`;
  return !exists(xdg) && exists(`${env.HOME}/.getmail`) ? `${env.HOME}/.getmail` : xdg;
}

/** One rc file per account, run with `getmail --rcfile getmailrc-ACCOUNT`. */
export function defaultPath(env: PathEnv, exists: (p: string) => boolean, accountName: string): string {
  return `${getmailDir(env, exists)}/getmailrc-${accountName}`;
}

export function prerequisites(): Prerequisites {
  return {
    program: 'getmail',
    versionArgs: ['--version'],
    versionPattern: /getmail (\d+\.\d+(?:\.\d+)?)/,
    minVersion: '6.0',
    why: 'getmail6 is the maintained Python 3 getmail this block is written for (use_xoauth2 dates from getmail 5.6, ' +
      'which runs only on Python 2).',
    install: { debian: 'sudo apt-get install getmail6', fedora: 'sudo dnf install getmail6', arch: 'sudo pacman -S getmail6',
      macos: 'pipx install getmail6' },
    files: [],
  };
}

/** getmail delivers into `path = …/`; its state (oldmail-*) lives in the getmail directory, not the Maildir. */
export const localStore: LocalStoreSupport = {
  read: (body) => /^path = (.*?)\/?$/m.exec(body)?.[1],
  moveNote: 'getmail only downloads (read_all = false, delete = false): in another directory it receives the messages ' +
    'it has not retrieved yet, and changes nothing on the server.',
  files: (env, exists, listDir) => {
    const dir = getmailDir(env, exists);
    return listDir(dir).filter((f) => f.startsWith('getmailrc') && !f.includes('.mailoauth-bak-')).map((f) => `${dir}/${f}`);
  },
};

/** getmail needs the Maildir and its cur/new/tmp to exist before the first run. */
export function directories(a: Account, opts: RenderOptions): string[] {
  const root = maildirOf('getmail', a, opts);
  return ['cur', 'new', 'tmp'].map((d) => `${root}/${d}`);
}

/** getmail6 6.18: `use_xoauth2` runs imaplib's authenticate('XOAUTH2', ...) (_retrieverbases.py); nothing else takes a token. */
const speaks = { imap: ['xoauth2'] } as const;

export const getmail: Client = { id: 'getmail', render, merge, unmerge: unmergeBlock, defaultPath, prerequisites, directories, localStore, speaks };
