import * as fs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Account } from '../account.js';
import { ExitCode, UserError } from '../errors.js';
import { CLIENT_IDS, CLIENTS, type ClientId, type PathEnv } from './index.js';
import {
  absoluteStore, chooseStore, clashError, defaultStore, findClash, storesOverlap, storeUsesIn, type StoreUse,
} from './local-store.js';

/**
 * The file-system side of local-store.ts: which store a block gets, and whether another managed block
 * (any account, any program that keeps mail locally) already uses it. The decisions are the pure
 * functions there; this reads the config files and resolves symlinks.
 */

/** A config file as one path, whichever way it was named (symlinks resolved where they exist). */
export function realFile(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** An absolute store with symlinks resolved in the part that exists (`~/Mail` may be a link to another disk). */
function realStore(store: string, home: string): string {
  const abs = absoluteStore(store, home);
  const rest: string[] = [];
  for (let p = abs; ; p = dirname(p)) {
    try {
      return join(fs.realpathSync(p), ...rest.reverse());
    } catch {
      if (p === dirname(p)) return abs;
      rest.push(basename(p));
    }
  }
}

const listDir = (dir: string) => {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
};

/** Every managed block's store in every config file of a program that keeps mail locally, plus `extra`. */
export function storeUses(env: PathEnv, accountName: string, extra: { client: ClientId; file: string }): StoreUse[] {
  const exists = (p: string) => fs.existsSync(p);
  const files = CLIENT_IDS.flatMap((id) => {
    const support = CLIENTS[id].localStore;
    if (!support) return [];
    const found = support.files?.(env, exists, listDir) ?? [CLIENTS[id].defaultPath(env, exists, accountName)];
    return found.map((file) => ({ client: id, file }));
  });
  const seen = new Set<string>();
  return [...files, extra].flatMap(({ client, file }) => {
    const real = realFile(file);
    const key = `${client}\0${real}`;
    const read = CLIENTS[client].localStore?.read;
    if (seen.has(key) || !read) return [];
    seen.add(key);
    let text: string;
    try {
      text = fs.readFileSync(real, 'utf8');
    } catch {
      return []; // missing or unreadable: it holds no block mailoauth could have written
    }
    return storeUsesIn(client, real, text, read);
  });
}

/**
 * The store ACCOUNT's block for `client` gets when written to `path` (now holding `text`): --maildir,
 * else what its existing block names, else the default. Refused when another block's store overlaps
 * it. `warnings` says when --maildir moves an existing block's store.
 */
export function decideLocalStore(env: PathEnv, account: Account, client: ClientId, path: string, text: string,
  given: string | undefined): { store: string; warnings: string[] } {
  const support = CLIENTS[client].localStore;
  if (!support) throw new Error(`${client} keeps no local mail store`);
  const file = realFile(path);
  const existing = storeUsesIn(client, file, text, support.read).find((u) => u.account === account.name)?.store;
  const store = chooseStore(client, account.name, given, existing);
  const canonical = (s: string) => realStore(s, env.HOME);
  const candidate: StoreUse = { client, account: account.name, file, store };
  const clash = findClash(candidate, storeUses(env, account.name, { client, file: path }), canonical);
  if (clash) {
    const fallback = defaultStore(client, account.name);
    const fits = !storesOverlap(canonical(fallback), canonical(clash.store));
    throw clashError(candidate, clash, fits ? fallback : 'DIR', support.moveNote);
  }
  const warnings = existing !== undefined && canonical(existing) !== canonical(store)
    ? [`${client}'s mail for ${account.name} moves from ${existing} to ${store}. ${support.moveNote}`]
    : [];
  return { store, warnings };
}

/**
 * `setup --maildir DIR` names one directory: with two programs that keep mail locally it would be
 * their shared store. Refused before anyone signs in.
 */
export function assertOneStorePerMaildir(clients: ClientId[], maildir: string | undefined): void {
  const local = clients.filter((c) => CLIENTS[c].localStore);
  if (maildir === undefined || local.length < 2) return;
  throw new UserError(ExitCode.Usage,
    `--maildir ${maildir} would be the local store of ${local.join(' and ')} at once; two programs on one Maildir ` +
    'each upload the other\'s copies to the server as new mail.',
    `Leave --maildir out (each gets its own ~/Mail/PROGRAM/ACCOUNT), or set up with --clients ${local[0]} --maildir ${maildir}, ` +
    `then: mailoauth config ACCOUNT --client ${local[1]} --write --maildir ANOTHER_DIR`);
}
