import type { SecretStore } from './secret-store.js';

/**
 * Windows Credential Manager caps one item at 2,560 bytes, stored as UTF-16: 1,280 characters, less
 * than one Microsoft access token. Values over the cap are split into generation-tagged chunk items,
 * then a small header naming the generation is written last, so a crash mid-write leaves the old
 * header pointing at old, intact chunks. Below the cap (always, on Linux and macOS) a value is one
 * item and one read.
 */
export const WINDOWS_MAX_CHARS = 1200;
const HEADER = 'mailoauth-chunks:v1:';

export function maxItemChars(platform: NodeJS.Platform): number {
  return platform === 'win32' ? WINDOWS_MAX_CHARS : Number.POSITIVE_INFINITY;
}

interface Header {
  gen: string;
  count: number;
  sha: string;
}

export function parseHeader(value: string): Header | undefined {
  if (!value.startsWith(HEADER)) return undefined;
  const [gen, count, sha] = value.slice(HEADER.length).split(':');
  const n = Number(count);
  if (!gen || !sha || !Number.isInteger(n) || n < 1 || n > 64) return undefined;
  return { gen, count: n, sha };
}

const chunkKey = (key: string, gen: string, i: number) => `${key}#${gen}.${i}`;
// node:crypto only where a value is chunked (Windows): every other command that opens a store skips its load.
const crypto = () => import('node:crypto');
const sha = async (s: string) => (await crypto()).createHash('sha256').update(s).digest('hex').slice(0, 16);

export class ChunkedStore implements SecretStore {
  constructor(
    private readonly inner: SecretStore,
    private readonly maxChars: number,
  ) {}

  get kind() {
    return this.inner.kind;
  }

  async get(key: string) {
    const head = await this.inner.get(key);
    if (head === null) return null;
    const h = parseHeader(head);
    if (!h) return head;
    const parts: string[] = [];
    for (let i = 0; i < h.count; i++) {
      const part = await this.inner.get(chunkKey(key, h.gen, i));
      if (part === null) return null;
      parts.push(part);
    }
    const value = parts.join('');
    return (await sha(value)) === h.sha ? value : null;
  }

  async set(key: string, value: string) {
    const old = await this.oldHeader(key);
    if (value.length <= this.maxChars && !value.startsWith(HEADER)) {
      await this.inner.set(key, value);
    } else {
      const size = Number.isFinite(this.maxChars) ? this.maxChars : value.length;
      const gen = (await crypto()).randomBytes(3).toString('hex');
      const count = Math.max(1, Math.ceil(value.length / size));
      for (let i = 0; i < count; i++) await this.inner.set(chunkKey(key, gen, i), value.slice(i * size, (i + 1) * size));
      await this.inner.set(key, `${HEADER}${gen}:${count}:${await sha(value)}`);
    }
    if (old) await this.deleteChunks(key, old);
  }

  async delete(key: string) {
    const old = await this.oldHeader(key);
    const deleted = await this.inner.delete(key);
    if (old) await this.deleteChunks(key, old);
    return deleted;
  }

  probe() {
    return this.inner.probe();
  }

  private async oldHeader(key: string) {
    const head = await this.inner.get(key);
    return head === null ? undefined : parseHeader(head);
  }

  private async deleteChunks(key: string, h: Header) {
    for (let i = 0; i < h.count; i++) await this.inner.delete(chunkKey(key, h.gen, i));
  }
}
