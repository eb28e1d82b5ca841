/** MSAL adds openid/profile/offline_access itself and rejects them in some calls. */
export function requestScopes(scopes: string[]): string[] {
  return scopes.filter((s) => !['offline_access', 'openid', 'profile'].includes(s));
}
