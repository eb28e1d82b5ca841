import type { OAuth2Endpoints } from '../account.js';
import { ExitCode, UserError } from '../errors.js';
import type { RecordingHttpClient } from './http-client.js';

/**
 * Where an issuer's metadata may be, in the order tried: OpenID Connect Discovery 1.0 §4
 * (`ISSUER/.well-known/openid-configuration`), RFC 8414 §3.1 (the well-known segment between host and
 * path: `HOST/.well-known/oauth-authorization-server/PATH`), and the form some servers use instead
 * (`ISSUER/.well-known/oauth-authorization-server`, oidc-provider 9.10+ under an issuer path). Pure.
 */
export function metadataUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/+$/, '');
  const base = `${u.origin}${path}`;
  return [...new Set([
    `${base}/.well-known/openid-configuration`,
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    `${base}/.well-known/oauth-authorization-server`,
  ])];
}

/** The endpoints a metadata document names, after checking it is the issuer's own (RFC 8414 §3.3). Pure. */
export function endpointsFrom(doc: unknown, issuer: string): OAuth2Endpoints {
  const d = (doc ?? {}) as Record<string, unknown>;
  const url = (k: string) => (typeof d[k] === 'string' && /^https:\/\//.test(d[k] as string) ? (d[k] as string) : undefined);
  const same = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
  if (typeof d.issuer !== 'string' || !same(d.issuer, issuer)) {
    throw new UserError(ExitCode.Unavailable, `The metadata found for ${issuer} names another issuer (${String(d.issuer)}): it is not this provider's.`, 'Check --issuer (it must be exactly the issuer the provider announces)');
  }
  const authorizationEndpoint = url('authorization_endpoint');
  const tokenEndpoint = url('token_endpoint');
  if (!authorizationEndpoint || !tokenEndpoint) {
    throw new UserError(ExitCode.Unavailable, `The metadata of ${issuer} names no https authorization and token endpoints.`, 'Give them yourself: --authorization-endpoint URL --token-endpoint URL');
  }
  return {
    authorizationEndpoint,
    tokenEndpoint,
    issuer: d.issuer,
    ...(url('device_authorization_endpoint') ? { deviceAuthorizationEndpoint: url('device_authorization_endpoint') } : {}),
    ...(url('userinfo_endpoint') ? { userinfoEndpoint: url('userinfo_endpoint') } : {}),
    ...(url('revocation_endpoint') ? { revocationEndpoint: url('revocation_endpoint') } : {}),
  };
}

/** Fetch the first metadata document the issuer serves, and read its endpoints. */
export async function discoverEndpoints(http: RecordingHttpClient, issuer: string): Promise<OAuth2Endpoints> {
  for (const url of metadataUrls(issuer)) {
    let r;
    try {
      r = await http.sendGetRequestAsync<unknown>(url, { headers: { accept: 'application/json' } });
    } catch {
      continue; // unreachable or not JSON: the next form, then the error below
    }
    if (r.status === 200) return endpointsFrom(r.body, issuer);
  }
  throw new UserError(ExitCode.Unavailable, `Found no OpenID or OAuth metadata for ${issuer} (tried ${metadataUrls(issuer).join(', ')}).`,
    'Check --issuer, or give the endpoints yourself: --authorization-endpoint URL --token-endpoint URL [--device-authorization-endpoint URL]');
}
