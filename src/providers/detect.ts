import { cloudById, cloudFromMx, cloudFromOpenid, MX_CLOUDS, type CloudId } from './clouds.js';
import { CONSUMER_TENANT_ID, PROVIDERS, providerById, providerForDomain } from './table.js';
import { guidIn } from '../guid.js';
import { domainOf } from '../account-name.js';
import type { DetectIo, OpenidDocument } from './detect-io.js';

/** What detection found and why, shown to the user before they confirm or override. */
export interface Detection {
  provider: string;
  /** Tenant id (GUID) from the domain's OpenID document, or the consumer row's tenant. */
  tenant?: string;
  /** The Microsoft cloud the tenant lives in (OpenID document, else MX), when known. */
  cloud?: CloudId;
  /**
   * Another provider the answers point to as well: a domain whose mail goes to Google (MX) while a
   * Microsoft tenant also exists for it (common: Entra ID for sign-in, Gmail for mail). The MX wins;
   * the wizard shows both and asks.
   */
  alsoPossible?: { provider: string; tenant?: string; cloud?: CloudId };
  /** Whether the answers named a provider at all, or `provider` is only the fallback guess. */
  confident: boolean;
  evidence: string[];
}

/** One MX lookup's outcome: the hosts (best priority first; none is an answer too) or a failure (offline). */
export type MxAnswer = { kind: 'hosts'; hosts: string[] } | { kind: 'failed'; reason: string };

/** One OpenID lookup's outcome: the tenant's document, Microsoft's "no such tenant" (AADSTS90002), or a failure. */
export type OpenidAnswer = { kind: 'tenant'; doc: OpenidDocument } | { kind: 'no-tenant' } | { kind: 'failed'; reason: string };

/** MX host suffix → provider row id (the Microsoft clouds' suffixes come from clouds.ts). */
const MX_RULES: Array<[RegExp, string]> = [
  // Outlook.com's consumer MX before Microsoft 365's (both are under outlook.com).
  ...PROVIDERS.filter((p) => p.id === 'outlook.com').flatMap((p) => (p.mx ?? []).map((re) => [re, p.id] as [RegExp, string])),
  ...MX_CLOUDS.map(([re]) => [re, 'microsoft365'] as [RegExp, string]),
  ...PROVIDERS.filter((p) => p.id !== 'outlook.com').flatMap((p) => (p.mx ?? []).map((re) => [re, p.id] as [RegExp, string])),
];

export function classifyMx(hosts: string[]): string | undefined {
  for (const h of hosts) for (const [re, id] of MX_RULES) if (re.test(h)) return id;
  return undefined;
}

/**
 * Domain rules, then MX and the Microsoft OpenID document for the domain (tenant id and cloud).
 * Pure apart from `io`; a lookup that fails (offline laptop) is said as such, never as "not found".
 */
export async function detectProvider(email: string, authorityHost: string, io: DetectIo): Promise<Detection> {
  const domain = domainOf(email);
  const known = providerForDomain(domain);
  if (known) {
    return { provider: known.id, tenant: known.defaultTenant || undefined, cloud: providerById(known.id)?.oauth2 ? undefined : 'public', confident: true, evidence: [`${domain} is a ${known.label} domain`] };
  }
  const reason = (e: unknown) => (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e);
  const [mx, doc] = await Promise.all([
    io.mx(domain).then((hosts): MxAnswer => ({ kind: 'hosts', hosts }), (e: unknown): MxAnswer => ({ kind: 'failed', reason: reason(e) })),
    io.openid(authorityHost, domain).then(
      (d): OpenidAnswer => (d ? { kind: 'tenant', doc: d } : { kind: 'no-tenant' }),
      (e: unknown): OpenidAnswer => ({ kind: 'failed', reason: reason(e) }),
    ),
  ]);
  return decideDetection(mx, doc);
}

/** What one Microsoft tenant document says: its id, its cloud, and whether it is the consumer (Outlook.com) tenant. */
function readTenant(doc: OpenidDocument): { tenant?: string; cloud?: CloudId; consumer: boolean } {
  const tenant = doc.issuer ? guidIn(doc.issuer) : undefined;
  return { tenant, cloud: tenant ? cloudFromOpenid(doc) : undefined, consumer: tenant === CONSUMER_TENANT_ID };
}

/**
 * The decision from the two answers. In order: a consumer MX or the consumer tenant → Outlook.com; a
 * Google MX → Google, even when a Microsoft tenant exists (mail goes where MX points; the tenant is
 * offered as the alternative); a Microsoft MX or tenant → Microsoft 365 in its cloud; otherwise a guess
 * (Microsoft 365) that is marked as such.
 */
export function decideDetection(mx: MxAnswer, doc: OpenidAnswer): Detection {
  const evidence: string[] = [];
  const hosts = mx.kind === 'hosts' ? mx.hosts : [];
  const byMx = classifyMx(hosts);
  if (mx.kind === 'failed') evidence.push(`could not look up MX (${mx.reason})`);
  else if (byMx) evidence.push(`MX ${hosts[0]} → ${byMx}`);
  else evidence.push(hosts.length ? `MX ${hosts[0]} (not a known provider)` : 'no MX records');

  const t = doc.kind === 'tenant' ? readTenant(doc.doc) : undefined;
  if (doc.kind === 'failed') evidence.push(`could not look up a Microsoft tenant (${doc.reason})`);
  else if (t?.consumer) evidence.push('the domain belongs to Microsoft\'s consumer tenant (Outlook.com)');
  else if (t?.tenant) {
    const where = doc.kind === 'tenant' ? [doc.doc.cloud_instance_name, doc.doc.tenant_region_scope, doc.doc.tenant_region_sub_scope].filter(Boolean).join(' ') : '';
    evidence.push(`Microsoft tenant ${t.tenant}${where ? ` in ${where}` : ''}`);
  } else evidence.push('no Microsoft tenant for this domain');

  const microsoft = t?.tenant && !t.consumer
    ? { provider: 'microsoft365', tenant: t.tenant, cloud: t.cloud ?? (byMx === 'microsoft365' ? cloudFromMx(hosts) : undefined) }
    : undefined;
  let out: Detection;
  if (byMx === 'outlook.com' || t?.consumer) {
    out = { provider: 'outlook.com', tenant: 'consumers', cloud: 'public', confident: true, evidence };
  } else if (byMx && byMx !== 'microsoft365') {
    // Mail goes where MX points (Google Workspace, Yahoo, Fastmail...): a Microsoft tenant that merely exists is the alternative.
    out = { provider: byMx, tenant: undefined, cloud: undefined, confident: true, evidence, ...(microsoft ? { alsoPossible: microsoft } : {}) };
    if (microsoft) evidence.push(`mail is delivered to ${providerById(byMx)?.label ?? byMx} (MX), so it is chosen; the Microsoft tenant is the alternative`);
  } else if (microsoft) {
    out = { ...microsoft, confident: true, evidence };
  } else if (byMx === 'microsoft365') {
    out = { provider: 'microsoft365', tenant: undefined, cloud: cloudFromMx(hosts), confident: true, evidence };
  } else {
    out = { provider: 'microsoft365', tenant: undefined, cloud: undefined, confident: false, evidence };
    if (mx.kind === 'failed' && doc.kind === 'failed') evidence.push('offline? nothing could be looked up');
  }
  if (out.cloud && out.cloud !== 'public') evidence.push(`cloud: ${cloudById(out.cloud)!.label}`);
  return out;
}
