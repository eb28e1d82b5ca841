import { cloudById, cloudFromMx, cloudFromOpenid, type CloudClaims, type CloudId } from './clouds.js';
import { PROVIDERS } from './table.js';

/** What detection found and why, shown to the user before they confirm or override. */
export interface Detection {
  provider: string;
  /** Tenant id (GUID) from the domain's OpenID document, when it has one. */
  tenant?: string;
  /** The Microsoft cloud the tenant lives in (OpenID document, else MX), when known. */
  cloud?: CloudId;
  evidence: string[];
}

export type OpenidDocument = CloudClaims & { issuer?: string };

export interface DetectIo {
  /** MX host names of a domain, best priority first; [] when there are none. May throw (offline). */
  mx(domain: string): Promise<string[]>;
  /** The OpenID document of `domain` as a tenant at `authorityHost`, or undefined. May throw (offline). */
  openid(authorityHost: string, domain: string): Promise<OpenidDocument | undefined>;
}

/** MX host suffix → provider row id. */
const MX_RULES: Array<[RegExp, string]> = [
  [/\.mail\.protection\.outlook\.com\.?$/i, 'microsoft365'],
  [/\.mx\.microsoft\.?$/i, 'microsoft365'],
  [/\.mail\.protection\.office365\.us\.?$/i, 'microsoft365'],
  [/\.mail\.protection\.partner\.outlook\.cn\.?$/i, 'microsoft365'],
  // Google Workspace: the classic aspmx set, and smtp.google.com (single MX since 2023).
  [/(^|\.)(aspmx\.l\.google\.com|googlemail\.com|google\.com)\.?$/i, 'google'],
];

export function classifyMx(hosts: string[]): string | undefined {
  for (const h of hosts) for (const [re, id] of MX_RULES) if (re.test(h)) return id;
  return undefined;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * Domain rules, then MX, then the Microsoft OpenID document for the domain (tenant id and cloud).
 * Pure apart from `io`; lookups may fail (offline laptop): then nothing is claimed and the user is asked.
 */
export async function detectProvider(email: string, authorityHost: string, io: DetectIo): Promise<Detection> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const consumer = PROVIDERS.find((p) => p.domains.includes(domain));
  if (consumer) return { provider: consumer.id, tenant: consumer.defaultTenant, cloud: 'public', evidence: [`${domain} is a ${consumer.label} domain`] };
  const [mx, doc] = await Promise.all([
    io.mx(domain).catch(() => undefined),
    io.openid(authorityHost, domain).catch(() => undefined),
  ]);
  return decideDetection(mx, doc);
}

/** The decision from recorded answers: `undefined` means the lookup failed or found nothing. */
export function decideDetection(mx: string[] | undefined, doc: OpenidDocument | undefined): Detection {
  const evidence: string[] = [];
  const byMx = mx ? classifyMx(mx) : undefined;
  if (byMx) evidence.push(`MX ${mx![0]} → ${byMx}`);
  else evidence.push(mx?.length ? `MX ${mx[0]} (not a known provider)` : 'no MX answer');
  const tenant = doc?.issuer ? GUID.exec(doc.issuer)?.[0] : undefined;
  const byDoc = tenant ? cloudFromOpenid(doc) : undefined;
  if (tenant) {
    const where = [doc?.cloud_instance_name, doc?.tenant_region_scope, doc?.tenant_region_sub_scope].filter(Boolean).join(' ');
    evidence.push(`Microsoft tenant ${tenant}${where ? ` in ${where}` : ''}`);
  } else {
    evidence.push('no Microsoft tenant for this domain');
  }
  const provider = tenant ? 'microsoft365' : byMx ?? 'microsoft365';
  const cloud = provider === 'microsoft365' ? byDoc ?? (byMx === 'microsoft365' ? cloudFromMx(mx!) : undefined) : undefined;
  if (cloud && cloud !== 'public') evidence.push(`cloud: ${cloudById(cloud)!.label}`);
  return { provider, tenant, cloud, evidence };
}

export interface NetworkDetectOptions {
  timeoutMs?: number;
  /**
   * DNS servers to ask instead of the system's (`ip` or `ip:port`); from MAILOAUTH_DNS_SERVERS
   * (comma-separated) in realDeps, so a test (or a user behind split DNS) can point detection anywhere.
   */
  dnsServers?: string[];
}

/** MAILOAUTH_DNS_SERVERS=127.0.0.1:5353,10.0.0.1 → ['127.0.0.1:5353', '10.0.0.1']. */
export function dnsServersFromEnv(env: NodeJS.ProcessEnv): string[] | undefined {
  const list = (env.MAILOAUTH_DNS_SERVERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return list.length ? list : undefined;
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
      if (res.status !== 200) return undefined;
      return JSON.parse(res.text) as OpenidDocument;
    },
  };
}
