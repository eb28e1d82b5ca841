import { posix } from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import { managedBlocks } from './block.js';
import type { Account } from '../account.js';
import type { ClientId, RenderOptions } from './client.js';

/**
 * Programs that keep mail in a local Maildir: offlineimap and mbsync sync it both ways, getmail
 * delivers into it. Two of them on one Maildir feed each other's files back to the server as new
 * mail (offlineimap, mbsync, offlineimap turned a 3-message INBOX into 9), so each block gets a
 * store of its own, and a block whose store overlaps another managed block's is refused.
 */

/** One managed block's local store, as found in a config file. */
export interface StoreUse {
  client: ClientId;
  account: string;
  /** The config file that holds the block (symlinks resolved). */
  file: string;
  /** The store as the block writes it (`~/` unexpanded, no trailing slash). */
  store: string;
}

/** `~/Mail/<client>/<account>`: different for every client and account, so two defaults never overlap. */
export const defaultStore = (client: ClientId, accountName: string) => `~/Mail/${client}/${accountName}`;

const trimSlashes = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/**
 * The store a block gets: the one asked for (--maildir); else the one the account's existing block
 * already names, so a rerun never moves anyone's mail (also not from the old shared `~/Mail/ACCOUNT`
 * default); else the client's own default.
 */
export function chooseStore(client: ClientId, accountName: string, given?: string, existing?: string): string {
  return trimSlashes(given ?? existing ?? defaultStore(client, accountName));
}

/** The block's local store: the one given, else the client's own default (`~` is expanded by the programs themselves). */
export const maildirOf = (client: ClientId, a: Pick<Account, 'name'>, opts: Pick<RenderOptions, 'maildir'>) => chooseStore(client, a.name, opts.maildir);

/** Absolute and normalised (lexically): `~/` expanded with `home`, `.`, `..` and repeated slashes resolved. */
export function absoluteStore(store: string, home: string): string {
  const expanded = store === '~' ? home : store.startsWith('~/') ? `${home}${store.slice(1)}` : store;
  return posix.resolve('/', expanded);
}

/** The same directory, or one inside the other: either way one program sees the other's files. */
export function storesOverlap(a: string, b: string): boolean {
  const within = (x: string, y: string) => x === y || x.startsWith(y === '/' ? y : `${y}/`);
  return within(a, b) || within(b, a);
}

/**
 * The first other block whose store overlaps the candidate's (`canonical` turns a store as written
 * into a comparable absolute path). The candidate's own block — same client, account and file, the
 * one being replaced — is not another block.
 */
export function findClash(candidate: StoreUse, uses: StoreUse[], canonical: (store: string) => string): StoreUse | undefined {
  const mine = canonical(candidate.store);
  return uses.find((u) => !(u.client === candidate.client && u.account === candidate.account && u.file === candidate.file)
    && storesOverlap(mine, canonical(u.store)));
}

/** The stores named by every managed block in one config file; `read` takes one client's store out of a block body. */
export function storeUsesIn(client: ClientId, file: string, text: string, read: (body: string) => string | undefined): StoreUse[] {
  return managedBlocks(text).flatMap(({ name, body }) => {
    const store = read(body);
    return store === undefined ? [] : [{ client, account: name, file, store: trimSlashes(store) }];
  });
}

const who = (u: StoreUse) => `${u.client}'s block for ${u.account} (${u.file})`;

/**
 * The refusal: both blocks, why, and the command that gives the candidate a directory of its own.
 * `moveNote` says what pointing that program at another directory does to its sync state.
 */
export function clashError(c: StoreUse, other: StoreUse, suggestion: string, moveNote: string): UserError {
  const clash = c.store === other.store
    ? `${who(c)} would keep its mail in ${c.store}, which ${who(other)} already uses as its local store.`
    : `${who(c)} would keep its mail in ${c.store}, and ${who(other)} keeps its mail in ${other.store}: one is inside the other.`;
  return new UserError(ExitCode.Usage,
    `${clash} Two programs on one Maildir each upload the other's copies to the server as new mail, so mailoauth does not write this block.`,
    `Give ${c.client} a directory of its own: mailoauth config ${c.account} --client ${c.client} --write --maildir ${suggestion}. ${moveNote}`);
}
