import type { Deps } from './deps.js';

/**
 * A --debug line sink: named steps, never a token. A line may start with a stable key that tests
 * and scripts can match while its prose changes: `token: <cache|refreshed|peer-refreshed>` (the
 * typed outcome, last line of `token --debug`), `lock: ...` (the refresh lock's events) and
 * `session bus: ADDRESS (how it was found)`.
 */
export type Log = (line: string) => void;

/** --debug lines on stderr, timed from this call; undefined without --debug (callers write `log?.(...)`). */
export function debugLog(d: Pick<Deps, 'debug' | 'stderr' | 'now'>): Log | undefined {
  const t0 = d.now();
  return d.debug ? (l: string) => d.stderr.write(`mailoauth [+${d.now() - t0} ms]: ${l}\n`) : undefined;
}
