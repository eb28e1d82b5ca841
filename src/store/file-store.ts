import { readFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { SecretStore } from './secret-store.js';

/**
 * The explicit `--store file` choice: one 0600 file per item in a 0700 directory. One file per item
 * so two accounts refreshing at once never rewrite each other's secrets.
 */
export class FileStore implements SecretStore {
  readonly kind = 'file' as const;
  constructor(private readonly dir: string) {}

  private path(key: string) {
    return join(this.dir, encodeURIComponent(key));
  }

  async get(key: string) {
    try {
      return readFileSync(this.path(key), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async set(key: string, value: string) {
    writeFileAtomic(this.path(key), value, 0o600);
  }

  async delete(key: string) {
    try {
      unlinkSync(this.path(key));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  async probe() {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }
}
