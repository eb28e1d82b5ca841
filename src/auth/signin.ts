import { randomBytes } from 'node:crypto';
import type { AuthenticationResult } from '@azure/msal-node';
import { debugLog } from '../debug-log.js';
import type { Flow } from './flow.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { browserStep } from './browser-step.js';
import { classifyAuthError } from './classify.js';
import { createMsal, type MsalSession } from './msal.js';
import { msalNode } from './msal-module.js';
import { pasteStep } from './paste-step.js';
import { OWN_APP_REDIRECT } from './redirects.js';
import { requestScopes } from './scopes.js';
import { startSpinner, type Spinner } from '../ui/spinner.js';
import { terminalSafe } from '../ui/terminal-text.js';


export interface SignInRequest {
  account: string;
  email: string;
  clientId: string;
  authority: string;
  scopes: string[];
  flow: Flow;
  /** browser: http://127.0.0.1 or http://localhost (port added); paste: any registered URI. Decided by auth/redirects.ts. */
  redirectUri?: string;
  port?: number;
}

export interface SignInResult {
  result: AuthenticationResult;
  /** Serialized MSAL cache (trimmed) holding the refresh token. */
  cache: string;
  authorityMetadata?: string;
  redirectUri?: string;
}

/** Sign in with the chosen flow and hand back what must be stored. Nothing is stored here. */
export async function signIn(d: Deps, req: SignInRequest): Promise<SignInResult> {
  const msal = createMsal({ clientId: req.clientId, authority: req.authority, cache: null, tuning: d.tuning, log: debugLog(d) });
  const ctx = { account: req.account, email: req.email, clientId: req.clientId, authority: req.authority, flow: req.flow, redirectUri: req.redirectUri };
  let result: AuthenticationResult | null;
  let redirectUri: string | undefined;
  try {
    if (req.flow === 'device') result = await deviceCode(d, msal, req);
    else ({ result, redirectUri } = await authCode(d, msal, req));
  } catch (e) {
    throw classifyAuthError(e, msal.http.last, ctx, false);
  }
  const cache = msal.cache();
  if (!result || !cache) {
    throw new UserError(ExitCode.Unexpected, 'Sign-in finished without a refresh token (was offline_access granted?).', 'Run setup again with --debug to see the exchange');
  }
  const openid = [...msal.http.fetched.entries()].find(([url]) => url.includes('openid-configuration'))?.[1];
  return { result, cache, authorityMetadata: openid ? JSON.stringify(openid) : undefined, redirectUri };
}

async function deviceCode(d: Deps, msal: MsalSession, req: SignInRequest) {
  let spinner: Spinner | undefined;
  const request = {
    scopes: requestScopes(req.scopes),
    cancel: false,
    deviceCodeCallback: (r: { message: string; userCode: string; verificationUri: string }) => {
      // The platform's own words: shown, but never allowed to steer the terminal.
      d.stderr.write(`\n${terminalSafe(r.message)}\n\n`);
      spinner = startSpinner(d.stderr, d.canPrompt, `Waiting for you to approve the sign-in (code ${r.userCode})... Ctrl-C cancels`);
    },
  };
  // Ctrl-C cancels the poll cleanly (MSAL checks the flag between polls) instead of killing mid-write.
  const onSigint = () => {
    request.cancel = true;
  };
  process.on('SIGINT', onSigint);
  try {
    return await msal.pca.acquireTokenByDeviceCode(request);
  } catch (e) {
    if (request.cancel) throw new UserError(ExitCode.Usage, 'Sign-in cancelled.', 'Nothing was stored. Run setup again when ready.');
    throw e;
  } finally {
    spinner?.stop();
    process.removeListener('SIGINT', onSigint);
  }
}

async function authCode(d: Deps, msal: MsalSession, req: SignInRequest) {
  const { verifier, challenge } = await new msalNode.CryptoProvider().generatePkceCodes();
  const state = randomBytes(16).toString('base64url');
  const scopes = requestScopes(req.scopes);
  let redirectUri: string;
  let code: string;
  if (req.flow === 'browser') {
    ({ code, redirectUri } = await browserStep(d, {
      email: req.email,
      redirectBase: req.redirectUri ?? OWN_APP_REDIRECT.browser,
      port: req.port,
      state,
      authorizeUrl: (uri) => msal.pca.getAuthCodeUrl({ scopes, redirectUri: uri, codeChallenge: challenge, codeChallengeMethod: 'S256', state, loginHint: req.email }),
    }));
  } else {
    redirectUri = req.redirectUri ?? OWN_APP_REDIRECT.paste;
    const uri = redirectUri;
    ({ code } = await pasteStep(d, { email: req.email, redirectUri: uri, state,
      authorizeUrl: () => msal.pca.getAuthCodeUrl({ scopes, redirectUri: uri, codeChallenge: challenge, codeChallengeMethod: 'S256', state, loginHint: req.email }) }));
  }
  const result = await msal.pca.acquireTokenByCode({ code, redirectUri, codeVerifier: verifier, scopes });
  return { result, redirectUri };
}
