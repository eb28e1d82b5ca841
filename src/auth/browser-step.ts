import type { Deps } from '../deps.js';
import { startLoopbackListener } from './loopback-listener.js';
import { openBrowser } from './open-browser.js';

export interface BrowserStepRequest {
  /** Who should sign in (shown, and the login hint). */
  email: string;
  /** The registered loopback redirect without a port: http://127.0.0.1 or http://localhost. */
  redirectBase: string;
  port?: number;
  state: string;
  /** The authorization URL for the listener's redirect URI (with its port). */
  authorizeUrl(redirectUri: string): Promise<string> | string;
  /** Values the browser's environment must not carry (the user's own client secret). */
  secrets?: string[];
}

/**
 * The loopback half of every browser sign-in, whatever the protocol: listen on the redirect's address,
 * open the browser on the authorization URL, wait (a stated time) for the code. Rejects with
 * NoBrowserAnswer at the deadline, or with the platform's error when it sent one back.
 */
export async function browserStep(d: Deps, req: BrowserStepRequest): Promise<{ code: string; iss?: string; redirectUri: string }> {
  const host = new URL(req.redirectBase).hostname === 'localhost' ? 'localhost' : '127.0.0.1';
  const waitMs = d.tuning.browserWaitMs;
  const listener = await startLoopbackListener({ host, port: req.port, state: req.state, timeoutMs: waitMs });
  try {
    const url = await req.authorizeUrl(listener.redirectUri);
    d.stderr.write(`Opening your browser to sign in as ${req.email}. If it does not open, visit:\n\n  ${url}\n\n`);
    if (!(await openBrowser(url, d.env, req.secrets))) d.stderr.write('No browser could be started; open the address above yourself.\n');
    d.stderr.write(`Waiting up to ${formatWait(waitMs)} for the browser to come back to ${listener.redirectUri} on this machine (Ctrl-C cancels).\n`);
    const { code, iss } = await listener.code;
    return { code, iss, redirectUri: listener.redirectUri };
  } finally {
    listener.close();
  }
}

export function formatWait(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${Math.round(ms / 1000)} s`;
}
