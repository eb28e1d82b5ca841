import type { Account } from '../account.js';
import { mergeBlock, regexLiteral, unmergeBlock, wrapBlock, type MergeResult } from './block.js';
import { firstExisting, type Client, type MergeOptions, type PathEnv, type RenderOptions } from './client.js';
import { xdgConfigHome } from '../xdg.js';
import { MSMTP_SPEAKS } from './msmtp.js';
import type { Prerequisites } from './prerequisites.js';
import { gitConfigString, shellCommand } from './quote.js';
import { fillTemplate, loadTemplate } from './templates.js';
import { assertRenderable } from './validate.js';

/**
 * git send-email as an identity: `git send-email --identity=ACCOUNT` reads `sendemail.ACCOUNT.*`.
 * It sends through msmtp (`sendemail.sendmailCmd`, git >= 2.33, run with `sh -c CMD "$@"`), whose
 * block for the same account runs `mailoauth token`. Git's own SMTP client would need XOAUTH2 from
 * Authen::SASL, which has it only since 2.1800 (2025); Debian 12 ships 2.1600, so the token would
 * have nowhere to go.
 */
export function render(a: Account, opts: RenderOptions): string {
  assertRenderable(a, opts);
  return wrapBlock(a.name, fillTemplate(loadTemplate('gitconfig'), {
    name: a.name,
    sendmailCmd: gitConfigString(shellCommand(['msmtp', '-a', a.name])),
    from: gitConfigString(a.email),
  }));
}

export function merge(existing: string, a: Account, block: string, opts: MergeOptions = {}): MergeResult {
  // A second [sendemail "NAME"] would give each key two values; git send-email would take whichever it reads last.
  const section = new RegExp(`^\\s*\\[sendemail\\s+"${regexLiteral(a.name)}"\\]`, 'i');
  return mergeBlock(existing, a.name, block, { ...opts, definedOutside: [section] });
}

/** git-config(1) FILES: ~/.gitconfig, else $XDG_CONFIG_HOME/git/config when only that exists; git itself writes ~/.gitconfig. */
export function defaultPath(env: PathEnv, exists: (p: string) => boolean): string {
  const home = `${env.HOME}/.gitconfig`;
  return firstExisting([home, `${xdgConfigHome(env)}/git/config`], exists, home);
}

export function prerequisites(): Prerequisites {
  return {
    program: 'git',
    versionArgs: ['--version'],
    versionPattern: /git version (\d+\.\d+(?:\.\d+)?)/,
    minVersion: '2.33.0',
    why: 'git 2.33 added sendemail.sendmailCmd, which hands each patch to msmtp.',
    install: { debian: 'sudo apt-get install git', fedora: 'sudo dnf install git', arch: 'sudo pacman -S git', macos: 'brew install git' },
    files: [
      {
        id: 'git-send-email',
        what: 'git send-email',
        why: 'git send-email is packaged apart from git on Debian and Fedora, and needs Perl\'s Mail::Address.',
        part: true,
        dirs: ['/usr/lib/git-core', '/usr/libexec/git-core', '/usr/local/libexec/git-core', '/opt/homebrew/opt/git/libexec/git-core'],
        envDirs: 'GIT_EXEC_PATH',
        file: /^git-send-email$/,
        install: { debian: 'sudo apt-get install git-email libmailtools-perl', fedora: 'sudo dnf install git-email',
          arch: 'sudo pacman -S git perl-mailtools perl-authen-sasl', macos: 'brew install git (it includes send-email)' },
      },
      {
        id: 'msmtp',
        what: 'msmtp',
        why: 'git send-email sends through msmtp, whose block for the account gets the token (mailoauth config ACCOUNT --client msmtp --write).',
        dirs: ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'],
        envDirs: 'PATH',
        file: /^msmtp$/,
        install: { debian: 'sudo apt-get install msmtp', fedora: 'sudo dnf install msmtp', arch: 'sudo pacman -S msmtp', macos: 'brew install msmtp' },
      },
    ],
  };
}

/** It logs in through msmtp's block: what msmtp speaks. */
export const gitSendEmail: Client = { id: 'git-send-email', render, merge, unmerge: unmergeBlock, defaultPath, prerequisites, requires: 'msmtp', speaks: MSMTP_SPEAKS };
