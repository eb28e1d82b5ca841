import { signInFallbacks } from '../auth/redirects.js';
import type { Flow } from '../auth/flow.js';
import { ExitCode } from '../errors.js';
import { knownClientById } from '../providers/table.js';

/** What a fix text may refer to. */
export interface DiagnoseContext {
  account: string;
  email?: string;
  clientId: string;
  /** Authority URL, e.g. https://login.microsoftonline.com/contoso.onmicrosoft.com */
  authority: string;
  /** The sign-in that failed, when it was one: a fix never recommends the form that just failed. */
  flow?: Flow;
  redirectUri?: string;
}

export interface Diagnosis {
  cause: string;
  fix: (c: DiagnoseContext) => string;
  /** Exit code when this ends a command; sign-in failures that need the user to act are 3. */
  exit: ExitCode;
}

export function adminConsentUrl(c: Pick<DiagnoseContext, 'authority' | 'clientId'>): string {
  return `${c.authority.replace(/\/+$/, '')}/adminconsent?client_id=${encodeURIComponent(c.clientId)}`;
}

const relogin = (c: DiagnoseContext) => `mailoauth setup --reauth ${c.account}`;
const setupOwnApp = (c: DiagnoseContext) =>
  `Use an app registration your tenant allows: mailoauth setup --reauth ${c.account} --client-id <your-app-id> (registration steps: mailoauth doctor --app-help)`;

/**
 * AADSTS50020 points the user at the other kind of account: the authority's tenant says which kind
 * was expected. Outlook.com/Hotmail/Live addresses sign in at `consumers`; work accounts at their
 * organization's tenant (or `organizations`).
 */
function wrongAccountType(c: DiagnoseContext): string {
  const tenant = c.authority.replace(/\/+$/, '').split('/').pop()?.toLowerCase() ?? '';
  const who = c.email ? ` as ${c.email}` : '';
  if (tenant === 'consumers') {
    return `This sign-in only takes personal Microsoft accounts (Outlook.com, Hotmail, Live). For a work or school account${who}: mailoauth setup --reauth ${c.account} --provider microsoft365 --tenant organizations`;
  }
  return `This sign-in takes work or school accounts${tenant && tenant !== 'organizations' && tenant !== 'common' ? ` of tenant ${tenant}` : ''}. ` +
    `For a personal Outlook.com/Hotmail/Live account: mailoauth setup --reauth ${c.account} --provider outlook.com --tenant consumers; ` +
    `for a work account of another organization: mailoauth setup --reauth ${c.account} --tenant <its domain or tenant id>`;
}

/** AADSTS code → cause and exact fix. One row per code; codes sharing a cause share a row. */
const ROWS: Array<[number[], Diagnosis]> = [
  [[700082, 50173, 70008, 700084], {
    cause: 'The refresh token has expired or was revoked (password change, admin sign-out, 90 days unused or a token-lifetime policy).',
    fix: relogin,
    exit: ExitCode.ReloginNeeded,
  }],
  [[70043, 50133], {
    cause: "The sign-in has reached the age your organization allows (a Conditional Access sign-in frequency): it must be renewed regularly. mailoauth now knows how long it lasts and shows the next date in mailoauth list.",
    fix: relogin,
    exit: ExitCode.ReloginNeeded,
  }],
  [[7000112, 700016], {
    cause: 'The app (client id) is disabled or not available in this tenant.',
    fix: setupOwnApp,
    exit: ExitCode.ReloginNeeded,
  }],
  [[65001, 90094], {
    cause: 'Your organization requires an administrator to consent to this app before users can sign in with it.',
    fix: (c) => `Ask an admin to open ${adminConsentUrl(c)} and grant consent, then run: mailoauth setup --reauth ${c.account}`,
    exit: ExitCode.ReloginNeeded,
  }],
  [[53003], {
    cause: 'A Conditional Access policy blocks this sign-in (often: device-code sign-in is not allowed).',
    fix: (c) => `Sign in with the browser instead: mailoauth setup --reauth ${c.account} --flow browser`,
    exit: ExitCode.ReloginNeeded,
  }],
  [[50011], {
    cause: 'The redirect URI is not one the app registered.',
    fix: (c) => {
      const others = signInFallbacks({ flow: c.flow ?? 'browser', redirectUri: c.redirectUri }, knownClientById(c.clientId))
        .map((f) => `--flow ${f.flow}${f.redirectUri && f.flow === 'browser' ? ` --redirect-uri ${f.redirectUri}` : ''}`);
      return `Sign in another way: mailoauth setup --reauth ${c.account} ${others.join(', or ')}` +
        `; or add ${c.redirectUri ?? 'the redirect URI'} to your own app registration (Authentication → Mobile and desktop applications)`;
    },
    exit: ExitCode.ReloginNeeded,
  }],
  [[700025, 7000218], {
    cause: 'The app registration does not allow public-client flows (device code, or a desktop app without a secret).',
    fix: (c) => `In the Azure portal: App registrations → the app → Authentication → "Allow public client flows" = Yes; or rerun: mailoauth setup --reauth ${c.account} --flow browser`,
    exit: ExitCode.ReloginNeeded,
  }],
  [[50076, 50079], {
    cause: 'Multi-factor authentication is required (newly enforced, or the sign-in needs to be renewed with MFA).',
    fix: relogin,
    exit: ExitCode.ReloginNeeded,
  }],
  [[90002], {
    cause: 'Microsoft knows no tenant by that name: the domain is not a Microsoft 365 organization, or the tenant is mistyped.',
    fix: (c) => `Check the address. A personal Outlook.com/Hotmail address: --provider outlook.com; a work account: its tenant, e.g. mailoauth setup --email ${c.email ?? 'you@contoso.com'} --tenant contoso.onmicrosoft.com`,
    exit: ExitCode.Usage,
  }],
  [[50020], {
    cause: 'The account is not from this tenant or is the wrong type (a personal Microsoft account where a work account is expected, or the other way round).',
    fix: wrongAccountType,
    exit: ExitCode.ReloginNeeded,
  }],
];

export const AADSTS: ReadonlyMap<number, Diagnosis> = new Map(ROWS.flatMap(([codes, d]) => codes.map((c) => [c, d] as const)));

/** Error names that mean "the user must sign in again" even without a code we know. */
export const RELOGIN_ERRORS = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required', 'bad_token', 'invalid_client', 'unauthorized_client']);

/** The first AADSTS code in a server reply or error text. */
export function aadstsCode(...sources: unknown[]): number | undefined {
  for (const s of sources) {
    if (s && typeof s === 'object' && Array.isArray((s as { error_codes?: unknown }).error_codes)) {
      const c = Number((s as { error_codes: unknown[] }).error_codes[0]);
      if (Number.isInteger(c) && c > 0) return c;
    }
    const text = typeof s === 'string' ? s : s && typeof s === 'object' ? JSON.stringify(s) : '';
    const m = /AADSTS(\d{4,8})/.exec(text);
    if (m) return Number(m[1]);
  }
  return undefined;
}
