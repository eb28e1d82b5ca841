import type { Account } from '../account.js';
import { oauth2Diagnosis } from '../diagnose/oauth2-errors.js';
import { ExitCode, UserError } from '../errors.js';
import { isOwnClient, providerById, type OAuth2Row } from '../providers/table.js';
import { expiryFromSeconds, type AccessRecord } from '../store/records.js';
import { classifyAuthError } from './classify.js';
import { TransientHttpError, type Exchange, type RecordingHttpClient } from './http-client.js';

/**
 * Plain OAuth2 (RFC 6749 + PKCE, RFC 7636) for providers MSAL does not fit (Google): one token
 * request over the same HTTP client, deadlines and retries as MSAL's, and its errors made actionable.
 */
export interface TokenReply {
  accessToken: string;
  expiresAt: number;
  /** Absent when the provider kept the old one (Google does on refresh). */
  refreshToken?: string;
  scopes: string[];
  /** Who signed in, from the id token (when `openid email` was asked for): read, not verified — it came straight from the token endpoint over TLS (OpenID Connect Core §3.1.3.7). */
  identity?: { email?: string; emailVerified?: boolean };
}

/** The client secret to send: the user's own (from the keychain), else the row's public one for its default client. */
export function clientSecretFor(account: Pick<Account, 'provider' | 'clientId'>, stored?: string): string | undefined {
  if (stored) return stored;
  const row = providerById(account.provider);
  return row?.oauth2 && account.clientId === row.defaultClientId ? row.oauth2.defaultClientSecret : undefined;
}


/** A token endpoint's success body, checked; `now` in epoch ms. */
export function parseTokenReply(body: unknown, now: number, requested: string[]): TokenReply {
  const b = (body ?? {}) as { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown; scope?: unknown; id_token?: unknown };
  if (typeof b.access_token !== 'string' || !b.access_token) {
    throw new UserError(ExitCode.Unexpected, 'The provider answered without an access token.', 'Run again with --debug to see the exchange');
  }
  return {
    accessToken: b.access_token,
    // No lifetime given: assume the common hour rather than treating the token as expired; clamped.
    expiresAt: expiryFromSeconds(b.expires_in, now),
    refreshToken: typeof b.refresh_token === 'string' && b.refresh_token ? b.refresh_token : undefined,
    scopes: typeof b.scope === 'string' && b.scope.trim() ? b.scope.trim().split(/\s+/) : requested,
    ...(typeof b.id_token === 'string' ? { identity: idTokenIdentity(b.id_token) } : {}),
  };
}

/** `email` and `email_verified` from an id token's payload; {} when it cannot be read. */
export function idTokenIdentity(idToken: string): { email?: string; emailVerified?: boolean } {
  try {
    const c = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { email?: unknown; email_verified?: unknown };
    return {
      ...(typeof c.email === 'string' ? { email: c.email } : {}),
      ...(typeof c.email_verified === 'boolean' || typeof c.email_verified === 'string' ? { emailVerified: c.email_verified === true || c.email_verified === 'true' } : {}),
    };
  } catch {
    return {};
  }
}

export interface OAuth2ErrorContext {
  account: string;
  email: string;
  provider: string;
  clientId: string;
  tokenEndpoint: string;
  stage: 'signin' | 'refresh';
}

/** POST a grant to the token endpoint; the parsed reply, or an error the user can act on. */
export async function tokenRequest(http: RecordingHttpClient, ctx: OAuth2ErrorContext, params: Record<string, string>, now: () => number, requested: string[]): Promise<TokenReply> {
  let res;
  try {
    res = await http.sendPostRequestAsync<unknown>(ctx.tokenEndpoint, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
    });
  } catch (e) {
    throw classifyOAuth2Error(e, http.last, ctx);
  }
  if (res.status !== 200) throw classifyOAuth2Error(undefined, http.last, ctx);
  return parseTokenReply(res.body, now(), requested);
}

/**
 * Transport failures the way MSAL's are (exit 4, "refresh token kept"); a provider's answer by its
 * error name (invalid_grant on refresh → exit 3 and the reauth command, ...); anything else verbatim.
 */
export function classifyOAuth2Error(err: unknown, last: Exchange | undefined, ctx: OAuth2ErrorContext): UserError {
  if (err instanceof UserError) return err;
  if (err instanceof TransientHttpError) {
    return classifyAuthError(err, last, { account: ctx.account, email: ctx.email, clientId: ctx.clientId, authority: ctx.tokenEndpoint }, ctx.stage === 'refresh');
  }
  const fromRedirect = err as { errorCode?: string; errorMessage?: string } | undefined;
  const body = (fromRedirect?.errorCode ? { error: fromRedirect.errorCode, error_description: fromRedirect.errorMessage } : last?.body) as
    { error?: unknown; error_description?: unknown } | undefined;
  const name = typeof body?.error === 'string' ? body.error : '';
  const said = typeof body?.error_description === 'string' && body.error_description ? body.error_description : undefined;
  const rows = providerById(ctx.provider)?.oauth2?.errorRows ?? 'standard';
  const d = oauth2Diagnosis(rows, name, { account: ctx.account, clientId: ctx.clientId, ownClient: isOwnClient(ctx), stage: ctx.stage, provider: ctx.provider });
  if (d) return new UserError(d.exit, `${d.cause} (${name}${said ? `: ${said}` : ''})`, d.fix);
  const status = last?.outcome.kind === 'response' ? ` (HTTP ${last.outcome.status})` : '';
  const what = name ? `${name}${said ? `: ${said}` : ''}` : (err as Error | undefined)?.message ?? `an unexpected answer${status}`;
  return new UserError(ExitCode.Unexpected, `The provider refused: ${what}`, `See details with: mailoauth doctor ${ctx.account}`);
}

/**
 * A browser sign-in nobody came back from, at a provider that shows its refusals on its own page: the
 * error names that page may show, each with its fix.
 */
export function pageErrorsFix(row: Pick<OAuth2Row, 'pageErrors' | 'errorRows'>, ctx: OAuth2ErrorContext): string {
  const c = { account: ctx.account, clientId: ctx.clientId, ownClient: isOwnClient(ctx), stage: 'signin' as const, provider: ctx.provider };
  const lines = (row.pageErrors ?? []).map((name) => `  ${name}: ${oauth2Diagnosis(row.errorRows, name, c)?.fix ?? 'see the page'}`);
  return `\n${lines.join('\n')}\n  otherwise: run setup again`;
}
