import type { Client, PathEnv } from './client.js';
import { firstExisting } from './client.js';
import { xdgConfigHome } from '../xdg.js';
import { MUTT_XOAUTH2, NEOMUTT_SPEAKS, mergeMuttrc, renderMuttrc } from './muttrc.js';
import { unmergeBlock } from './block.js';
import type { Prerequisites } from './prerequisites.js';

export const render = renderMuttrc;
export const merge = mergeMuttrc;
export const unmerge = unmergeBlock;

/**
 * neomutt(1) FILES: the first existing of these is read; with none, mailoauth creates the first
 * (NeoMutt's own XDG location).
 */
export function defaultPath(env: PathEnv, exists: (p: string) => boolean): string {
  const xdg = xdgConfigHome(env);
  const h = env.HOME;
  const candidates = [`${xdg}/neomutt/neomuttrc`, `${xdg}/neomutt/muttrc`, `${xdg}/mutt/neomuttrc`, `${xdg}/mutt/muttrc`,
    `${h}/.neomutt/neomuttrc`, `${h}/.neomutt/muttrc`, `${h}/.mutt/neomuttrc`, `${h}/.mutt/muttrc`,
    `${h}/.neomuttrc`, `${h}/.muttrc`];
  return firstExisting(candidates, exists, candidates[0]!);
}

export function prerequisites(): Prerequisites {
  return {
    program: 'neomutt',
    versionArgs: ['-v'],
    versionPattern: /^NeoMutt (\d{8})/m,
    minVersion: '20211015',
    why: `NeoMutt 2021-10-15 added ${MUTT_XOAUTH2}; older versions only know OAUTHBEARER, which Microsoft does not offer.`,
    install: { debian: 'sudo apt-get install neomutt', fedora: 'sudo dnf install neomutt', arch: 'sudo pacman -S neomutt',
      macos: 'brew install neomutt' },
    files: [],
  };
}

export const neomutt: Client = { id: 'neomutt', render, merge, unmerge, defaultPath, prerequisites, speaks: NEOMUTT_SPEAKS };
