import type { Account } from '../account.js';
import { envMs } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { updateAccounts } from '../store/accounts.js';
import { withLock } from '../store/lock.js';
import { accessKey, decideToken, hasRefreshToken, msalKey, parseAccess, serializeAccess, type AccessRecord } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';
import { classifyAuthError } from './classify.js';
import { createMsal } from './msal.js';

export interface RefreshDeps {
  env: NodeJS.ProcessEnv;
  now(): number;
  log?: (line: string) => void;
}

/**
 * The slow path of `mailoauth token`: one refresh per account at a time, across processes.
 * Whoever gets the lock first refreshes; everyone queued behind it finds a fresh access record and
 * returns it without a request of its own.
 */
export async function refreshUnderLock(d: RefreshDeps, account: Account, store: SecretStore): Promise<AccessRecord> {
  const waitMs = envMs(d.env, 'MAILOAUTH_LOCK_WAIT_MS', 90_000);
  const staleMs = envMs(d.env, 'MAILOAUTH_LOCK_STALE_MS', 10_000);
  return withLock(d.env, `token-${account.name}`, { waitMs, staleMs }, async () => {
    const again = decideToken(parseAccess(await store.get(accessKey(account.name))), d.now());
    if ('use' in again) {
      d.log?.('another process refreshed while we waited; using its token');
      return again.use;
    }
    return refresh(d, account, store);
  });
}

async function refresh(d: RefreshDeps, account: Account, store: SecretStore): Promise<AccessRecord> {
  const cache = await store.get(msalKey(account.name));
  if (!hasRefreshToken(cache)) {
    if (cache === null) await store.probe(); // a locked keychain reads as empty: tell the two apart
    throw new UserError(
      ExitCode.ReloginNeeded,
      cache === null
        ? `The keychain holds no refresh token for ${account.name}.`
        : `The keychain item for ${account.name} is not a mailoauth token cache.`,
      `mailoauth setup --reauth ${account.name}`,
    );
  }
  const msal = createMsal({
    clientId: account.clientId,
    authority: account.authority,
    cache,
    authorityMetadata: account.authorityMetadata,
    persist: (s) => store.set(msalKey(account.name), s),
    env: d.env,
    log: d.log,
  });
  const ctx = { account: account.name, email: account.email, clientId: account.clientId, authority: account.authority };
  let result;
  try {
    const accounts = await msal.pca.getTokenCache().getAllAccounts();
    const who = accounts.find((a) => a.homeAccountId === account.homeAccountId) ?? accounts[0];
    if (!who) throw new UserError(ExitCode.ReloginNeeded, `The token cache for ${account.name} holds no signed-in account.`, `mailoauth setup --reauth ${account.name}`);
    result = await msal.pca.acquireTokenSilent({ account: who, scopes: requestScopes(account.scopes), forceRefresh: true });
  } catch (e) {
    throw classifyAuthError(e, msal.http.last, ctx, true);
  }
  if (!result?.accessToken || !result.expiresOn) {
    throw new UserError(ExitCode.Unexpected, 'The identity platform answered without an access token.', `mailoauth doctor ${account.name}`);
  }
  const rec: AccessRecord = { v: 1, accessToken: result.accessToken, expiresAt: result.expiresOn.getTime(), scopes: result.scopes };
  await store.set(accessKey(account.name), serializeAccess(rec));
  // Bookkeeping only: a busy accounts file must not cost the caller its token.
  await updateAccounts(d.env, (f) => ({
    ...f,
    accounts: f.accounts.map((a) => (a.name === account.name ? { ...a, lastRefreshAt: new Date(d.now()).toISOString() } : a)),
  })).catch((e) => d.log?.(`could not record the refresh time: ${(e as Error).message}`));
  return rec;
}

/** MSAL adds openid/profile/offline_access itself and rejects them in some calls. */
export function requestScopes(scopes: string[]): string[] {
  return scopes.filter((s) => !['offline_access', 'openid', 'profile'].includes(s));
}
