import type { CloudClaims } from './clouds.js';

/**
 * Detection's two lookups as real network calls: its own small module, so the composition root
 * (real-deps.ts) builds them for every command without loading detection's rules and the provider
 * table (only setup detects). DNS and HTTPS are loaded on first use.
 */

export type OpenidDocument = CloudClaims & { issuer?: string };

/** The lookups detection makes; tests pass recorded answers instead. */
export interface DetectIo {
  /** MX host names of a domain, best priority first; [] when there are none. Throws when it could not look (offline). */
  mx(domain: string): Promise<string[]>;
  /** The OpenID document of `domain` as a tenant at `authorityHost`; undefined for "no such tenant". Throws when it could not look. */
  openid(authorityHost: string, domain: string): Promise<OpenidDocument | undefined>;
}

export interface NetworkDetectOptions {
  timeoutMs?: number;
  /**
   * DNS servers to ask instead of the system's (`ip` or `ip:port`); from MAILOAUTH_DNS_SERVERS
   * (Tuning), so a test (or a user behind split DNS) can point detection anywhere.
   */
  dnsServers?: string[];
}

/**
 * Whether a non-200 OpenID reply is Microsoft's "no such tenant": 400 with `invalid_tenant` /
 * AADSTS90002. Anything else (5xx, an HTML page from a proxy) means the lookup failed, not "none".
 */
export function isNoTenantReply(status: number, text: string): boolean {
  if (status !== 400) return false;
  try {
    const b = JSON.parse(text) as { error?: unknown; error_codes?: unknown; error_description?: unknown };
    return b.error === 'invalid_tenant' || (Array.isArray(b.error_codes) && b.error_codes.includes(90002)) || /AADSTS90002/.test(String(b.error_description ?? ''));
  } catch {
    return false;
  }
}

/** Real lookups with short deadlines: detection must never hold up an offline laptop for long. */
export function networkDetectIo(o: NetworkDetectOptions = {}): DetectIo {
  const timeoutMs = o.timeoutMs ?? 2000;
  return {
    async mx(domain) {
      const { Resolver } = await import('node:dns/promises');
      const r = new Resolver({ timeout: timeoutMs, tries: 1 });
      if (o.dnsServers) r.setServers(o.dnsServers);
      try {
        const answers = await r.resolveMx(domain);
        return answers.sort((a, b) => a.priority - b.priority).map((a) => a.exchange);
      } catch (e) {
        // "No such domain" / "no MX" are answers; timeouts and refusals are not.
        if (['ENOTFOUND', 'ENODATA'].includes((e as NodeJS.ErrnoException).code ?? '')) return [];
        throw e;
      }
    },
    async openid(authorityHost, domain) {
      // httpRequest, not fetch: see src/auth/http-request.ts (fetch delays the process's exit).
      const { httpRequest } = await import('../auth/http-request.js');
      const res = await httpRequest('GET', `${authorityHost}/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`, { timeoutMs });
      if (res.status === 200) return JSON.parse(res.text) as OpenidDocument;
      if (isNoTenantReply(res.status, res.text)) return undefined;
      throw new Error(`HTTP ${res.status}`);
    },
  };
}
