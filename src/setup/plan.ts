import type { Account, Endpoint, StoreKind } from '../account.js';
import { checkAccountName, checkAuthority, checkClientId, checkEmail } from '../account-name.js';
import { defaultFlow } from '../auth/default-flow.js';
import { chooseRedirect } from '../auth/redirects.js';
import type { Flow } from '../auth/signin.js';
import { ExitCode, UserError } from '../errors.js';
import { checkGpgRecipient } from '../store/gpg-recipient.js';
import { checkCloud, cloudById, inCloud, providerHasClouds, type CloudId } from '../providers/clouds.js';
import type { Detection } from '../providers/detect.js';
import { fullScopes, knownClient, providerById, providerForEmail, type KnownClient, type Provider } from '../providers/table.js';
import { checkFlowAllowed, clientSecretFromEnv, planOAuth2 } from './plan-oauth2.js';

export interface SetupOptions {
  email?: string;
  name?: string;
  provider?: string;
  clientId?: string;
  /** Name of the environment variable holding the client secret (plain-OAuth2 providers). */
  clientSecretEnv?: string;
  tenant?: string;
  /** public, usgov, usgov-dod or china (src/providers/clouds.ts). */
  cloud?: string;
  /** A shared mailbox opened with the signed-in user's token (`--email` is then the user who signs in). */
  mailbox?: string;
  /** The identity the platform will report when it is not --email (an Outlook.com alias, a UPN): accepted without asking. */
  expectUser?: string;
  flow?: string;
  store?: string;
  /** --store gpg: the key the secrets are encrypted to. */
  gpgRecipient?: string;
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
  /** Who signs in: the account's email, or for a shared mailbox its delegate. */
  signInUser: string;
  /** --expect-user: a signed-in identity other than signInUser that is accepted without asking. */
  expectUser?: string;
  flow: Flow;
  port?: number;
  verify: boolean;
  /** The user's own client's secret (--client-secret-env): goes to the keychain, never accounts.json. */
  clientSecret?: string;
}

const FLOWS: Flow[] = ['device', 'browser', 'paste'];
const STORES: StoreKind[] = ['keychain', 'file', 'gpg'];

/**
 * Every decision of a non-interactive setup, from flags, the stored account (--reauth) and what
 * detection found, in that order of precedence: pure, so each flag's effect is a table row in the tests.
 */
export function planSetup(o: SetupOptions, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, existing?: Account, detected?: Detection): SetupPlan {
  const signInUser = o.email ?? (existing ? existing.delegate ?? existing.email : undefined);
  if (!signInUser) throw new UserError(ExitCode.Usage, 'Missing --email.', 'mailoauth setup --email you@contoso.com --yes');
  checkEmail(signInUser);
  const byDetection = detected && providerById(detected.provider) ? providerById(detected.provider) : undefined;
  const provider = o.provider ? providerById(o.provider) : existing ? providerById(existing.provider) : byDetection ?? providerForEmail(signInUser);
  if (!provider) throw new UserError(ExitCode.Usage, `Unknown provider "${o.provider}".`, 'Use --provider microsoft365, --provider outlook.com or --provider google');
  const detectedHere = detected?.provider === provider.id ? detected : undefined;
  const cloud: CloudId = checkCloud(o.cloud ?? existing?.cloud ?? (providerHasClouds(provider.id) ? detectedHere?.cloud : undefined) ?? 'public');
  const row = inCloud(provider, cloud);
  const mailboxArg = o.mailbox ?? (existing?.delegate ? existing.email : undefined);
  const mailbox = mailboxArg && mailboxArg.toLowerCase() !== signInUser.toLowerCase() ? checkEmail(mailboxArg) : undefined;
  if (mailbox && !providerHasClouds(provider.id)) {
    throw new UserError(ExitCode.Usage, `${provider.label} has no shared mailboxes: --mailbox is for Microsoft 365.`, 'Leave out --mailbox, or use --provider microsoft365');
  }
  // A provider without device code gets the browser even over SSH: the error would be no better.
  const flow = (o.flow ?? (provider.unsupportedFlows?.device ? 'browser' : defaultFlow(env, platform))) as Flow;
  if (!FLOWS.includes(flow)) throw new UserError(ExitCode.Usage, `Unknown flow "${o.flow}".`, 'Use --flow device, --flow browser or --flow paste');
  checkFlowAllowed(provider, flow);
  const store = (o.store ?? existing?.store ?? 'keychain') as StoreKind;
  if (!STORES.includes(store)) throw new UserError(ExitCode.Usage, `Unknown store "${o.store}".`, 'Use --store keychain (default), --store gpg or --store file');
  const gpgRecipient = store === 'gpg' ? checkGpgRecipient(o.gpgRecipient ?? existing?.gpgRecipient) : undefined;
  // A --reauth that moves the account to another provider or cloud takes that row's hosts and scopes.
  const moved = existing !== undefined && ((o.cloud !== undefined && o.cloud !== (existing.cloud ?? 'public')) || (o.provider !== undefined && o.provider !== existing.provider));
  // Plain-OAuth2 rows (Google): no tenant, their own client ids, endpoints and loopback redirect.
  const oauth2 = provider.oauth2 ? planOAuth2({ ...provider, oauth2: provider.oauth2 }, o, moved ? undefined : existing) : undefined;
  if (!oauth2 && o.clientSecretEnv !== undefined) throw new UserError(ExitCode.Usage, `--client-secret-env is not supported for ${provider.label} yet.`, 'Leave it out');
  const clientSecret = clientSecretFromEnv(o.clientSecretEnv, env);
  const clientId = oauth2 ? oauth2.clientId : checkClientId(o.clientId ?? (moved ? undefined : existing?.clientId) ?? provider.defaultClientId);
  const client = knownClient(provider, clientId);
  checkClientCloud(provider, client, cloud, o.clientId !== undefined || (existing !== undefined && !moved));
  if (flow === 'device' && client && !client.deviceCode) {
    throw new UserError(ExitCode.Usage, `${client.label} for ${provider.label} does not allow the device-code flow.`, 'Use --flow browser');
  }
  const redirectUri = chooseRedirect({ flow, flag: o.redirectUri, stored: moved ? undefined : existing?.redirectUri, client });
  const tenant = oauth2 ? '' : o.tenant ?? (moved ? undefined : existing?.tenant) ?? detectedHere?.tenant ?? row.defaultTenant;
  if (!oauth2 && !/^[A-Za-z0-9.-]{1,128}$/.test(tenant)) throw new UserError(ExitCode.Usage, `"${tenant}" is not a tenant (a GUID, a domain, organizations, consumers or common).`, 'e.g. --tenant contoso.onmicrosoft.com');
  const authority = oauth2 ? oauth2.authority : checkAuthority(o.authority ?? (o.tenant || moved || !existing ? `${row.authorityHost}/${tenant}` : existing.authority));
  const email = mailbox ?? signInUser;
  const name = checkAccountName(o.name ?? existing?.name ?? email);
  const imap: Endpoint = { ...(existing && !moved ? existing.imap : row.imap) };
  const smtp: Endpoint = { ...(existing && !moved ? existing.smtp : row.smtp) };
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
      ...(mailbox ? { delegate: signInUser } : {}),
      provider: provider.id,
      ...(cloud !== 'public' ? { cloud } : {}),
      ...(oauth2 ? { auth: 'oauth2' as const, oauth2: oauth2.oauth2 } : {}),
      clientId,
      tenant,
      authority,
      scopes: existing && !moved ? existing.scopes : fullScopes(row),
      imap,
      smtp,
      store,
      ...(gpgRecipient ? { gpgRecipient } : {}),
      redirectUri,
      createdAt: existing?.createdAt,
    },
    signInUser,
    ...(o.expectUser !== undefined ? { expectUser: checkEmail(o.expectUser) } : {}),
    flow,
    port: o.port ? port(o.port, '--port') : undefined,
    verify: o.verify !== false,
    ...(clientSecret ? { clientSecret } : {}),
  };
}

/**
 * An app registration exists in one Microsoft cloud: a vendor's public client registered in the
 * worldwide cloud is unknown in the others (AADSTS700016 after the user has signed in). Refused before
 * any request, pointing at the app-registration steps for that cloud.
 */
function checkClientCloud(p: Provider, client: KnownClient | undefined, cloud: CloudId, chosen: boolean): void {
  if (!client?.clouds || client.clouds.includes(cloud)) return;
  const label = cloudById(cloud)!.label;
  const steps = `register your own app in that cloud (steps: mailoauth doctor --app-help --cloud ${cloud}), then add --client-id <its application id>`;
  throw new UserError(
    ExitCode.Usage,
    chosen
      ? `${client.label} (${client.id}) is registered only in the worldwide Microsoft cloud, not in ${label}: the sign-in would end in AADSTS700016.`
      : `${label} needs your own app registration: ${client.label}, the default for ${p.label}, exists only in the worldwide cloud.`,
    `For ${label}, ${steps}`,
  );
}

/**
 * Whether setup without a wizard should look the domain up: only when a flag leaves something
 * detection can answer (provider, tenant, cloud). Consumer domains need no lookup.
 */
export function wantsDetection(o: SetupOptions): boolean {
  if (o.provider && o.provider !== 'microsoft365') return false;
  return !(o.cloud && (o.tenant || o.authority));
}

function port(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserError(ExitCode.Usage, `${flag} must be a port number (1-65535), not "${v}".`);
  return n;
}
