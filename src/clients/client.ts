import type { Account } from '../account.js';
import type { MergeResult } from './block.js';
import type { Prerequisites } from './prerequisites.js';

/** What a block needs besides the account: where mailoauth lives and where mail and CAs are. */
export interface RenderOptions {
  /** Absolute path of the mailoauth executable the client will run (`mailoauth token ACCOUNT`). */
  bin: string;
  /** CA bundle to trust. Clients whose default is the system store only name it when given. */
  caFile?: string;
  /** Local Maildir root for offlineimap/mbsync; `~/Mail/<name>` when absent. */
  maildir?: string;
}

export interface MergeOptions {
  /** Replace a block that was edited by hand. */
  force?: boolean;
  /** How the file is named in messages and diffs (its path). */
  label?: string;
}

/** The environment a default config path depends on. */
export interface PathEnv {
  HOME: string;
  XDG_CONFIG_HOME?: string;
}

export const CLIENT_IDS = ['offlineimap', 'mbsync', 'mutt', 'neomutt', 'msmtp'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

/** One mail client: pure decisions only; the writer performs them. */
export interface Client {
  id: ClientId;
  render(account: Account, opts: RenderOptions): string;
  merge(existing: string, account: Account, block: string, opts?: MergeOptions): MergeResult;
  unmerge(existing: string, accountName: string): MergeResult;
  defaultPath(env: PathEnv, exists: (path: string) => boolean): string;
  prerequisites(): Prerequisites;
  /** Directories that must exist before the client's first run (`~/` still to be expanded), if any. */
  directories?(account: Account, opts: RenderOptions): string[];
}

/** The XDG config base: $XDG_CONFIG_HOME when set and absolute (the spec ignores relative ones), else ~/.config. */
export function xdgConfigHome(env: PathEnv): string {
  const x = env.XDG_CONFIG_HOME;
  return x && x.startsWith('/') ? x : `${env.HOME}/.config`;
}

/** First existing candidate, else the given default: how the clients themselves look for their rc file. */
export function firstExisting(candidates: string[], exists: (p: string) => boolean, fallback: string): string {
  return candidates.find((p) => exists(p)) ?? fallback;
}

/** `~/Mail/<name>` unless given: `~` is expanded by offlineimap and mbsync themselves. */
export const maildirOf = (a: Account, opts: RenderOptions) => (opts.maildir ?? `~/Mail/${a.name}`).replace(/\/+$/, '');
