import { expectedTenant } from '../providers/tenant.js';
import { clampExpiresAt, msalKey } from '../store/records.js';
import type { SignInProtocol } from './protocol.js';
import { signIn } from './signin.js';

/**
 * Microsoft's identity platform through MSAL: device code, browser + PKCE, paste. What is stored is
 * MSAL's serialized cache (the refresh token and the account entries MSAL needs to use it); who signed
 * in comes from the id token (preferred_username, tid).
 */
export const msalProtocol: SignInProtocol = {
  async signIn(d, req) {
    const a = req.account;
    const s = await signIn(d, {
      account: a.name, email: req.signInUser, clientId: a.clientId, authority: a.authority, scopes: a.scopes,
      flow: req.flow, redirectUri: req.redirectUri, port: req.port,
    });
    return {
      secrets: [{ key: msalKey(a.name), value: s.cache }],
      access: { accessToken: s.result.accessToken, expiresAt: clampExpiresAt(s.result.expiresOn?.getTime(), d.now()), scopes: s.result.scopes },
      identity: { user: s.result.account?.username, tenant: s.result.account?.tenantId, expectedTenant: expectedTenant(a.tenant, s.authorityMetadata) },
      keep: {
        homeAccountId: s.result.account?.homeAccountId,
        authorityMetadata: s.authorityMetadata,
        // The registered form (no port): Microsoft ignores the port of a loopback redirect.
        redirectUri: req.flow === 'device' ? undefined : req.redirectUri,
      },
    };
  },
};
