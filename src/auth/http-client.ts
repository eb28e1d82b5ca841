import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Tuning } from '../tuning.js';
import { DEFAULT_RETRY, nextDelay, parseRetryAfter, type Outcome, type RetryPolicy } from './retry-policy.js';
import { httpRequest, type RawResponse } from './http-request.js';

/** The last thing the identity platform said (or failed to say); MSAL's own errors drop most of it. */
export interface Exchange {
  method: string;
  url: string;
  outcome: Outcome;
  /** Parsed JSON body of the final answer, when there was one. */
  body?: unknown;
  /** The raw text, kept short, for "unknown error" reports. */
  text?: string;
  attempts: number;
}

export class TransientHttpError extends Error {
  constructor(readonly exchange: Exchange) {
    super(`${exchange.method} ${stripQuery(exchange.url)}: ${describeOutcome(exchange.outcome)} after ${exchange.attempts} attempt(s)`);
    this.name = 'TransientHttpError';
  }
}

export function describeOutcome(o: Outcome): string {
  if (o.kind === 'network') return o.reason;
  return `HTTP ${o.status}${o.json ? '' : ' with a body that is not JSON'}`;
}

const stripQuery = (url: string) => url.split('?')[0] ?? url;

export interface HttpClientOptions {
  timeoutMs: number;
  retry?: RetryPolicy;
  log?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * MSAL's network seam (`system.networkClient`): one request (httpRequest) with a deadline per attempt, bounded retries
 * for transient failures (resets, timeouts, 5xx, 429 + Retry-After, bodies that are not JSON), and a
 * record of the last exchange so errors can be diagnosed with the server's own words.
 * The debug log names methods, paths and statuses only: never a body, so never a token.
 */
export class RecordingHttpClient implements INetworkModule {
  last?: Exchange;
  /** Successful GET bodies by URL (the OpenID document is kept for later refreshes). */
  readonly fetched = new Map<string, unknown>();
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: HttpClientOptions) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const r = await this.attempt(method, url, options);
      this.opts.log?.(`${method} ${stripQuery(url)} → ${describeOutcome(r.outcome)} in ${Date.now() - started} ms (attempt ${attempt})`);
      this.last = { method, url, outcome: r.outcome, body: r.body, text: r.text?.slice(0, 2000), attempts: attempt };
      const delay = nextDelay(r.outcome, attempt, this.retry);
      if (delay === undefined) {
        if (r.outcome.kind === 'response' && r.outcome.json && r.outcome.status < 500 && r.outcome.status !== 429) {
          if (method === 'GET' && r.outcome.status === 200) this.fetched.set(url, r.body);
          return { status: r.outcome.status, headers: r.headers, body: r.body as T };
        }
        throw new TransientHttpError(this.last);
      }
      this.opts.log?.(`retrying in ${delay} ms`);
      await this.sleep(delay);
    }
  }

  private async attempt(method: string, url: string, options?: NetworkRequestOptions) {
    let res: RawResponse;
    try {
      res = await httpRequest(method, url, { headers: options?.headers, body: method === 'POST' ? options?.body : undefined, timeoutMs: this.opts.timeoutMs });
    } catch (e) {
      return { outcome: { kind: 'network', reason: networkReason(e, this.opts.timeoutMs) } as Outcome, headers: {} };
    }
    let body: unknown;
    let json = false;
    try {
      body = JSON.parse(res.text);
      json = typeof body === 'object' && body !== null;
    } catch {
      /* an HTML error page or a truncated answer */
    }
    const outcome: Outcome = { kind: 'response', status: res.status, json, retryAfterSec: parseRetryAfter(res.headers['retry-after'] ?? null, Date.now()) };
    return { outcome, headers: res.headers, body, text: res.text };
  }
}

/** The client every identity-platform call uses: deadline and retries from the knobs tests shorten. */
export function httpClientFor(t: Pick<Tuning, 'http'>, log?: (line: string) => void): RecordingHttpClient {
  return new RecordingHttpClient({
    timeoutMs: t.http.timeoutMs,
    log,
    retry: { attempts: t.http.attempts, baseDelayMs: t.http.retryBaseMs, maxRetryAfterMs: t.http.maxRetryAfterMs },
  });
}

function networkReason(e: unknown, timeoutMs: number): string {
  const err = e as Error & { code?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || err.code === 'TIMEOUT') return `no answer within ${timeoutMs} ms`;
  const code = err.code ?? err.cause?.code;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was reset';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name did not resolve (offline?)';
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS certificate not trusted (${code}; a private CA goes in NODE_EXTRA_CA_CERTS)`;
  return err.cause?.message ?? err.message;
}
