import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { startSpinner } from '../ui/spinner.js';
import { terminalSafe } from '../ui/terminal-text.js';
import type { RecordingHttpClient } from './http-client.js';
import { classifyOAuth2Error, parseTokenReply, type OAuth2ErrorContext, type TokenReply } from './oauth2.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** RFC 8628 §3.5: the interval when the server names none, and what slow_down adds. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_S = 5;

export interface DeviceStart {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresInS: number;
  intervalS: number;
}

/** The device authorization reply, checked (Google's older `verification_url` accepted too). */
export function parseDeviceStart(body: unknown): DeviceStart {
  const b = (body ?? {}) as Record<string, unknown>;
  const uri = typeof b.verification_uri === 'string' ? b.verification_uri : typeof b.verification_url === 'string' ? b.verification_url : undefined;
  if (typeof b.device_code !== 'string' || typeof b.user_code !== 'string' || !uri) {
    throw new UserError(ExitCode.Unexpected, 'The provider answered the device-code request without a code or an address to enter it.', 'Run setup again with --debug to see the exchange, or use --flow browser');
  }
  const num = (v: unknown, dflt: number, max: number) => {
    const n = Number(v);
    return Number.isFinite(n) && n > 0 ? Math.min(n, max) : dflt;
  };
  return {
    deviceCode: b.device_code,
    userCode: b.user_code,
    verificationUri: uri,
    ...(typeof b.verification_uri_complete === 'string' ? { verificationUriComplete: b.verification_uri_complete } : {}),
    expiresInS: num(b.expires_in, 600, 3600),
    intervalS: num(b.interval, DEFAULT_INTERVAL_S, 60),
  };
}

export interface DeviceFlowRequest {
  endpoint: string;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
}

/**
 * The device authorization grant (RFC 8628) of a standards provider: ask for a code, show where to
 * enter it, poll the token endpoint at the server's pace (authorization_pending: again; slow_down: 5 s
 * slower) until the person approves, refuses or the code expires. Ctrl-C cancels between polls.
 */
export async function deviceFlow(d: Deps, http: RecordingHttpClient, ctx: OAuth2ErrorContext, req: DeviceFlowRequest): Promise<TokenReply> {
  const client = { client_id: req.clientId, ...(req.clientSecret ? { client_secret: req.clientSecret } : {}) };
  const form = (p: Record<string, string>) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(p).toString(),
  });
  let started;
  try {
    started = await http.sendPostRequestAsync<unknown>(req.endpoint, form({ ...client, scope: req.scopes.join(' ') }));
  } catch (e) {
    throw classifyOAuth2Error(e, http.last, { ...ctx, tokenEndpoint: req.endpoint });
  }
  if (started.status !== 200) throw classifyOAuth2Error(undefined, http.last, { ...ctx, tokenEndpoint: req.endpoint });
  const s = parseDeviceStart(started.body);
  d.stderr.write(
    `\nTo sign in, open ${terminalSafe(s.verificationUri)} in a browser on any device and enter the code ${terminalSafe(s.userCode)}` +
      `${s.verificationUriComplete ? `\n(or open ${terminalSafe(s.verificationUriComplete)}, which carries the code)` : ''}\n\n`,
  );
  // Tests shorten the wait between polls; never below what the server asked for in production.
  let intervalMs = d.tuning.devicePollMs ?? s.intervalS * 1000;
  const deadline = d.now() + s.expiresInS * 1000;
  const spinner = startSpinner(d.stderr, d.canPrompt, `Waiting for you to approve the sign-in (code ${terminalSafe(s.userCode)})... Ctrl-C cancels`);
  let cancelled = false;
  const onSigint = () => {
    cancelled = true;
  };
  process.on('SIGINT', onSigint);
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, intervalMs));
      if (cancelled) throw new UserError(ExitCode.Usage, 'Sign-in cancelled.', 'Nothing was stored. Run setup again when ready.');
      if (d.now() > deadline) {
        throw new UserError(ExitCode.ReloginNeeded, `The code ${s.userCode} expired before it was entered.`, 'Run setup again (or use --flow browser)');
      }
      let res;
      try {
        res = await http.sendPostRequestAsync<unknown>(ctx.tokenEndpoint, form({ ...client, grant_type: DEVICE_CODE_GRANT, device_code: s.deviceCode }));
      } catch (e) {
        throw classifyOAuth2Error(e, http.last, ctx);
      }
      if (res.status === 200) return parseTokenReply(res.body, d.now(), req.scopes);
      const error = (res.body as { error?: unknown } | undefined)?.error;
      if (error === 'authorization_pending') continue;
      if (error === 'slow_down') {
        intervalMs += SLOW_DOWN_S * 1000;
        continue;
      }
      throw classifyOAuth2Error(undefined, http.last, ctx);
    }
  } finally {
    spinner.stop();
    process.removeListener('SIGINT', onSigint);
  }
}
