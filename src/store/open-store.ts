import type { StoreKind } from '../account.js';
import { envMs } from '../deps.js';
import { ChunkedStore, maxItemChars } from './chunked-store.js';
import { FileStore } from './file-store.js';
import { KeychainStore } from './keychain.js';
import { fileStoreDir } from './paths.js';
import type { SecretStore } from './secret-store.js';

/** The store an account was set up with. MAILOAUTH_KEYCHAIN_MAX_CHARS lets tests force chunking on Linux. */
export function openStore(kind: StoreKind, env: NodeJS.ProcessEnv): SecretStore {
  if (kind === 'file') return new FileStore(fileStoreDir(env));
  const forced = Number(env.MAILOAUTH_KEYCHAIN_MAX_CHARS);
  const max = forced > 0 ? forced : maxItemChars(process.platform);
  const keychain = new KeychainStore(envMs(env, 'MAILOAUTH_KEYCHAIN_TIMEOUT_MS', 2500));
  return Number.isFinite(max) ? new ChunkedStore(keychain, max) : keychain;
}
