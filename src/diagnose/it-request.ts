import { PlatformError } from '../auth/classify.js';
import { requestScopes } from '../auth/scopes.js';
import { knownClientById } from '../providers/table.js';
import { adminConsentUrl } from './aadsts.js';

/** The AADSTS codes that mean "your tenant blocks this app": only an administrator can change that. */
export const TENANT_BLOCK_CODES: ReadonlySet<number> = new Set([7000112, 700016, 65001, 90094, 53003]);

export interface ItRequestContext {
  account: string;
  /** Who signs in. */
  email: string;
  clientId: string;
  /** https://HOST/TENANT */
  authority: string;
  /** The account's scopes, as requested (offline_access included). */
  scopes: string[];
  /** The redirect the app registered, if known (the v2 consent URL must name a registered one). */
  redirectUri?: string;
}

/** What the administrator must change, per code. */
const WHAT: Record<number, string> = {
  7000112: 'The app is disabled in our tenant. In the Microsoft Entra admin center: Enterprise applications → the app above → Properties → "Enabled for users to sign-in?" = Yes.',
  700016: 'The app is not known in our tenant yet: granting admin consent (link below) adds it.',
  65001: 'Users may not consent to this app themselves: please grant admin consent (link below).',
  90094: 'Users may not consent to this app themselves: please grant admin consent (link below).',
  53003: 'A Conditional Access policy blocks this sign-in (often: the device-code flow, or sign-ins from unmanaged devices). Please allow it for this app, or tell me which sign-in is allowed.',
};

/**
 * The admin-consent URL with the exact scopes (Microsoft identity platform v2 form). It needs a
 * redirect the app registered: known for a vendor's public client and for the user's own app when a
 * browser or paste sign-in was used; otherwise undefined (the tenant-wide v1 form still works).
 */
export function adminConsentUrlWithScopes(c: ItRequestContext): string | undefined {
  const redirect = c.redirectUri ?? knownClientById(c.clientId)?.redirects.paste ?? knownClientById(c.clientId)?.redirects.browser;
  if (!redirect) return undefined;
  const tenant = c.authority.replace(/\/+$/, '').split('/').pop() ?? '';
  // "Do not use common" (v2-admin-consent): an alias names no tenant to consent for.
  if (['common', 'organizations', 'consumers'].includes(tenant.toLowerCase())) return undefined;
  const u = new URL(`${c.authority.replace(/\/+$/, '')}/v2.0/adminconsent`);
  u.searchParams.set('client_id', c.clientId);
  u.searchParams.set('scope', requestScopes(c.scopes).concat('offline_access').filter((s, i, all) => all.indexOf(s) === i).join(' '));
  u.searchParams.set('redirect_uri', redirect);
  return u.toString();
}

/**
 * A request the user can paste into a mail to IT when the tenant blocks the app: which app (client
 * id), for whom, which delegated permissions and why, the consent link for exactly those, what the
 * specific refusal needs changed, and the alternative that needs no change to the shared app.
 */
export function itRequest(c: ItRequestContext, code: number): string {
  const known = knownClientById(c.clientId);
  const app = known ? `${known.label} (${c.clientId}), the app Mozilla Thunderbird signs in with` : `our own app registration ${c.clientId}`;
  const scoped = adminConsentUrlWithScopes(c);
  const lines = [
    `Microsoft refused the sign-in (AADSTS${code}): only an administrator of your organization can change that.`,
    'What to send them (copy from here):',
    '',
    '  ---',
    `  Hello, I read my mail (${c.email}) with IMAP/SMTP programs through mailoauth, which signs in with`,
    `  ${app}.`,
    '  It needs these delegated permissions, for my own mailbox only:',
    ...requestScopes(c.scopes).map((s) => `    ${s}`),
    '    offline_access (to stay signed in)',
    ...(WHAT[code] ? [`  ${WHAT[code]}`] : []),
    '  Admin consent for exactly these permissions (sign in as an administrator):',
    ...(scoped ? [`    ${scoped}`, '  or for the app\'s configured permissions:'] : []),
    `    ${adminConsentUrl(c)}`,
    '  ---',
    '',
    `Or, without a change to that app: register your own app (steps: mailoauth doctor --app-help), then: mailoauth setup --reauth ${c.account} --client-id <its application id>`,
  ];
  return lines.join('\n') + '\n';
}

/** The request for IT when `e` is the platform refusing because of the tenant's rules; else undefined. */
export function tenantBlockRequest(e: unknown, c: ItRequestContext): string | undefined {
  return e instanceof PlatformError && e.aadsts !== undefined && TENANT_BLOCK_CODES.has(e.aadsts) ? itRequest(c, e.aadsts) : undefined;
}
