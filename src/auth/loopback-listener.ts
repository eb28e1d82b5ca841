import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ExitCode, UserError } from '../errors.js';

export interface AuthCodeResponse {
  code: string;
  state: string;
  clientInfo?: string;
  /** RFC 9207: the authorization server that answered, when it says so. */
  iss?: string;
}

/** The host part of a loopback redirect: the literal IPv4 address (preferred) or the name `localhost`. */
export type LoopbackHost = '127.0.0.1' | 'localhost';

export interface LoopbackListener {
  /** e.g. http://127.0.0.1:53117 — the host form follows the registered redirect (127.0.0.1 or localhost). */
  redirectUri: string;
  /** Resolves with the code once the browser comes back with the right state; rejects with NoBrowserAnswer at the deadline. */
  code: Promise<AuthCodeResponse>;
  /** Whether any request with our Host reached the listener (the browser got this far at all). */
  contacted(): boolean;
  close(): void;
}

/**
 * No authorization response reached the listener in time. A typed outcome, not a sentence: the
 * caller decides what to offer next (paste, device code) without reading the message.
 */
export class NoBrowserAnswer extends UserError {
  constructor(
    readonly waitedMs: number,
    /** Whether the browser reached the listener at all (if not, the platform is likely showing an error page). */
    readonly contacted: boolean,
  ) {
    super(
      ExitCode.Usage,
      `No answer from the browser within ${Math.round(waitedMs / 1000)} s.` +
        (contacted ? '' : ' The browser never came back to this machine: the sign-in page is probably showing an error (the platform shows those on its own page and does not return).'),
      'Run setup again, or sign in another way: --flow device (a code on any device) or --flow paste',
    );
  }
}

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font-family:system-ui,sans-serif;max-width:36em;margin:4em auto"><h1>${title}</h1><p>${text}</p></body>`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The addresses a redirect host names, each of which the listener must hold: a browser may try any of
 * them, and one left free could be bound by another local user who then receives the code.
 */
export function bindAddresses(host: LoopbackHost): string[] {
  return host === '127.0.0.1' ? ['127.0.0.1'] : ['127.0.0.1', '::1'];
}

/**
 * Whether a request's Host header names our redirect: the browser sends exactly `HOST:PORT`. Anything
 * else (another name resolving to 127.0.0.1, as DNS rebinding arranges) is not the platform's redirect.
 */
export function hostMatches(header: string | undefined, host: LoopbackHost, port: number): boolean {
  return (header ?? '').toLowerCase() === `${host}:${port}`;
}

/**
 * The redirect target of the browser flow: an HTTP server on the loopback interface, free port,
 * accepting one authorization response whose state matches (query or form_post), then closing.
 */
export async function startLoopbackListener(o: { host: LoopbackHost; port?: number; state: string; timeoutMs: number }): Promise<LoopbackListener> {
  let settle!: { resolve: (r: AuthCodeResponse) => void; reject: (e: Error) => void };
  const code = new Promise<AuthCodeResponse>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => {}); // observed by the caller; avoid an unhandled rejection before it awaits
  let contacted = false;
  let port = 0;

  const handle = (params: URLSearchParams, res: ServerResponse) => {
    if (!params.has('code') && !params.has('error')) {
      res.writeHead(404).end();
      return;
    }
    if (params.getAll('state').length !== 1 || params.get('state') !== o.state) {
      res.writeHead(400, { 'content-type': 'text/html' }).end(page('Sign-in not accepted', 'This answer does not belong to the sign-in mailoauth started (state mismatch). Start again from the terminal.'));
      return;
    }
    const error = params.get('error');
    if (error) {
      const desc = params.get('error_description') ?? '';
      res.writeHead(200, { 'content-type': 'text/html' }).end(page('Sign-in failed', `${escapeHtml(error)}: ${escapeHtml(desc)}<br>Go back to the terminal for what to do next.`));
      settle.reject(Object.assign(new Error(`${error}: ${desc}`), { errorCode: error, errorMessage: desc }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(page('Signed in', 'mailoauth has what it needs. You can close this tab and return to the terminal.'));
    settle.resolve({ code: params.get('code')!, state: o.state, clientInfo: params.get('client_info') ?? undefined, iss: params.get('iss') ?? undefined });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostMatches(req.headers.host, o.host, port)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request\n');
      return;
    }
    contacted = true;
    const url = new URL(req.url ?? '/', 'http://loopback');
    if (req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
        if (body.length > 64 * 1024) req.destroy();
      });
      req.on('end', () => handle(new URLSearchParams(body), res));
      return;
    }
    handle(url.searchParams, res);
  };

  const servers = await listenAll(bindAddresses(o.host), o.port, onRequest);
  port = (servers[0]!.address() as { port: number }).port;
  const timer = setTimeout(() => settle.reject(new NoBrowserAnswer(o.timeoutMs, contacted)), o.timeoutMs);
  const close = () => {
    clearTimeout(timer);
    for (const server of servers) {
      server.close();
      server.closeIdleConnections();
      // Let the browser receive its page before the last sockets are cut.
      setTimeout(() => server.closeAllConnections(), 300).unref();
    }
  };
  code.then(close, close);
  return { redirectUri: `http://${o.host}:${port}`, code, contacted: () => contacted, close };
}

/** Tries for a port free on every address (a random one can be taken on ::1 by someone else). */
const PORT_ATTEMPTS = 10;

/**
 * One server per address, all on the same port. A port chosen by the system on the first address
 * that is busy on another is given up and a new one tried; a port the user chose that is busy is an error.
 * An address this machine does not have (no IPv6) is skipped: nobody can bind it either.
 */
async function listenAll(addresses: string[], wanted: number | undefined, onRequest: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server[]> {
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const servers: Server[] = [];
    let port = wanted ?? 0;
    try {
      for (const address of addresses) {
        const server = createServer(onRequest);
        const bound = await listen(server, port, address);
        if (bound === 'unavailable') continue;
        servers.push(server);
        port = bound;
      }
      return servers;
    } catch (e) {
      for (const s of servers) s.close();
      const busy = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!busy) throw e;
      if (wanted !== undefined) {
        throw new UserError(ExitCode.Usage, `Port ${wanted} on ${addresses.join(' and ')} is already in use.`, 'Pick another with --port, or leave it out to use a free one');
      }
    }
  }
  throw new UserError(ExitCode.Unexpected, `Found no port free on ${addresses.join(' and ')} in ${PORT_ATTEMPTS} tries.`, 'Pick one with --port');
}

function listen(server: Server, port: number, address: string): Promise<number | 'unavailable'> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT' ? resolve('unavailable') : reject(e)));
    server.listen(port, address, () => resolve((server.address() as { port: number }).port));
  });
}
