import { CONSUMER_TENANT_ID } from './table.js';
import { guidIn, isGuid } from '../guid.js';

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
  if (isGuid(t)) return t;
  try {
    const issuer = (JSON.parse(authorityMetadata ?? '{}') as { issuer?: unknown }).issuer;
    return typeof issuer === 'string' ? guidIn(issuer) : undefined;
  } catch {
    return undefined;
  }
}
