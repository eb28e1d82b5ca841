import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ExitCode, UserError } from '../errors.js';

export interface AuthCodeResponse {
  code: string;
  state: string;
  clientInfo?: string;
}

export interface LoopbackListener {
  /** e.g. http://127.0.0.1:53117 — the host form follows the registered redirect (localhost or 127.0.0.1). */
  redirectUri: string;
  /** Resolves with the code once the browser comes back with the right state. */
  code: Promise<AuthCodeResponse>;
  close(): void;
}

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font-family:system-ui,sans-serif;max-width:36em;margin:4em auto"><h1>${title}</h1><p>${text}</p></body>`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The redirect target of the browser flow: an HTTP server on the loopback interface, free port,
 * accepting one authorization response whose state matches (query or form_post), then closing.
 */
export async function startLoopbackListener(o: { host: 'localhost' | '127.0.0.1'; port?: number; state: string; timeoutMs: number }): Promise<LoopbackListener> {
  let settle!: { resolve: (r: AuthCodeResponse) => void; reject: (e: Error) => void };
  const code = new Promise<AuthCodeResponse>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => {}); // observed by the caller; avoid an unhandled rejection before it awaits

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
    settle.resolve({ code: params.get('code')!, state: o.state, clientInfo: params.get('client_info') ?? undefined });
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
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
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE'
        ? new UserError(ExitCode.Usage, `Port ${o.port} on 127.0.0.1 is already in use.`, 'Pick another with --port, or leave it out to use a free one')
        : e));
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const timer = setTimeout(
    () => settle.reject(new UserError(ExitCode.Usage, `No answer from the browser within ${Math.round(o.timeoutMs / 1000)} s.`, 'Run setup again, or use --flow device (or --flow paste)')),
    o.timeoutMs,
  );
  const close = () => {
    clearTimeout(timer);
    server.close();
    server.closeIdleConnections();
    // Let the browser receive its page before the last sockets are cut.
    setTimeout(() => server.closeAllConnections(), 300).unref();
  };
  code.then(close, close);
  return { redirectUri: `http://${o.host}:${port}`, code, close };
}
