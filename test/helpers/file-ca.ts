import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { makeTestCa, type TestCa } from '../fixtures/tls.js';

export interface FileCa {
  /** The temp dir the CA lives in (removed after the file's tests). */
  dir: string;
  ca: TestCa;
  /** The CA certificate, for a client's `ca` option. */
  caPem: Buffer;
}

/** A throwaway CA in its own temp dir for one test file: made before its tests, removed after them. */
export function caPerFile(prefix: string): FileCa {
  const f = {} as FileCa;
  beforeAll(async () => {
    f.dir = await mkdtemp(join(tmpdir(), prefix));
    f.ca = await makeTestCa(join(f.dir, 'tls'));
    f.caPem = readFileSync(f.ca.caFile);
  });
  afterAll(async () => {
    if (f.dir) await rm(f.dir, { recursive: true, force: true });
  });
  return f;
}
