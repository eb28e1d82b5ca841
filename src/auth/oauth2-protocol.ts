import { createHash, randomBytes } from 'node:crypto';
import type { Account, OAuth2Endpoints } from '../account.js';
import { debugLog } from '../debug-log.js';
import type { Deps } from '../deps.js';
import { isOwnClient, providerById, type OAuth2Row } from '../providers/table.js';
import { ExitCode, UserError } from '../errors.js';
import { oauth2Key, parseOAuth2, serializeOAuth2 } from '../store/records.js';
import { browserStep } from './browser-step.js';
import { checkCallbackIssuer } from './callback-issuer.js';
import { discoverEndpoints } from './discovery.js';
import { httpClientFor, type RecordingHttpClient } from './http-client.js';
import { NoBrowserAnswer } from './loopback-listener.js';
import { deviceFlow } from './oauth2-device.js';
import { classifyOAuth2Error, clientSecretFor, pageErrorsFix, tokenRequest, type OAuth2ErrorContext, type TokenReply } from './oauth2.js';
import { pasteStep } from './paste-step.js';
import { terminalSafe } from '../ui/terminal-text.js';
import type { SignInProtocol, SignInRequest } from './protocol.js';

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

/** The scopes a sign-in asks for: the account's, and what makes the reply name who signed in. */
export function signInScopes(account: Pick<Account, 'scopes'>, row: Pick<OAuth2Row, 'identityScopes'>): string[] {
  return [...new Set([...account.scopes, ...row.identityScopes])];
}

/**
 * Standards OAuth2 / OpenID Connect (RFC 6749, PKCE per RFC 7636, device grant per RFC 8628): Google,
 * the providers Thunderbird ships public clients for, and any issuer found by discovery. What is
 * stored is the refresh token (and the user's own client's secret) in the `NAME/oauth2` item; who
 * signed in comes from the id token's `email`, else the userinfo endpoint.
 */
export const oauth2Protocol: SignInProtocol = {
  async prepare(d, account) {
    const e = account.oauth2;
    if (!e || (e.authorizationEndpoint && e.tokenEndpoint)) return account;
    if (!e.issuer) {
      throw new UserError(ExitCode.Usage, 'This provider needs its endpoints: an --issuer to discover them, or --authorization-endpoint and --token-endpoint.', 'e.g. mailoauth setup --provider oidc --issuer https://sso.example.org/realms/mail ...');
    }
    const found = await discoverEndpoints(httpClientFor(d.tuning, debugLog(d)), e.issuer);
    d.stderr.write(`Discovered ${e.issuer}: ${found.deviceAuthorizationEndpoint ? 'device code and browser sign-in' : 'browser sign-in (no device code)'}.\n`);
    return { ...account, oauth2: { ...found, ...definedOnly(e) } };
  },

  async signIn(d, req) {
    const a = req.account;
    const provider = providerById(a.provider)!;
    const row = provider.oauth2!;
    const e = a.oauth2!;
    const own = isOwnClient(a);
    // A reauth without --client-secret-env keeps the secret stored with the old sign-in.
    const kept = own && !req.clientSecret ? parseOAuth2(await req.store.get(oauth2Key(a.name)))?.clientSecret : undefined;
    const ownSecret = req.clientSecret ?? kept;
    const secret = clientSecretFor(a, ownSecret);
    const http = httpClientFor(d.tuning, debugLog(d));
    const ctx: OAuth2ErrorContext = { account: a.name, email: req.signInUser, provider: a.provider, clientId: a.clientId, tokenEndpoint: e.tokenEndpoint, stage: 'signin' };
    const scopes = signInScopes(a, row);
    const reply = req.flow === 'device'
      ? await deviceSignIn(d, http, ctx, e, { clientId: a.clientId, clientSecret: secret, scopes })
      : await codeSignIn(d, http, ctx, req, { row, endpoints: e, clientSecret: secret, scopes });
    if (!reply.refreshToken) {
      throw new UserError(ExitCode.Unexpected, 'Signed in, but the provider sent no refresh token.',
        `${row.noRefreshTokenFix ?? 'Check that the client may use offline access (the offline_access scope)'}, then run setup again`);
    }
    const user = reply.identity?.emailVerified === false ? undefined : reply.identity?.email ?? await userinfoEmail(http, e, reply.accessToken);
    return {
      secrets: [{ key: oauth2Key(a.name), value: serializeOAuth2({ refreshToken: reply.refreshToken, clientSecret: own ? ownSecret : undefined }) }],
      access: { accessToken: reply.accessToken, expiresAt: reply.expiresAt, scopes: reply.scopes },
      identity: { user },
      keep: { redirectUri: req.flow === 'device' ? undefined : req.redirectUri },
      notes: own && provider.ownClientNote ? [provider.ownClientNote] : [],
    };
  },
};

const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v)) as Partial<T>;

async function deviceSignIn(d: Deps, http: RecordingHttpClient, ctx: OAuth2ErrorContext, e: OAuth2Endpoints, c: { clientId: string; clientSecret?: string; scopes: string[] }): Promise<TokenReply> {
  if (!e.deviceAuthorizationEndpoint) {
    throw new UserError(ExitCode.Usage, 'This provider offers no device-code sign-in (its metadata names no device_authorization_endpoint).', 'Use --flow browser');
  }
  return deviceFlow(d, http, ctx, { endpoint: e.deviceAuthorizationEndpoint, ...c });
}

/** Authorization code with PKCE: to the loopback listener (browser) or read back from the person (paste). */
async function codeSignIn(d: Deps, http: RecordingHttpClient, ctx: OAuth2ErrorContext, req: SignInRequest,
  c: { row: OAuth2Row; endpoints: OAuth2Endpoints; clientSecret?: string; scopes: string[] }): Promise<TokenReply> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const url = (redirectUri: string) => authorizationUrl(c.endpoints.authorizationEndpoint, {
    clientId: req.account.clientId, redirectUri, scopes: c.scopes, state, challenge, loginHint: req.signInUser, extra: c.row.authorizeParams,
  });
  let answer: { code: string; iss?: string };
  let redirectUri: string;
  try {
    if (req.flow === 'browser') {
      ({ redirectUri, ...answer } = await browserStep(d, {
        email: req.signInUser, redirectBase: req.redirectUri!, port: req.port, state, authorizeUrl: url,
        secrets: c.clientSecret ? [c.clientSecret] : [],
      }));
    } else {
      redirectUri = req.redirectUri!;
      answer = await pasteStep(d, { email: req.signInUser, redirectUri, state, authorizeUrl: () => url(redirectUri) });
    }
  } catch (e) {
    if (e instanceof NoBrowserAnswer && c.row.pageErrors) throw new UserError(e.exitCode, `${e.message} If the sign-in page showed an error, its name says why:`, pageErrorsFix(c.row, ctx));
    throw classifyOAuth2Error(e, undefined, ctx);
  }
  const issuer = checkCallbackIssuer(answer.iss, c.endpoints);
  if (issuer.kind === 'other-server') {
    throw new UserError(ExitCode.Usage, `The sign-in answer names another authorization server (${terminalSafe(issuer.got)}, expected ${issuer.want}); its code was not used.`,
      'Something between you and the provider redirected the sign-in: run setup again, and check --issuer / the endpoints');
  }
  return tokenRequest(http, ctx, {
    grant_type: 'authorization_code',
    code: answer.code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    client_id: req.account.clientId,
    ...(c.clientSecret ? { client_secret: c.clientSecret } : {}),
  }, d.now, c.scopes);
}

/** Who signed in when the id token does not say (an OpenID provider that puts only `sub` there): the userinfo endpoint. */
async function userinfoEmail(http: RecordingHttpClient, e: OAuth2Endpoints, accessToken: string): Promise<string | undefined> {
  if (!e.userinfoEndpoint) return undefined;
  try {
    const r = await http.sendGetRequestAsync<{ email?: unknown; email_verified?: unknown }>(e.userinfoEndpoint, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
    if (r.status !== 200 || typeof r.body?.email !== 'string' || r.body.email_verified === false) return undefined;
    return r.body.email;
  } catch {
    return undefined; // nobody named: the identity check treats it as such
  }
}
