import type { PausePoint } from './test-pause.js';

/**
 * Every MAILOAUTH_* knob, read once by the composition root (real-deps.ts, and the token path's own
 * root) and passed down in Deps: nothing below the root reads the environment for them. Most exist
 * so tests can shorten a deadline; MAILOAUTH_NOTIFY_CMD and MAILOAUTH_DNS_SERVERS are for people too
 * (README). Defaults are the production values.
 */
export interface Tuning {
  /** Every identity-platform request (auth/http-client.ts). */
  http: { timeoutMs: number; attempts: number; retryBaseMs: number; maxRetryAfterMs: number };
  /** The per-account refresh lock (store/lock.ts): how long a caller queues, and when a silent holder counts as dead. */
  lock: { waitMs: number; staleMs: number };
  /**
   * How long the browser flow waits for the redirect (auth/browser-step.ts). Short on purpose: a
   * platform that refuses the request shows the error on its own page and never comes back, so waiting
   * longer only delays the offer of another way to sign in (setup offers paste and device code then).
   */
  browserWaitMs: number;
  /** Device-code polling interval, instead of the server's (tests only); undefined: the server's. */
  devicePollMs?: number;
  /** The OS keychain: per-call deadline, and an item size that forces chunking (tests; else the platform's). */
  keychain: { timeoutMs: number; maxItemChars?: number };
  gpgTimeoutMs: number;
  /** Default deadline of one IMAP or SMTP check (verify, doctor, setup). */
  verifyTimeoutMs: number;
  /** Re-auth alerts: the user's command instead of a desktop notification, and the notification's deadline. */
  notify: { cmd?: string; timeoutMs: number };
  /** DNS servers for provider detection instead of the system's (`ip` or `ip:port`). */
  dnsServers?: string[];
  /** TEST-ONLY: where a refresh stops so a test can kill it (test-pause.ts). */
  testPauseAt?: PausePoint;
}

/** Milliseconds from an env knob: a non-negative number, else the default (an empty or bad value is ignored). */
export function envMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

const optionalMs = (env: NodeJS.ProcessEnv, name: string): number | undefined => {
  const n = envMs(env, name, Number.NaN);
  return Number.isNaN(n) ? undefined : n;
};

const PAUSE_POINTS: readonly PausePoint[] = ['before-request', 'after-response', 'after-refresh-token', 'after-store'];

/** MAILOAUTH_DNS_SERVERS=127.0.0.1:5353,10.0.0.1 → ['127.0.0.1:5353', '10.0.0.1']. */
function list(v: string | undefined): string[] | undefined {
  const items = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

/** The knobs from an environment; pure. Every MAILOAUTH_* variable the program reads is named here. */
export function tuningFrom(env: NodeJS.ProcessEnv): Tuning {
  const maxChars = Number(env.MAILOAUTH_KEYCHAIN_MAX_CHARS);
  const pause = env.MAILOAUTH_TEST_PAUSE_AT as PausePoint | undefined;
  return {
    http: {
      timeoutMs: envMs(env, 'MAILOAUTH_HTTP_TIMEOUT_MS', 10_000),
      attempts: Math.max(1, Math.floor(envMs(env, 'MAILOAUTH_HTTP_ATTEMPTS', 3))),
      retryBaseMs: envMs(env, 'MAILOAUTH_RETRY_BASE_MS', 400),
      maxRetryAfterMs: envMs(env, 'MAILOAUTH_MAX_RETRY_AFTER_MS', 10_000),
    },
    lock: { waitMs: envMs(env, 'MAILOAUTH_LOCK_WAIT_MS', 90_000), staleMs: envMs(env, 'MAILOAUTH_LOCK_STALE_MS', 10_000) },
    browserWaitMs: envMs(env, 'MAILOAUTH_BROWSER_TIMEOUT_MS', 120_000),
    devicePollMs: optionalMs(env, 'MAILOAUTH_DEVICE_POLL_MS'),
    keychain: {
      timeoutMs: envMs(env, 'MAILOAUTH_KEYCHAIN_TIMEOUT_MS', 2500),
      ...(maxChars > 0 ? { maxItemChars: maxChars } : {}),
    },
    gpgTimeoutMs: envMs(env, 'MAILOAUTH_GPG_TIMEOUT_MS', 10_000),
    verifyTimeoutMs: envMs(env, 'MAILOAUTH_VERIFY_TIMEOUT_MS', 20_000),
    notify: { ...(env.MAILOAUTH_NOTIFY_CMD ? { cmd: env.MAILOAUTH_NOTIFY_CMD } : {}), timeoutMs: envMs(env, 'MAILOAUTH_NOTIFY_TIMEOUT_MS', 2000) },
    dnsServers: list(env.MAILOAUTH_DNS_SERVERS),
    ...(pause && PAUSE_POINTS.includes(pause) ? { testPauseAt: pause } : {}),
  };
}
