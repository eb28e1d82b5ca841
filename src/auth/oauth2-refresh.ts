import type { Account } from '../account.js';
import { ExitCode, UserError } from '../errors.js';
import { oauth2Key, parseOAuth2, serializeOAuth2, type AccessRecord } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';
import { httpClientFor } from './http-client.js';
import { clientSecretFor, tokenRequest } from './oauth2.js';
import type { RefreshDeps } from './refresher.js';

/**
 * The plain-OAuth2 adapter (Google): a refresh_token grant at the account's token endpoint. A reply
 * without refresh_token (Google's usual) keeps the stored one; a new one is stored before returning.
 */
export async function refreshWithOAuth2(d: RefreshDeps, account: Account, store: SecretStore): Promise<AccessRecord> {
  const text = await store.get(oauth2Key(account.name));
  const rec = parseOAuth2(text);
  if (!rec || !account.oauth2) {
    if (text === null) await store.probe(); // a locked keychain reads as empty: tell the two apart
    throw new UserError(
      ExitCode.ReloginNeeded,
      text === null ? `The keychain holds no refresh token for ${account.name}.` : `The stored sign-in of ${account.name} is incomplete.`,
      `mailoauth setup --reauth ${account.name}`,
    );
  }
  const http = httpClientFor(d.tuning, d.log);
  const secret = clientSecretFor(account, rec.clientSecret);
  d.log?.('asking the provider for a new access token');
  const reply = await tokenRequest(
    http,
    { account: account.name, email: account.email, provider: account.provider, clientId: account.clientId, tokenEndpoint: account.oauth2.tokenEndpoint, stage: 'refresh' },
    { grant_type: 'refresh_token', refresh_token: rec.refreshToken, client_id: account.clientId, ...(secret ? { client_secret: secret } : {}) },
    d.now,
    account.scopes,
  );
  if (reply.refreshToken && reply.refreshToken !== rec.refreshToken) {
    await store.set(oauth2Key(account.name), serializeOAuth2({ ...rec, refreshToken: reply.refreshToken }));
    d.log?.('stored the rotated refresh token');
  } else {
    d.log?.('no new refresh token in the reply; keeping the stored one');
  }
  return { v: 1, accessToken: reply.accessToken, expiresAt: reply.expiresAt, scopes: reply.scopes };
}
