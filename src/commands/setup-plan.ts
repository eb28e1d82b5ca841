import type { Account, Endpoint, StoreKind } from '../account.js';
import { checkAccountName, checkAuthority, checkClientId, checkEmail } from '../account-name.js';
import { defaultFlow } from '../auth/default-flow.js';
import type { Flow } from '../auth/signin.js';
import { DEFAULT_REDIRECT } from '../auth/signin.js';
import { ExitCode, UserError } from '../errors.js';
import { fullScopes, providerById, providerForEmail } from '../providers/table.js';
import { checkFlowAllowed, clientSecretFromEnv, planOAuth2 } from './setup-plan-oauth2.js';

export interface SetupOptions {
  email?: string;
  name?: string;
  provider?: string;
  clientId?: string;
  /** Name of the environment variable holding the client secret (plain-OAuth2 providers). */
  clientSecretEnv?: string;
  tenant?: string;
  flow?: string;
  store?: string;
  authority?: string;
  redirectUri?: string;
  port?: string;
  imapHost?: string;
  imapPort?: string;
  smtpHost?: string;
  smtpPort?: string;
  verify?: boolean;
  yes?: boolean;
  reauth?: string;
  clients?: string;
  caFile?: string;
  maildir?: string;
  dryRun?: boolean;
  force?: boolean;
}

export interface SetupPlan {
  account: Omit<Account, 'createdAt' | 'homeAccountId'> & { createdAt?: string };
  flow: Flow;
  port?: number;
  verify: boolean;
  /** The user's own client's secret (--client-secret-env): goes to the keychain, never accounts.json. */
  clientSecret?: string;
}

const FLOWS: Flow[] = ['device', 'browser', 'paste'];
const STORES: StoreKind[] = ['keychain', 'file'];

/**
 * Every decision of a non-interactive setup, from flags (and, for --reauth, the stored account):
 * pure, so each flag's effect is a table row in the tests.
 */
export function planSetup(o: SetupOptions, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, existing?: Account): SetupPlan {
  const email = o.email ?? existing?.email;
  if (!email) throw new UserError(ExitCode.Usage, 'Missing --email.', 'mailoauth setup --email you@contoso.com --yes');
  checkEmail(email);
  const provider = o.provider ? providerById(o.provider) : existing ? providerById(existing.provider) : providerForEmail(email);
  if (!provider) throw new UserError(ExitCode.Usage, `Unknown provider "${o.provider}".`, 'Use --provider microsoft365, --provider outlook.com or --provider google');
  // A provider without device code gets the browser even over SSH: the error would be no better.
  const flow = (o.flow ?? (provider.unsupportedFlows?.device ? 'browser' : defaultFlow(env, platform))) as Flow;
  if (!FLOWS.includes(flow)) throw new UserError(ExitCode.Usage, `Unknown flow "${o.flow}".`, 'Use --flow device, --flow browser or --flow paste');
  checkFlowAllowed(provider, flow);
  const store = (o.store ?? existing?.store ?? 'keychain') as StoreKind;
  if (!STORES.includes(store)) throw new UserError(ExitCode.Usage, `Unknown store "${o.store}".`, 'Use --store keychain (default) or --store file');
  const oauth2 = provider.oauth2 ? planOAuth2({ ...provider, oauth2: provider.oauth2 }, o, existing) : undefined;
  if (!oauth2 && o.clientSecretEnv !== undefined) throw new UserError(ExitCode.Usage, `--client-secret-env is not supported for ${provider.label} yet.`, 'Leave it out');
  const clientSecret = clientSecretFromEnv(o.clientSecretEnv, env);
  const clientId = oauth2 ? oauth2.clientId : checkClientId(o.clientId ?? existing?.clientId ?? provider.defaultClientId);
  const tenant = oauth2 ? '' : o.tenant ?? existing?.tenant ?? provider.defaultTenant;
  if (!oauth2 && !/^[A-Za-z0-9.-]{1,128}$/.test(tenant)) throw new UserError(ExitCode.Usage, `"${tenant}" is not a tenant (a GUID, a domain, organizations, consumers or common).`, 'e.g. --tenant contoso.onmicrosoft.com');
  const authority = oauth2 ? oauth2.authority : checkAuthority(o.authority ?? (o.tenant || !existing ? `${provider.authorityHost}/${tenant}` : existing.authority));
  const name = checkAccountName(o.name ?? existing?.name ?? email);
  const imap: Endpoint = { ...(existing?.imap ?? provider.imap) };
  const smtp: Endpoint = { ...(existing?.smtp ?? provider.smtp) };
  if (o.imapHost) imap.host = o.imapHost;
  if (o.imapPort) imap.port = port(o.imapPort, '--imap-port');
  if (o.smtpHost) smtp.host = o.smtpHost;
  if (o.smtpPort) smtp.port = port(o.smtpPort, '--smtp-port');
  // The port decides the TLS mode for the well-known ports; others keep the provider's mode.
  if (o.imapPort) imap.tls = imap.port === 143 ? 'starttls' : imap.port === 993 ? 'implicit' : imap.tls;
  if (o.smtpPort) smtp.tls = smtp.port === 465 ? 'implicit' : smtp.port === 587 ? 'starttls' : smtp.tls;
  return {
    account: {
      name,
      email,
      provider: provider.id,
      ...(oauth2 ? { auth: 'oauth2' as const, oauth2: oauth2.oauth2 } : {}),
      clientId,
      tenant,
      authority,
      scopes: existing?.scopes ?? fullScopes(provider),
      imap,
      smtp,
      store,
      redirectUri: oauth2 ? oauth2.redirectUri : o.redirectUri ?? (flow === 'device' ? undefined : existing?.redirectUri ?? DEFAULT_REDIRECT[flow]),
      createdAt: existing?.createdAt,
    },
    flow,
    port: o.port ? port(o.port, '--port') : undefined,
    verify: o.verify !== false,
    ...(clientSecret ? { clientSecret } : {}),
  };
}

function port(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserError(ExitCode.Usage, `${flag} must be a port number (1-65535), not "${v}".`);
  return n;
}

export interface SignInAttempt {
  flow: Flow;
  redirectUri?: string;
  name?: string;
}

/**
 * After AADSTS50011 (redirect URI not registered): the other loopback form, then the paste flow,
 * then device code, which needs no redirect at all (SPEC, wizard step 3).
 */
export function redirectFallbacks(failed: SignInAttempt): SignInAttempt[] {
  const all: SignInAttempt[] = [
    { flow: 'browser', redirectUri: 'http://localhost', name: 'Browser, with redirect http://localhost' },
    { flow: 'browser', redirectUri: 'http://127.0.0.1', name: 'Browser, with redirect http://127.0.0.1' },
    { flow: 'paste', redirectUri: 'https://localhost', name: 'Paste the address the browser ends on (https://localhost)' },
    { flow: 'device', name: 'Device code (no redirect needed)' },
  ];
  const host = (u?: string) => (u ? new URL(u).hostname : undefined);
  return all.filter((f) => !(f.flow === failed.flow && host(f.redirectUri) === host(failed.redirectUri)));
}
