import type { Account, StoreKind } from '../account.js';
import type { Log } from '../debug-log.js';
import type { Tuning } from '../tuning.js';
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

/** What opening a store needs from the edges (Deps has all of it). */
export interface StoreDeps {
  env: NodeJS.ProcessEnv;
  tuning: Pick<Tuning, 'keychain' | 'gpgTimeoutMs'>;
  now(): number;
  /** stdin and stderr are a terminal: gpg may ask for a passphrase. */
  canPrompt: boolean;
}

type Opener = (s: StoreSpec, d: StoreDeps, log?: Log) => SecretStore;

/** One row per store kind; the keyring addon and gpg are started only when an item is read or written. */
const STORES: Record<StoreKind, Opener> = {
  keychain: (_, d, log) => {
    // Tests force chunking on Linux with MAILOAUTH_KEYCHAIN_MAX_CHARS.
    const max = d.tuning.keychain.maxItemChars ?? maxItemChars(process.platform);
    const keychain = new KeychainStore({ env: d.env, timeoutMs: d.tuning.keychain.timeoutMs, log });
    return Number.isFinite(max) ? new ChunkedStore(keychain, max) : keychain;
  },
  file: (_, d) => new FileStore(fileStoreDir(d.env)),
  gpg: (s, d) =>
    new GpgStore(gpgStoreDir(d.env), {
      recipient: s.gpgRecipient,
      run: gpgRunner(d.env),
      mayPrompt: Boolean(d.canPrompt || d.env.DISPLAY || d.env.WAYLAND_DISPLAY),
      timeoutMs: d.tuning.gpgTimeoutMs,
    }),
};

/**
 * The store an account was set up with, its access records mirrored in the runtime cache when the
 * user has a memory-backed runtime directory (runtime-cache.ts). `log`: --debug lines (which bus,
 * where a token came from); never a secret.
 */
export function openStore(spec: StoreKind | StoreSpec, d: StoreDeps, log?: Log): SecretStore {
  const s: StoreSpec = typeof spec === 'string' ? { store: spec } : spec;
  const inner = (STORES[s.store] ?? STORES.keychain)(s, d, log);
  const where = runtimeCacheDir(d.env);
  if (!where.ok) {
    log?.(`runtime cache: none (${where.why})`);
    return inner;
  }
  return new MirroredStore(inner, new RuntimeCache(where.dir, configDir(d.env)), d.now, log);
}

/** For people: where this account's refresh token is kept; `detail` adds how. */
export function storeName(s: StoreSpec, detail = false): string {
  const names: Record<StoreKind, [string, string]> = { keychain: ['OS keychain', 'service mailoauth'], file: ['file store', '0600'], gpg: ['gpg store', `encrypted to ${s.gpgRecipient}`] };
  const [name, how] = names[s.store];
  return detail ? `${name} (${how})` : name;
}
