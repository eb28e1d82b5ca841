import { PROVIDERS } from './table.js';

/** What detection found and why, shown to the user before they confirm or override. */
export interface Detection {
  provider: string;
  /** Tenant id (GUID) from the domain's OpenID document, when it has one. */
  tenant?: string;
  /** cloud_instance_name from the OpenID document (microsoftonline.com, microsoftonline.us, ...). */
  cloud?: string;
  evidence: string[];
}

export interface DetectIo {
  /** MX host names of a domain; [] when there are none or the lookup failed. */
  mx(domain: string): Promise<string[]>;
  /** The OpenID document of `domain` as a tenant at `authorityHost`, or undefined. */
  openid(authorityHost: string, domain: string): Promise<{ issuer?: string; cloud_instance_name?: string; tenant_region_scope?: string } | undefined>;
}

/** MX host suffix → provider row id. */
const MX_RULES: Array<[RegExp, string]> = [
  [/\.mail\.protection\.outlook\.com\.?$/i, 'microsoft365'],
  [/\.mx\.microsoft\.?$/i, 'microsoft365'],
  [/(^|\.)(aspmx\.l\.google\.com|googlemail\.com|google\.com)\.?$/i, 'google'],
];

export function classifyMx(hosts: string[]): string | undefined {
  for (const h of hosts) for (const [re, id] of MX_RULES) if (re.test(h)) return id;
  return undefined;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Domain rules, then MX, then the Microsoft OpenID document for the domain. Lookups may fail: then the user is asked. */
export async function detectProvider(email: string, authorityHost: string, io: DetectIo): Promise<Detection> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const consumer = PROVIDERS.find((p) => p.domains.includes(domain));
  if (consumer) return { provider: consumer.id, tenant: consumer.defaultTenant, evidence: [`${domain} is a ${consumer.label} domain`] };
  const evidence: string[] = [];
  const [mx, doc] = await Promise.all([io.mx(domain).catch(() => []), io.openid(authorityHost, domain).catch(() => undefined)]);
  const byMx = classifyMx(mx);
  if (byMx) evidence.push(`MX ${mx[0]} → ${byMx}`);
  else evidence.push(mx.length ? `MX ${mx[0]} (not a known provider)` : 'no MX answer');
  const tenant = doc?.issuer ? GUID.exec(doc.issuer)?.[0] : undefined;
  if (tenant) evidence.push(`Microsoft tenant ${tenant}${doc?.cloud_instance_name ? ` in ${doc.cloud_instance_name}` : ''}`);
  else evidence.push('no Microsoft tenant for this domain');
  const provider = tenant ? 'microsoft365' : byMx ?? 'microsoft365';
  return { provider, tenant, cloud: doc?.cloud_instance_name, evidence };
}

/** Real lookups with short deadlines: detection must never hold up an offline laptop for long. */
export function networkDetectIo(timeoutMs = 2000): DetectIo {
  return {
    async mx(domain) {
      const { Resolver } = await import('node:dns/promises');
      const r = new Resolver({ timeout: timeoutMs, tries: 1 });
      const answers = await r.resolveMx(domain);
      return answers.sort((a, b) => a.priority - b.priority).map((a) => a.exchange);
    },
    async openid(authorityHost, domain) {
      const res = await fetch(`${authorityHost}/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) return undefined;
      return (await res.json()) as { issuer?: string; cloud_instance_name?: string };
    },
  };
}
