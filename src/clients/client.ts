import type { Account } from '../account.js';
import type { SaslMechanism, SaslProtocol } from '../auth/sasl.js';
import type { MergeResult } from './block.js';
import type { Prerequisites } from './prerequisites.js';

/** What a block needs besides the account: where mailoauth lives and where mail and CAs are. */
export interface RenderOptions {
  /** Absolute path of the mailoauth executable the client will run (`mailoauth token ACCOUNT`). */
  bin: string;
  /** CA bundle to trust. Clients whose default is the system store only name it when given. */
  caFile?: string;
  /** Local Maildir of a program that keeps mail locally; its own `~/Mail/<client>/<name>` when absent. */
  maildir?: string;
  /**
   * The system's CA bundle, found when the block is written, for programs that verify a server only
   * against a file they are given (getmail). Absent when none of the known locations exists.
   */
  systemCaFile?: string;
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
  /** s-nail's rc file, when set (s-nail(1) ENVIRONMENT). */
  MAILRC?: string;
}

export const CLIENT_IDS = ['offlineimap', 'mbsync', 'mutt', 'neomutt', 'msmtp', 'aerc', 'getmail', 'git-send-email', 's-nail'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

/** One mail client: pure decisions only; the writer performs them. */
export interface Client {
  id: ClientId;
  render(account: Account, opts: RenderOptions): string;
  merge(existing: string, account: Account, block: string, opts?: MergeOptions): MergeResult;
  unmerge(existing: string, accountName: string): MergeResult;
  /** Where the block goes, as the program looks for its config; most keep every account in one file, getmail one per account. */
  defaultPath(env: PathEnv, exists: (path: string) => boolean, accountName: string): string;
  prerequisites(): Prerequisites;
  /**
   * The SASL mechanisms the program can log in with, for each server its block uses (the Debian 12
   * version's man page or source; docs/real-services.md "Mail programs"). A block is only written when
   * it covers what the account records (src/clients/sasl-support.ts).
   */
  speaks: Partial<Record<SaslProtocol, readonly SaslMechanism[]>>;
  /** Directories that must exist before the client's first run (`~/` still to be expanded), if any. */
  directories?(account: Account, opts: RenderOptions): string[];
  /** Programs that keep mail in a local Maildir: no two managed blocks may share one (see local-store.ts). */
  localStore?: LocalStoreSupport;
  /** The block uses this client's block for the same account (git send-email sends through msmtp's). */
  requires?: ClientId;
}

export interface LocalStoreSupport {
  /** The store a block of this client names, read back from the block's body (as written). */
  read(blockBody: string): string | undefined;
  /** What pointing this program at another directory does to its sync state (said in the clash fix). */
  moveNote: string;
  /** Every config file that may hold this program's blocks, when that is more than its default file (getmail: one per account). */
  files?(env: PathEnv, exists: (path: string) => boolean, listDir: (dir: string) => string[]): string[];
}

/** First existing candidate, else the given default: how the clients themselves look for their rc file. */
export function firstExisting(candidates: string[], exists: (p: string) => boolean, fallback: string): string {
  return candidates.find((p) => exists(p)) ?? fallback;
}
