import type { Account } from '../account.js';
import { mechanismOf } from '../auth/sasl.js';
import { mergeBlock, regexLiteral, unmergeBlock, wrapBlock, type MergeResult } from './block.js';
import { firstExisting, type Client, type MergeOptions, type PathEnv, type RenderOptions } from './client.js';
import { xdgConfigHome } from '../xdg.js';
import type { Prerequisites } from './prerequisites.js';
import { msmtpArg, shellCommand } from './quote.js';
import { fillTemplate, loadTemplate } from './templates.js';
import { assertRenderable } from './validate.js';

export function render(a: Account, opts: RenderOptions): string {
  assertRenderable(a, opts);
  return wrapBlock(a.name, fillTemplate(loadTemplate('msmtp.rc'), {
    name: a.name,
    smtpHost: a.smtp.host,
    smtpPort: String(a.smtp.port),
    auth: mechanismOf(a, 'smtp'),
    // Quoted like every other value: the file is sometimes sourced by people's shells and scripts.
    email: msmtpArg(a.email),
    // msmtp runs passwordeval with `sh -c`: shell-quote the argv, then wrap for msmtprc.
    passwordEval: msmtpArg(shellCommand([opts.bin, 'token', a.name])),
    starttls: a.smtp.tls === 'starttls' ? 'on' : 'off',
    // "system" is msmtp's own name for the system CA store (msmtp >= 1.8.2).
    trustFile: opts.caFile === undefined ? 'system' : msmtpArg(opts.caFile),
  }));
}

export function merge(existing: string, a: Account, block: string, opts: MergeOptions = {}): MergeResult {
  // `account NAME` or `account NAME : parent` defines NAME; msmtp rejects a second definition.
  const defines = new RegExp(`^\\s*account\\s+${regexLiteral(a.name)}\\s*(:.*)?$`);
  return mergeBlock(existing, a.name, block, { ...opts, definedOutside: [defines] });
}

/** msmtp(1): ~/.msmtprc is tried first, then $XDG_CONFIG_HOME/msmtp/config. */
export function defaultPath(env: PathEnv, exists: (p: string) => boolean): string {
  const home = `${env.HOME}/.msmtprc`;
  return firstExisting([home, `${xdgConfigHome(env)}/msmtp/config`], exists, home);
}

export function prerequisites(): Prerequisites {
  return {
    program: 'msmtp',
    versionArgs: ['--version'],
    versionPattern: /msmtp version (\d+\.\d+(?:\.\d+)?)/,
    minVersion: '1.8.13',
    why: 'msmtp learned `auth xoauth2` (and passwordeval output long enough for a token) in 1.8.13.',
    install: { debian: 'sudo apt-get install msmtp', fedora: 'sudo dnf install msmtp', arch: 'sudo pacman -S msmtp',
      macos: 'brew install msmtp' },
    files: [],
  };
}

/** msmtp(1) 1.8.23 `auth`: "oauthbearer or its predecessor xoauth2". */
export const MSMTP_SPEAKS = { smtp: ['xoauth2', 'oauthbearer'] } as const;

export const msmtp: Client = { id: 'msmtp', render, merge, unmerge: unmergeBlock, defaultPath, prerequisites, speaks: MSMTP_SPEAKS };
