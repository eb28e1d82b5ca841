import { readFileSync, unlinkSync } from 'node:fs';

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

/** A file's text, or null when there is no such file (other errors are thrown). */
export function readFileIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (missing(e)) return null;
    throw e;
  }
}

/** Delete a file; false when there was none (other errors are thrown). */
export function unlinkIfExists(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (e) {
    if (missing(e)) return false;
    throw e;
  }
}
