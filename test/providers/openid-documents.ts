import type { OpenidDocument } from '../../src/providers/detect-io.js';

/** A tenant id for recorded answers. */
export const T = '11111111-2222-3333-4444-555555555555';

/** OpenID documents as Microsoft serves them for a tenant in each cloud (the fields detection reads). */
export const DOC: Record<string, OpenidDocument> = {
  commercial: { issuer: `https://login.microsoftonline.com/${T}/v2.0`, cloud_instance_name: 'microsoftonline.com', tenant_region_scope: 'NA' },
  gcc: { issuer: `https://login.microsoftonline.com/${T}/v2.0`, cloud_instance_name: 'microsoftonline.com', tenant_region_scope: 'NA', tenant_region_sub_scope: 'GCC' },
  gccHigh: { issuer: `https://login.microsoftonline.us/${T}/v2.0`, cloud_instance_name: 'microsoftonline.us', tenant_region_scope: 'USGov', tenant_region_sub_scope: 'DODCON' },
  dod: { issuer: `https://login.microsoftonline.us/${T}/v2.0`, cloud_instance_name: 'microsoftonline.us', tenant_region_scope: 'USGov', tenant_region_sub_scope: 'DOD' },
  china: { issuer: `https://login.partner.microsoftonline.cn/${T}/v2.0`, cloud_instance_name: 'partner.microsoftonline.cn', tenant_region_scope: 'AS' },
};
