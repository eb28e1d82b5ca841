import type { Account } from '../account.js';
import { clientSecretFor, isOwnClient } from '../auth/oauth2.js';
import { signInOAuth2 } from '../auth/oauth2-signin.js';
import type { Deps } from '../deps.js';
import { providerById } from '../providers/table.js';
import { updateAccounts, upsertAccount } from '../store/accounts.js';
import { accessKey, oauth2Key, parseOAuth2, serializeAccess, serializeOAuth2 } from '../store/records.js';
import type { SecretStore } from '../store/secret-store.js';
import { settleIdentity } from './identity-check.js';
import type { SignedIn } from './run.js';
import type { SetupPlan } from './plan.js';

/**
 * The sign-in step for a plain-OAuth2 provider (Google): browser + PKCE, then the refresh token (and
 * the user's own client secret) into the `NAME/oauth2` keychain item, the access record, and last
 * the metadata that points at them.
 */
export async function signInOAuth2Account(d: Deps, plan: SetupPlan, store: SecretStore, interactive: boolean): Promise<SignedIn> {
  const a = plan.account;
  const row = providerById(a.provider)!.oauth2!;
  const own = isOwnClient(a);
  // A reauth without --client-secret-env keeps the secret stored with the old sign-in.
  const keptSecret = own && !plan.clientSecret ? parseOAuth2(await store.get(oauth2Key(a.name)))?.clientSecret : undefined;
  const ownSecret = plan.clientSecret ?? keptSecret;
  if (own && row.ownClientNote) d.stderr.write(`Note: ${row.ownClientNote}\n`);
  const s = await signInOAuth2(d, {
    account: a.name,
    email: a.email,
    provider: a.provider,
    clientId: a.clientId,
    clientSecret: clientSecretFor(a, ownSecret),
    scopes: a.scopes,
    endpoints: a.oauth2!,
    authorizeParams: row.authorizeParams,
    identityScopes: row.identityScopes,
    redirectUri: a.redirectUri!, // planned by auth/redirects.ts: the browser flow always has one
    port: plan.port,
  });
  // Who signed in, from the id token; an unverified address says nothing.
  const email = s.reply.identity?.emailVerified === false ? undefined : s.reply.identity?.email;
  const loginUser = await settleIdentity(d, {
    row: providerById(a.provider)!,
    account: a,
    want: { asked: plan.signInUser, expectUser: plan.expectUser, shared: false },
    got: { user: email },
    interactive,
  });
  const account: Account = {
    ...a,
    email: loginUser,
    createdAt: a.createdAt ?? new Date(d.now()).toISOString(),
    lastRefreshAt: new Date(d.now()).toISOString(),
    signedInAt: new Date(d.now()).toISOString(),
  };
  await store.set(oauth2Key(account.name), serializeOAuth2({ refreshToken: s.reply.refreshToken, clientSecret: own ? ownSecret : undefined }));
  await store.set(accessKey(account.name), serializeAccess({ accessToken: s.reply.accessToken, expiresAt: s.reply.expiresAt, scopes: s.reply.scopes }));
  await updateAccounts(d.env, (f) => upsertAccount(f, account));
  return { account, accessToken: s.reply.accessToken, expiresAt: s.reply.expiresAt };
}
