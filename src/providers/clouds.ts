import type { Endpoint } from '../account.js';
import { ExitCode, UserError } from '../errors.js';

/**
 * Microsoft's clouds as data: where to sign in, which resource the mail scopes name, and where
 * IMAP/SMTP live. A provider row that runs in every cloud (Microsoft 365) is combined with one of
 * these; the token engine never sees the difference (it only reads the account's authority and scopes).
 *
 * Each host's sources, and how sure they are, are in docs/real-services.md ("Microsoft clouds").
 * GCC ("moderate") tenants live in the public cloud: same hosts and scopes as commercial tenants.
 */
export type CloudId = 'public' | 'usgov' | 'usgov-dod' | 'china';

export interface Cloud {
  id: CloudId;
  label: string;
  /** Authority host, no trailing slash. */
  authorityHost: string;
  /** Resource prefix of the mail scopes. */
  scopePrefix: string;
  imap: Endpoint;
  smtp: Endpoint;
  /** Where an app is registered in this cloud (an app exists only in the cloud it was registered in). */
  portal: { entra: string; azure: string };
}

export const CLOUDS: Cloud[] = [
  {
    id: 'public',
    label: 'Worldwide (commercial and GCC)',
    authorityHost: 'https://login.microsoftonline.com',
    scopePrefix: 'https://outlook.office.com/',
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
    portal: { entra: 'https://entra.microsoft.com', azure: 'https://portal.azure.com' },
  },
  {
    id: 'usgov',
    label: 'US Government GCC High',
    authorityHost: 'https://login.microsoftonline.us',
    scopePrefix: 'https://outlook.office365.us/',
    imap: { host: 'outlook.office365.us', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.office365.us', port: 587, tls: 'starttls' },
    portal: { entra: 'https://entra.microsoft.us', azure: 'https://portal.azure.us' },
  },
  {
    id: 'usgov-dod',
    label: 'US Government DoD',
    authorityHost: 'https://login.microsoftonline.us',
    scopePrefix: 'https://outlook.office365.us/',
    imap: { host: 'outlook-dod.office365.us', port: 993, tls: 'implicit' },
    smtp: { host: 'outlook-dod.office365.us', port: 587, tls: 'starttls' },
    portal: { entra: 'https://entra.microsoft.us', azure: 'https://portal.azure.us' },
  },
  {
    id: 'china',
    label: 'China (operated by 21Vianet)',
    authorityHost: 'https://login.partner.microsoftonline.cn',
    scopePrefix: 'https://partner.outlook.cn/',
    imap: { host: 'partner.outlook.cn', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.partner.outlook.cn', port: 587, tls: 'starttls' },
    portal: { entra: 'https://entra.microsoftonline.cn', azure: 'https://portal.azure.cn' },
  },
];

export const CLOUD_IDS = CLOUDS.map((c) => c.id);

/** Provider rows that exist in every Microsoft cloud; the others (Outlook.com, Gmail) are public only. */
const MULTI_CLOUD_PROVIDERS = new Set(['microsoft365']);

export function cloudById(id: string): Cloud | undefined {
  return CLOUDS.find((c) => c.id === id);
}

export function checkCloud(id: string): CloudId {
  if (!cloudById(id)) throw new UserError(ExitCode.Usage, `Unknown cloud "${id}".`, `Use --cloud ${CLOUD_IDS.join(', --cloud ')}`);
  return id as CloudId;
}

export function providerHasClouds(providerId: string): boolean {
  return MULTI_CLOUD_PROVIDERS.has(providerId);
}

/** What of a provider row a cloud replaces (src/providers/table.ts Provider has all of it). */
interface CloudSpecific {
  id: string;
  label: string;
  authorityHost: string;
  scopePrefix: string;
  imap: Endpoint;
  smtp: Endpoint;
}

/** The provider row as it is in `cloud`: its authority host, scope resource and mail hosts replaced. */
export function inCloud<P extends CloudSpecific>(p: P, cloud: CloudId): P {
  if (cloud === 'public') return p;
  if (!providerHasClouds(p.id)) {
    throw new UserError(ExitCode.Usage, `${p.label} exists only in the worldwide cloud, not in "${cloud}".`, 'Leave out --cloud, or use --provider microsoft365 for a government or 21Vianet tenant');
  }
  const c = cloudById(cloud)!;
  return { ...p, authorityHost: c.authorityHost, scopePrefix: c.scopePrefix, imap: { ...c.imap }, smtp: { ...c.smtp } };
}

/** The OpenID document fields that name a tenant's cloud (Microsoft extensions to OIDC discovery). */
export interface CloudClaims {
  cloud_instance_name?: string;
  tenant_region_scope?: string;
  tenant_region_sub_scope?: string;
}

/**
 * A tenant's cloud from its OpenID document: `cloud_instance_name` names the cloud, and in the US
 * Government cloud `tenant_region_sub_scope` tells DoD (DOD) from GCC High (DODCON). GCC tenants
 * (sub-scope GCC) are in microsoftonline.com and use the worldwide endpoints.
 */
export function cloudFromOpenid(doc: CloudClaims | undefined): CloudId | undefined {
  const instance = doc?.cloud_instance_name?.toLowerCase();
  const sub = doc?.tenant_region_sub_scope?.toUpperCase();
  const region = doc?.tenant_region_scope?.toUpperCase();
  if (instance === 'microsoftonline.us' || (!instance && (region === 'USGOV' || region === 'USG'))) return sub === 'DOD' ? 'usgov-dod' : 'usgov';
  if (instance === 'partner.microsoftonline.cn' || instance === 'chinacloudapi.cn') return 'china';
  if (instance === 'microsoftonline.com') return 'public';
  return undefined;
}

/** Microsoft 365's MX host suffix → cloud, for tenants whose OpenID document could not be read (detect.ts reads these too). */
export const MX_CLOUDS: Array<[RegExp, CloudId]> = [
  [/\.mail\.protection\.office365\.us\.?$/i, 'usgov'],
  [/\.mail\.protection\.partner\.outlook\.cn\.?$/i, 'china'],
  [/\.mail\.protection\.outlook\.com\.?$/i, 'public'],
  [/\.mx\.microsoft\.?$/i, 'public'],
];

export function cloudFromMx(hosts: string[]): CloudId | undefined {
  for (const h of hosts) for (const [re, id] of MX_CLOUDS) if (re.test(h)) return id;
  return undefined;
}

/**
 * Where to read a domain's OpenID document: the given authority's host (tests, private platforms),
 * else the chosen cloud's; the worldwide host also answers for government and 21Vianet tenants.
 */
export function openidHostFor(authority?: string, cloud?: string): string {
  if (authority) return new URL(authority).origin;
  return (cloud && cloudById(cloud)?.authorityHost) || CLOUDS[0]!.authorityHost;
}
