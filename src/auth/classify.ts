import { AADSTS, RELOGIN_ERRORS, aadstsCode, type DiagnoseContext } from '../diagnose/aadsts.js';
import { ExitCode, UserError } from '../errors.js';
import { TransientHttpError, describeOutcome, type Exchange } from './http-client.js';
import { isTransient } from './retry-policy.js';

interface MsalLikeError {
  errorCode?: string;
  errorMessage?: string;
  subError?: string;
  errorNo?: string | number;
  correlationId?: string;
  message?: string;
}

interface ServerErrorBody {
  error?: string;
  error_description?: string;
  correlation_id?: string;
  trace_id?: string;
}

/**
 * A refusal by the identity platform, with what it said as data: the AADSTS code (when there is one)
 * and the OAuth error name. Callers switch on these, never on the message.
 */
export class PlatformError extends UserError {
  constructor(exitCode: ExitCode, message: string, fix: string | undefined, aadsts?: number, readonly error?: string) {
    super(exitCode, message, fix, aadsts);
  }
}

/**
 * Turn whatever a sign-in or refresh threw into an error the user can act on. MSAL's own errors lose
 * the AADSTS code in places (device-code polling), so the last exchange recorded by our HTTP client
 * is consulted first.
 */
export function classifyAuthError(err: unknown, last: Exchange | undefined, ctx: DiagnoseContext, keptRefreshToken: boolean): UserError {
  if (err instanceof UserError) return err;
  const e = (err ?? {}) as MsalLikeError;
  const transport = err instanceof TransientHttpError ? err.exchange : last && isTransient(last.outcome) ? last : undefined;
  if (transport && (err instanceof TransientHttpError || /network|post_request_failed|endpoints_resolution|get_request_failed/i.test(e.errorCode ?? ''))) {
    const host = safeHost(transport.url);
    return new UserError(
      ExitCode.Unavailable,
      `The identity platform (${host}) is unavailable: ${describeOutcome(transport.outcome)} after ${transport.attempts} attempt(s).` +
        (keptRefreshToken ? ' The stored refresh token was kept.' : ''),
      `Try again in a minute; to see what fails: mailoauth doctor ${ctx.account}`,
    );
  }
  const body = (last && last.outcome.kind === 'response' && last.outcome.status >= 400 ? last.body : undefined) as ServerErrorBody | undefined;
  const code = aadstsCode(body, e.errorMessage, e.message, e.errorNo ? `AADSTS${e.errorNo}` : undefined);
  const correlation = body?.correlation_id ?? e.correlationId;
  const raw = body?.error_description?.split(/\r?\n/)[0] ?? e.errorMessage ?? e.message ?? String(err);
  const d = code !== undefined ? AADSTS.get(code) : undefined;
  const name = body?.error ?? e.errorCode ?? '';
  if (d) return new PlatformError(d.exit, `${d.cause} (AADSTS${code})`, d.fix(ctx), code, name || undefined);
  const suffix = correlation ? ` (correlation id ${correlation})` : '';
  if (RELOGIN_ERRORS.has(name) || RELOGIN_ERRORS.has(e.subError ?? '')) {
    return new PlatformError(ExitCode.ReloginNeeded, `Sign-in is needed again: ${raw}${suffix}`, `mailoauth setup --reauth ${ctx.account}`, code, name);
  }
  return new PlatformError(ExitCode.Unexpected, `The identity platform refused: ${name ? `${name}: ` : ''}${raw}${suffix}`, `See details with: mailoauth doctor ${ctx.account}`, code, name || undefined);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
