import { createHash, randomBytes } from 'node:crypto';
import type { OAuth2Endpoints } from '../account.js';
import type { Deps } from '../deps.js';
import { GOOGLE_PAGE_ERRORS, googleDiagnosis } from '../diagnose/google.js';
import { ExitCode, UserError } from '../errors.js';
import { browserStep } from './browser-step.js';
import { httpClientFromEnv } from './http-client.js';
import { NoBrowserAnswer } from './loopback-listener.js';
import { classifyOAuth2Error, isOwnClient, tokenRequest, type TokenReply } from './oauth2.js';

export interface OAuth2SignInRequest {
  account: string;
  email: string;
  provider: string;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
  endpoints: OAuth2Endpoints;
  /** Extra authorization parameters from the provider row (Google: access_type, prompt). */
  authorizeParams: Record<string, string>;
  /** Asked for too, so that the reply names who signed in (Google: openid email). */
  identityScopes: string[];
  /** http://127.0.0.1 or http://localhost; the listener adds its port. */
  redirectUri: string;
  port?: number;
}

export interface OAuth2SignInResult {
  reply: TokenReply & { refreshToken: string };
  /** The redirect used, with its port. */
  redirectUri: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The address the browser opens. Pure. */
export function authorizationUrl(endpoint: string, p: { clientId: string; redirectUri: string; scopes: string[]; state: string; challenge: string; loginHint: string; extra: Record<string, string> }): string {
  const u = new URL(endpoint);
  const params: Record<string, string> = {
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    response_type: 'code',
    scope: p.scopes.join(' '),
    state: p.state,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    login_hint: p.loginHint,
    ...p.extra,
  };
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/**
 * The browser flow of a plain-OAuth2 provider: authorization code with PKCE (S256) to a loopback
 * listener, redeemed at the token endpoint. The only flow Google allows for the Gmail scope. Nothing is
 * stored here.
 */
export async function signInOAuth2(d: Deps, req: OAuth2SignInRequest): Promise<OAuth2SignInResult> {
  const log = d.debug ? (l: string) => d.stderr.write(`mailoauth: ${l}\n`) : undefined;
  const ctx = { account: req.account, email: req.email, provider: req.provider, clientId: req.clientId, tokenEndpoint: req.endpoints.tokenEndpoint, stage: 'signin' as const };
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  let step: { code: string; redirectUri: string };
  try {
    step = await browserStep(d, {
      email: req.email,
      redirectBase: req.redirectUri,
      port: req.port,
      state,
      secrets: req.clientSecret ? [req.clientSecret] : [],
      authorizeUrl: (redirectUri) => authorizationUrl(req.endpoints.authorizationEndpoint, {
        clientId: req.clientId, redirectUri, scopes: [...req.scopes, ...req.identityScopes], state, challenge, loginHint: req.email, extra: req.authorizeParams,
      }),
    });
  } catch (e) {
    if (e instanceof NoBrowserAnswer) throw browserTimeout(e, ctx);
    throw classifyOAuth2Error(e, undefined, ctx);
  }
  const reply = await tokenRequest(
    httpClientFromEnv(d.env, log),
    ctx,
    {
      grant_type: 'authorization_code',
      code: step.code,
      redirect_uri: step.redirectUri,
      code_verifier: verifier,
      client_id: req.clientId,
      ...(req.clientSecret ? { client_secret: req.clientSecret } : {}),
    },
    d.now,
    req.scopes,
  );
  if (!reply.refreshToken) {
    throw new UserError(ExitCode.Unexpected, 'Signed in, but the provider sent no refresh token (access_type=offline and prompt=consent were asked for).', `Remove mailoauth's access at https://myaccount.google.com/permissions and run setup again`);
  }
  return { reply: { ...reply, refreshToken: reply.refreshToken }, redirectUri: step.redirectUri };
}

/** Google shows its refusals on its own page and never comes back: name them with their fixes. */
function browserTimeout(e: NoBrowserAnswer, ctx: { account: string; clientId: string; provider: string }): UserError {
  const c = { account: ctx.account, clientId: ctx.clientId, ownClient: isOwnClient(ctx), stage: 'signin' as const };
  const lines = GOOGLE_PAGE_ERRORS.map((name) => `  ${name}: ${googleDiagnosis(name, c)!.fix}`);
  return new UserError(e.exitCode, `${e.message} If Google showed an error page ("Error 403: org_internal", ...), its name says why:`, `\n${lines.join('\n')}\n  otherwise: run setup again`);
}
