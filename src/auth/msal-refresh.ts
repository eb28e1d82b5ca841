import type { Account } from '../account.js';
import { ExitCode, UserError } from '../errors.js';
import { clampExpiresAt, hasRefreshToken, msalKey, type AccessRecord } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';
import { testPause } from '../test-pause.js';
import { classifyAuthError } from './classify.js';
import { createMsal } from './msal.js';
import type { RefreshDeps } from './refresher.js';
import { requestScopes } from './scopes.js';

/**
 * Trade the stored refresh token for a new access token. Called with the account's refresh lock
 * held. Order: MSAL's cache plugin stores a rotated refresh token before MSAL returns; the caller
 * (refresh.ts) then stores the access record, and only then prints.
 */
export async function refreshWithMsal(d: RefreshDeps, account: Account, store: SecretStore): Promise<AccessRecord> {
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
    persist: async (s) => {
      await testPause(d.tuning.testPauseAt, 'after-response');
      await store.set(msalKey(account.name), s);
      d.log?.('stored the refresh token');
      await testPause(d.tuning.testPauseAt, 'after-refresh-token');
    },
    tuning: d.tuning,
    log: d.log,
  });
  const ctx = { account: account.name, email: account.email, clientId: account.clientId, authority: account.authority };
  let result;
  d.log?.('asking the identity platform for a new access token');
  try {
    const accounts = await msal.pca.getTokenCache().getAllAccounts();
    const who = accounts.find((a) => a.homeAccountId === account.homeAccountId) ?? accounts[0];
    if (!who) throw new UserError(ExitCode.ReloginNeeded, `The token cache for ${account.name} holds no signed-in account.`, `mailoauth setup --reauth ${account.name}`);
    await testPause(d.tuning.testPauseAt, 'before-request');
    result = await msal.pca.acquireTokenSilent({ account: who, scopes: requestScopes(account.scopes), forceRefresh: true });
  } catch (e) {
    throw classifyAuthError(e, msal.http.last, ctx, true);
  }
  if (!result?.accessToken || !result.expiresOn) {
    throw new UserError(ExitCode.Unexpected, 'The identity platform answered without an access token.', `mailoauth doctor ${account.name}`);
  }
  return { v: 1, accessToken: result.accessToken, expiresAt: clampExpiresAt(result.expiresOn.getTime(), d.now()), scopes: result.scopes };
}
