import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest globalSetup: one memory directory (/dev/shm) holds every test's XDG_RUNTIME_DIR
 * (helpers/cli.ts runtimeDir), removed when the run ends. Workers are ended without their `exit`
 * handlers running, so they cannot clean up after themselves; the run's main process can.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'mailoauth-tests-'));
  process.env.MAILOAUTH_TEST_RUNTIME_ROOT = root;
  return () => rmSync(root, { recursive: true, force: true });
}
