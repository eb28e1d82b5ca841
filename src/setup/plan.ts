import type { Account, Endpoint, StoreKind } from '../account.js';
import { checkAccountName, checkEmail } from '../account-name.js';
import { proposedFlow } from '../auth/default-flow.js';
import { parseMechanism, saslRecord, SASL_MECHANISMS, type SaslMechanism } from '../auth/sasl.js';
import { chooseRedirect } from '../auth/redirects.js';
import { FLOWS, type Flow } from '../auth/flow.js';
import { ExitCode, UserError } from '../errors.js';
import { checkGpgRecipient } from '../store/gpg-recipient.js';
import { checkCloud, cloudById, inCloud, providerHasClouds, type CloudId } from '../providers/clouds.js';
import type { Detection } from '../providers/detect.js';
import { fullScopes, knownClient, providerById, providerForEmail, type KnownClient, type Provider } from '../providers/table.js';
import { planMsal } from './plan-msal.js';
import { checkFlowAllowed, clientSecretFromEnv, planOAuth2 } from './plan-oauth2.js';
import type { SetupOptions } from './options.js';
import type { ProtocolPlanner } from './protocol-plan.js';
import { parsePort, tlsForPort } from '../ports.js';

export interface SetupPlan {
  account: Omit<Account, 'createdAt' | 'homeAccountId'> & { createdAt?: string };
  /** Who signs in: the account's email, or for a shared mailbox its delegate. */
  signInUser: string;
  /** --expect-user: a signed-in identity other than signInUser that is accepted without asking. */
  expectUser?: string;
  flow: Flow;
  port?: number;
  verify: boolean;
  /** --sasl: the mechanism both servers must offer; without it setup's logins choose from what they offer. */
  sasl?: SaslMechanism;
  /** The user's own client's secret (--client-secret-env): goes to the keychain, never accounts.json. */
  clientSecret?: string;
}


/** Step 1 of the protocol seam (src/auth/protocol.ts): each protocol's planner, pure and light. */
const PLANNERS: Record<Provider['protocol'], ProtocolPlanner> = { msal: planMsal, oauth2: planOAuth2 };
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
  if (o.flow !== undefined && !FLOWS.includes(o.flow as Flow)) throw new UserError(ExitCode.Usage, `Unknown flow "${o.flow}".`, 'Use --flow device, --flow browser or --flow paste');
  if (o.flow !== undefined) checkFlowAllowed(provider, o.flow as Flow);
  const store = (o.store ?? existing?.store ?? 'keychain') as StoreKind;
  if (!STORES.includes(store)) throw new UserError(ExitCode.Usage, `Unknown store "${o.store}".`, 'Use --store keychain (default), --store gpg or --store file');
  const gpgRecipient = store === 'gpg' ? checkGpgRecipient(o.gpgRecipient ?? existing?.gpgRecipient) : undefined;
  const sasl = parseMechanism(o.sasl);
  if (o.sasl !== undefined && !sasl) throw new UserError(ExitCode.Usage, `Unknown SASL mechanism "${o.sasl}".`, `Use --sasl ${SASL_MECHANISMS.join(' or --sasl ')}, or leave it out to use what the servers offer`);
  // A --reauth that moves the account to another provider or cloud takes that row's hosts and scopes.
  const moved = existing !== undefined && ((o.cloud !== undefined && o.cloud !== (existing.cloud ?? 'public')) || (o.provider !== undefined && o.provider !== existing.provider));
  const kept = moved ? undefined : existing;
  // The protocol's own decisions (client id, tenant or endpoints, authority, scopes): its planner.
  const p = PLANNERS[provider.protocol]({ o, provider, row, cloud, existing: kept, detected: detectedHere, chosenClient: o.clientId !== undefined || kept !== undefined });
  const clientSecret = clientSecretFromEnv(o.clientSecretEnv, env);
  // The session's way to sign in when the provider and client allow it (a provider without device code
  // gets the browser even over SSH: the error would be no better), else one they do.
  const flow = (o.flow as Flow | undefined) ?? proposedFlow(provider, p.clientId, env, platform);
  const client = knownClient(provider, p.clientId);
  if (flow === 'device' && client && !client.deviceCode) {
    throw new UserError(ExitCode.Usage, `${client.label} for ${provider.label} does not allow the device-code flow.`, 'Use --flow browser');
  }
  const redirectUri = chooseRedirect({ flow, flag: o.redirectUri, stored: kept?.redirectUri, client });
  const email = mailbox ?? signInUser;
  const name = checkAccountName(o.name ?? existing?.name ?? email);
  const imap: Endpoint = { ...(kept ? kept.imap : row.imap) };
  const smtp: Endpoint = { ...(kept ? kept.smtp : row.smtp) };
  if (o.imapHost) imap.host = o.imapHost;
  if (o.imapPort) imap.port = parsePort(o.imapPort, '--imap-port');
  if (o.smtpHost) smtp.host = o.smtpHost;
  if (o.smtpPort) smtp.port = parsePort(o.smtpPort, '--smtp-port');
  // The port decides the TLS mode for the well-known ports; others keep the provider's mode.
  if (o.imapPort) imap.tls = tlsForPort('imap', imap.port) ?? imap.tls;
  if (o.smtpPort) smtp.tls = tlsForPort('smtp', smtp.port) ?? smtp.tls;
  // A provider without known hosts (the generic one) takes them from the flags.
  if (!imap.host || !smtp.host) {
    throw new UserError(ExitCode.Usage, `${provider.label} needs the mail servers: --imap-host and --smtp-host (and their ports if not 993 and 465).`, 'e.g. --imap-host imap.example.org --smtp-host smtp.example.org');
  }
  return {
    account: {
      name,
      email,
      ...(mailbox ? { delegate: signInUser } : {}),
      provider: provider.id,
      ...(cloud !== 'public' ? { cloud } : {}),
      ...(p.oauth2 ? { auth: 'oauth2' as const, oauth2: p.oauth2 } : {}),
      clientId: p.clientId,
      tenant: p.tenant,
      authority: p.authority,
      scopes: p.scopes,
      imap,
      smtp,
      ...saslOf(sasl ? saslRecord({ imap: sasl, smtp: sasl }) : kept?.sasl),
      store,
      ...(gpgRecipient ? { gpgRecipient } : {}),
      redirectUri,
      createdAt: existing?.createdAt,
    },
    signInUser,
    ...(o.expectUser !== undefined ? { expectUser: checkEmail(o.expectUser) } : {}),
    flow,
    port: o.port ? parsePort(o.port, '--port') : undefined,
    verify: o.verify !== false,
    ...(sasl ? { sasl } : {}),
    ...(clientSecret ? { clientSecret } : {}),
  };
}

/**
 * Whether setup without a wizard should look the domain up: only when a flag leaves something
 * detection can answer (provider, tenant, cloud). Consumer domains need no lookup.
 */
export function wantsDetection(o: SetupOptions): boolean {
  if (o.provider && o.provider !== 'microsoft365') return false;
  return !(o.cloud && (o.tenant || o.authority));
}

const saslOf = (sasl: Account['sasl']) => (sasl ? { sasl } : {});
