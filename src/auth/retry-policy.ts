/** What one HTTP attempt came to, as far as retrying is concerned. */
export type Outcome =
  | { kind: 'response'; status: number; json: boolean; retryAfterSec?: number }
  | { kind: 'network'; reason: string };

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** A Retry-After longer than this is not waited out: the caller is a mail client on a timer. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 400, maxRetryAfterMs: 10_000 };

/** Transient: the provider may answer properly if asked again. Everything else is its answer. */
export function isTransient(o: Outcome): boolean {
  if (o.kind === 'network') return true;
  return o.status >= 500 || o.status === 429 || !o.json;
}

/** Milliseconds to wait before the next attempt, or undefined to stop here. `attempt` counts from 1. */
export function nextDelay(o: Outcome, attempt: number, p: RetryPolicy): number | undefined {
  if (!isTransient(o) || attempt >= p.attempts) return undefined;
  if (o.kind === 'response' && o.status === 429 && o.retryAfterSec !== undefined) {
    const ms = o.retryAfterSec * 1000;
    return ms <= p.maxRetryAfterMs ? ms : undefined;
  }
  return p.baseDelayMs * 2 ** (attempt - 1);
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - now) / 1000));
}
