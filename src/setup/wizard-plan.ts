import { proposedFlow } from '../auth/default-flow.js';
import type { Flow } from '../auth/flow.js';
import { cloudById, inCloud, providerHasClouds, type CloudId } from '../providers/clouds.js';
import type { Detection } from '../providers/detect.js';
import { knownClient, providerById, providerForEmail, type Provider } from '../providers/table.js';
import type { SetupOptions } from './options.js';

/**
 * The wizard's proposal: every answer the setup needs, from flags, then detection, then defaults.
 * Shown as one plan the user accepts or changes, instead of a question per answer. Pure.
 */
export interface WizardPlan {
  email: string;
  provider: string;
  cloud: CloudId;
  /** Microsoft rows; undefined when --authority names it, or for providers without tenants. */
  tenant?: string;
  /** '' when the cloud has no public client to default to: the user's own app must be named. */
  clientId: string;
  clientSecretEnv?: string;
  flow: Flow;
  clients: string[];
  mailbox?: string;
}

export interface ProposeInput {
  o: SetupOptions;
  email: string;
  detected?: Detection;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Mail programs installed here, preselected. */
  installed: string[];
}

export function proposePlan(x: ProposeInput, overrides: Partial<WizardPlan> = {}): WizardPlan {
  const { o, email, detected } = x;
  const provider = overrides.provider ?? o.provider ?? (detected && providerById(detected.provider) ? detected.provider : providerForEmail(email).id);
  const row = providerById(provider)!;
  const found = detected?.provider === provider ? detected : detected?.alsoPossible?.provider === provider ? { ...detected.alsoPossible } : undefined;
  const cloud: CloudId = overrides.cloud ?? (o.cloud as CloudId | undefined) ?? (providerHasClouds(provider) ? found?.cloud : undefined) ?? 'public';
  // Only providers with tenants (Microsoft's) have one to propose.
  const tenant = !row.defaultTenant || o.authority ? undefined : overrides.tenant ?? o.tenant ?? found?.tenant ?? row.defaultTenant;
  const clientId = overrides.clientId ?? o.clientId ?? defaultClientIn(row, cloud);
  return {
    email,
    provider,
    cloud,
    tenant,
    clientId,
    clientSecretEnv: overrides.clientSecretEnv ?? o.clientSecretEnv,
    flow: overrides.flow ?? (o.flow as Flow | undefined) ?? proposedFlow(row, clientId, x.env, x.platform),
    clients: overrides.clients ?? (o.clients !== undefined ? o.clients.split(',').map((c) => c.trim()).filter(Boolean) : x.installed),
    mailbox: overrides.mailbox ?? o.mailbox,
  };
}

/** The provider's default public client, if it exists in that cloud; else '' (own app needed). */
export function defaultClientIn(row: Provider, cloud: CloudId): string {
  const c = knownClient(row, row.defaultClientId);
  return c?.clouds && !c.clouds.includes(cloud) ? '' : row.defaultClientId;
}

const FLOW_TEXT: Record<Flow, string> = {
  browser: 'browser on this machine (it comes back to a port on 127.0.0.1)',
  device: 'device code (sign in on any device with a short code)',
  paste: 'paste the address the browser ends on',
};

/** The plan as lines for people, with where each answer came from; `o` for what flags (or server questions) set. */
export function describePlan(p: WizardPlan, detected?: Detection, o: SetupOptions = {}): string {
  const row = providerById(p.provider)!;
  const client = knownClient(row, p.clientId);
  const hosts = providerHasClouds(p.provider) ? inCloud(row, p.cloud) : row;
  const server = (h: string | undefined, port: string | undefined, dflt: { host: string; port: number }) => `${h ?? dflt.host}:${port ?? dflt.port}`;
  const lines: Array<[string, string]> = [
    ['provider', row.label],
    ...(o.issuer ? [['issuer', o.issuer] as [string, string]] : []),
    ...(providerHasClouds(p.provider) ? [['cloud', cloudById(p.cloud)!.label] as [string, string]] : []),
    ...(p.tenant !== undefined ? [['tenant', p.tenant] as [string, string]] : []),
    ['app', p.clientId === '' ? 'your own app registration (none named yet)' : client ? `${client.label} (${p.clientId})` : `your own app ${p.clientId}`],
    ['sign-in', FLOW_TEXT[p.flow]],
    ['servers', `IMAP ${server(o.imapHost, o.imapPort, hosts.imap)}, SMTP ${server(o.smtpHost, o.smtpPort, hosts.smtp)}`],
    ['clients', p.clients.length ? p.clients.join(', ') : 'none (write them later: mailoauth config ACCOUNT --client NAME --write)'],
    ...(p.mailbox ? [['mailbox', `${p.mailbox} (shared, opened with ${p.email}'s sign-in)`] as [string, string]] : []),
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  return `\nPlan for ${p.email}${detected ? ` (found: ${detected.evidence.join('; ')})` : ''}:\n` +
    lines.map(([k, v]) => `  ${k.padEnd(width)}  ${v}\n`).join('');
}

/** The plan as the options setup takes: the rest of setup cannot tell it from flags. */
export function planToOptions(o: SetupOptions, p: WizardPlan): SetupOptions {
  return {
    ...o,
    email: p.email,
    provider: p.provider,
    cloud: p.cloud === 'public' && !o.cloud ? undefined : p.cloud,
    tenant: p.tenant,
    clientId: p.clientId || undefined,
    clientSecretEnv: p.clientSecretEnv,
    flow: p.flow,
    clients: p.clients.join(','),
    mailbox: p.mailbox || undefined,
  };
}
