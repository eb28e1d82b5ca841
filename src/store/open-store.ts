import type { Account, StoreKind } from '../account.js';
import { envMs } from '../deps.js';
import { ChunkedStore, maxItemChars } from './chunked-store.js';
import { FileStore } from './file-store.js';
import { gpgRunner } from './gpg-run.js';
import { GpgStore } from './gpg-store.js';
import { KeychainStore } from './keychain.js';
import { MirroredStore } from './mirrored-store.js';
import { configDir, fileStoreDir, gpgStoreDir } from './paths.js';
import { RuntimeCache, runtimeCacheDir } from './runtime-cache.js';
import type { SecretStore } from './secret-store.js';

export type StoreSpec = Pick<Account, 'store' | 'gpgRecipient'>;

export interface OpenOptions {
  now?: () => number;
  /** --debug lines (which bus, where a token came from); never a secret. */
  log?: (line: string) => void;
  /** stdin and stderr are a terminal: gpg may ask for a passphrase. */
  interactive?: boolean;
}

type Opener = (s: StoreSpec, env: NodeJS.ProcessEnv, o: OpenOptions) => SecretStore;

/** One row per store kind; the keyring addon and gpg are started only when an item is read or written. */
const STORES: Record<StoreKind, Opener> = {
  keychain: (_, env, o) => {
    // MAILOAUTH_KEYCHAIN_MAX_CHARS lets tests force chunking on Linux.
    const forced = Number(env.MAILOAUTH_KEYCHAIN_MAX_CHARS);
    const max = forced > 0 ? forced : maxItemChars(process.platform);
    const keychain = new KeychainStore(envMs(env, 'MAILOAUTH_KEYCHAIN_TIMEOUT_MS', 2500), undefined, { env, log: o.log });
    return Number.isFinite(max) ? new ChunkedStore(keychain, max) : keychain;
  },
  file: (_, env) => new FileStore(fileStoreDir(env)),
  gpg: (s, env, o) =>
    new GpgStore(gpgStoreDir(env), {
      recipient: s.gpgRecipient,
      run: gpgRunner(env),
      mayPrompt: Boolean(o.interactive || env.DISPLAY || env.WAYLAND_DISPLAY),
      timeoutMs: envMs(env, 'MAILOAUTH_GPG_TIMEOUT_MS', 10_000),
    }),
};

/**
 * The store an account was set up with, its access records mirrored in the runtime cache when the
 * user has a memory-backed runtime directory (runtime-cache.ts).
 */
export function openStore(spec: StoreKind | StoreSpec, env: NodeJS.ProcessEnv, o: OpenOptions = {}): SecretStore {
  const s: StoreSpec = typeof spec === 'string' ? { store: spec } : spec;
  const inner = (STORES[s.store] ?? STORES.keychain)(s, env, o);
  const where = runtimeCacheDir(env);
  if (!where.ok) {
    o.log?.(`runtime cache: none (${where.why})`);
    return inner;
  }
  return new MirroredStore(inner, new RuntimeCache(where.dir, configDir(env)), o.now ?? Date.now, o.log);
}

/** For people: where this account's refresh token is kept; `detail` adds how. */
export function storeName(s: StoreSpec, detail = false): string {
  const names: Record<StoreKind, [string, string]> = { keychain: ['OS keychain', 'service mailoauth'], file: ['file store', '0600'], gpg: ['gpg store', `encrypted to ${s.gpgRecipient}`] };
  const [name, how] = names[s.store];
  return detail ? `${name} (${how})` : name;
}
