import { parseAccess, serializeAccess, accessKeyName, type AccessRecord } from './records.js';
import type { RuntimeCache } from './runtime-cache.js';
import type { SecretStore } from './secret-store.js';

/**
 * An account's store with its access records mirrored in the runtime cache (runtime-cache.ts).
 * Reads of an access record try the cache first and fall back to the store, refilling the cache;
 * every write and delete goes to the store first, then to the cache, so the cache never holds a
 * record the store does not (setup, refresh and remove need not know the cache exists). Every
 * other item (refresh tokens, MSAL's cache) passes straight through and never touches the cache.
 */
export class MirroredStore implements SecretStore {
  constructor(
    private readonly inner: SecretStore,
    private readonly cache: RuntimeCache,
    private readonly now: () => number,
    private readonly log?: (line: string) => void,
  ) {}

  get kind() {
    return this.inner.kind;
  }

  async get(key: string) {
    const name = accessKeyName(key);
    if (name === undefined) return this.inner.get(key);
    const hit = this.cache.read(name);
    if (hit && hit.expiresAt > this.now()) {
      this.log?.(`access record from the runtime cache (${this.cache.path(name)})`);
      return serializeAccess(hit);
    }
    // Never kept past the token's lifetime: whoever finds it expired deletes it.
    if (hit) this.cache.remove(name);
    const text = await this.inner.get(key);
    const rec = parseAccess(text);
    if (rec && rec.expiresAt > this.now()) this.keep(name, rec);
    return text;
  }

  async set(key: string, value: string) {
    await this.inner.set(key, value);
    const name = accessKeyName(key);
    if (name === undefined) return;
    const rec = parseAccess(value);
    if (rec) this.keep(name, rec);
    else this.cache.remove(name);
  }

  async delete(key: string) {
    const deleted = await this.inner.delete(key);
    const name = accessKeyName(key);
    if (name !== undefined) this.cache.remove(name);
    return deleted;
  }

  probe() {
    return this.inner.probe();
  }

  /** A cache that cannot be written (full, removed) costs speed, never the token: the store has it. */
  private keep(name: string, rec: AccessRecord) {
    try {
      this.cache.write(name, rec);
    } catch (e) {
      this.cache.remove(name);
      this.log?.(`runtime cache not written: ${(e as Error).message}`);
    }
  }
}
