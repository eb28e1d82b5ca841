import type { Client, PathEnv } from './client.js';
import { firstExisting } from './client.js';
import { xdgConfigHome } from '../xdg.js';
import { MUTT_SPEAKS, MUTT_XOAUTH2, mergeMuttrc, renderMuttrc } from './muttrc.js';
import { unmergeBlock } from './block.js';
import type { Prerequisites } from './prerequisites.js';

export const render = renderMuttrc;
export const merge = mergeMuttrc;
export const unmerge = unmergeBlock;

/** mutt(1) reads the first of ~/.muttrc, ~/.mutt/muttrc, $XDG_CONFIG_HOME/mutt/muttrc. */
export function defaultPath(env: PathEnv, exists: (p: string) => boolean): string {
  const home = `${env.HOME}/.muttrc`;
  return firstExisting([home, `${env.HOME}/.mutt/muttrc`, `${xdgConfigHome(env)}/mutt/muttrc`], exists, home);
}

export function prerequisites(): Prerequisites {
  return {
    program: 'mutt',
    versionArgs: ['-v'],
    versionPattern: /^Mutt (\d+\.\d+(?:\.\d+)?)/m,
    minVersion: '2.0.0',
    why: `Mutt 2.0 added ${MUTT_XOAUTH2}; older versions only know OAUTHBEARER, which Microsoft does not offer.`,
    install: { debian: 'sudo apt-get install mutt', fedora: 'sudo dnf install mutt', arch: 'sudo pacman -S mutt',
      macos: 'brew install mutt' },
    files: [],
  };
}

export const mutt: Client = { id: 'mutt', render, merge, unmerge, defaultPath, prerequisites, speaks: MUTT_SPEAKS };
