import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { readFileIfExists, unlinkIfExists } from './if-exists.js';
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
    return readFileIfExists(this.path(key));
  }

  async set(key: string, value: string) {
    writeFileAtomic(this.path(key), value, 0o600);
  }

  async delete(key: string) {
    return unlinkIfExists(this.path(key));
  }

  async probe() {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }
}
