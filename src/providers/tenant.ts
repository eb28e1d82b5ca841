import { CONSUMER_TENANT_ID } from './table.js';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ALIASES = new Set(['organizations', 'common']);

/**
 * The tenant id a sign-in was sent to, to compare with the one the platform reports: a tenant GUID,
 * the consumer tenant for `consumers`, else the issuer of the authority's OpenID document (a domain
 * resolves to its tenant's GUID). `organizations` and `common` name no tenant: undefined.
 */
export function expectedTenant(tenant: string, authorityMetadata?: string): string | undefined {
  const t = tenant.toLowerCase();
  if (ALIASES.has(t)) return undefined;
  if (t === 'consumers') return CONSUMER_TENANT_ID;
  if (GUID.test(t) && GUID.exec(t)![0] === t) return t;
  try {
    const issuer = (JSON.parse(authorityMetadata ?? '{}') as { issuer?: unknown }).issuer;
    return typeof issuer === 'string' ? GUID.exec(issuer)?.[0]?.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
