import type { IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** A network failure with the reason a person can act on (see networkReason). */
export class RequestFailed extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * The most an identity platform's answer may hold. Token and discovery replies are a few KiB; a
 * flooding server must not grow the process without bound (a 600 MB body once took it to 4.4 GB).
 */
export const MAX_RESPONSE_BYTES = 1 << 20;

/**
 * One HTTP(S) exchange with node:http/node:https and a deadline over the whole of it (connect, TLS,
 * request, response body). Not fetch: Node's fetch parses HTTP with a WebAssembly module that V8
 * goes on optimising in the background, and the process may not exit until that finishes —
 * measured at 170–280 ms after `mailoauth token` had printed its token on the refresh path.
 */
export async function httpRequest(
  method: string,
  url: string,
  o: { headers?: Record<string, string>; body?: string; timeoutMs: number; maxBytes?: number },
): Promise<RawResponse> {
  const maxBytes = o.maxBytes ?? MAX_RESPONSE_BYTES;
  const u = new URL(url);
  const mod = u.protocol === 'http:' ? await import('node:http') : await import('node:https');
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method, headers: o.headers });
    const timer = setTimeout(() => req.destroy(new RequestFailed(`no answer within ${o.timeoutMs} ms`, 'TIMEOUT')), o.timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(e);
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          // Stop reading: the connection goes, and the caller treats it as a failed attempt.
          req.destroy(new RequestFailed(`the answer was larger than ${Math.round(maxBytes / 1024)} KiB`, 'TOO_LARGE'));
          return;
        }
        chunks.push(c);
      });
      res.on('error', fail);
      res.on('aborted', () => fail(new RequestFailed('the connection was reset', 'ECONNRESET')));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(o.body);
  });
}

function flatHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
