import { assertHost, checkClientId, checkEmail, domainOf } from '../account-name.js';
import type { Flow } from '../auth/flow.js';
import type { Deps } from '../deps.js';
import { adminConsentUrl } from '../diagnose/aadsts.js';
import { UserError } from '../errors.js';
import { CLOUDS, inCloud, openidHostFor, providerHasClouds, type CloudId } from '../providers/clouds.js';
import { detectProvider, type Detection } from '../providers/detect.js';
import { PROVIDERS, knownClient, providerById } from '../providers/table.js';
import { valid } from '../ui/prompter.js';
import type { SetupOptions } from './options.js';
import { planSetup } from './plan.js';
import { allowedFlows } from '../auth/default-flow.js';
import { defaultClientIn, describePlan, planToOptions, proposePlan, type ProposeInput, type WizardPlan } from './wizard-plan.js';
import { parsePort } from '../ports.js';

/** How many times the plan may be changed before the wizard stops asking (a bound, not a limit anyone meets). */
const MAX_CHANGES = 20;

type Change = 'accept' | 'provider' | 'cloud' | 'tenant' | 'app' | 'flow' | 'clients' | 'mailbox';

/**
 * The wizard: the address, then what was detected and decided shown as one plan (provider, cloud,
 * tenant, app, sign-in, clients), accepted with one answer or changed item by item. Questions come only
 * where nothing can be proposed: a domain whose mail and tenant point to different providers, a
 * cloud where only the user's own app can sign in. Returns the options flags would give, so the rest of
 * setup cannot tell a typed answer from a flag.
 */
export async function askSetup(d: Deps, o: SetupOptions, installed: () => string[] = () => []): Promise<SetupOptions> {
  const p = d.prompt;
  const email = o.email ?? (await p.input({ id: 'email', message: 'Email address of the mailbox', validate: valid(checkEmail) })).trim();
  let detected: Detection | undefined;
  if (!o.provider || (!o.tenant && !o.authority)) {
    d.stderr.write(`Looking up ${domainOf(email)}...\n`);
    detected = await detectProvider(email, openidHostFor(o.authority, o.cloud), d.detectIo);
  }
  const x: ProposeInput = { o, email, detected, env: d.env, platform: process.platform, installed: o.clients === undefined ? installed() : [] };
  const overrides: Partial<WizardPlan> = {};
  if (detected?.alsoPossible && !o.provider) {
    // Mail and tenant disagree (Google MX, Microsoft tenant): shown both, the user says which holds the mailbox.
    d.stderr.write(`Found: ${detected.evidence.join('; ')}\n`);
    overrides.provider = await p.select({
      id: 'provider',
      message: `${domainOf(email)} has mail at ${providerById(detected.provider)!.label} and a Microsoft tenant. Where is ${email}'s mailbox?`,
      choices: [detected.provider, detected.alsoPossible.provider].map((id) => ({ value: id, name: providerById(id)!.label })),
      default: detected.provider,
    });
  }
  let plan = proposePlan(x, overrides);
  x.o = await askServerDetails(d, x.o, plan.provider);
  if (plan.clientId === '') plan = await askOwnApp(d, x, plan, overrides);
  d.stderr.write(describePlan(plan, detected, x.o));
  for (let i = 0; i < MAX_CHANGES; i++) {
    const change = await p.select<Change>({
      id: 'plan',
      message: 'Go ahead with this plan?',
      choices: changeChoices(plan),
      default: 'accept',
    });
    if (change === 'accept') {
      const problem = planProblem(x.o, plan, d.env);
      if (!problem) return planToOptions(x.o, plan);
      d.stderr.write(`That plan cannot work: ${problem}\n`);
      continue;
    }
    plan = await changePlan(d, x, plan, overrides, change);
    d.stderr.write(describePlan(plan, undefined, x.o));
  }
  throw new UserError(2, 'The plan was changed too many times without being accepted.', 'Run setup again, or give the answers as flags (mailoauth setup --help)');
}

function changeChoices(plan: WizardPlan): Array<{ value: Change; name: string }> {
  const row = providerById(plan.provider)!;
  return [
    { value: 'accept', name: 'Yes, sign in' },
    { value: 'provider', name: 'Change the provider' },
    ...(providerHasClouds(plan.provider) ? [{ value: 'cloud' as const, name: 'Change the Microsoft cloud' }] : []),
    ...(plan.tenant !== undefined ? [{ value: 'tenant' as const, name: 'Change the tenant' }] : []),
    { value: 'app', name: 'Use another app registration (client id)' },
    ...(allowedFlows(row, plan.clientId).length > 1 ? [{ value: 'flow' as const, name: 'Sign in another way' }] : []),
    { value: 'clients', name: 'Choose the mail programs' },
    ...(providerHasClouds(plan.provider) ? [{ value: 'mailbox' as const, name: 'Open a shared mailbox with this sign-in' }] : []),
  ];
}

/** What planSetup (the flags' own checks) says against the plan, in words; undefined when it would run. */
function planProblem(o: SetupOptions, plan: WizardPlan, env: NodeJS.ProcessEnv): string | undefined {
  try {
    planSetup(planToOptions(o, plan), env, process.platform);
    return undefined;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return `${e.message}${e.fix ? ` (${e.fix})` : ''}`;
  }
}

async function changePlan(d: Deps, x: ProposeInput, plan: WizardPlan, overrides: Partial<WizardPlan>, change: Exclude<Change, 'accept'>): Promise<WizardPlan> {
  const p = d.prompt;
  switch (change) {
    case 'provider': {
      overrides.provider = await p.select({ id: 'provider', message: 'Mail provider', choices: PROVIDERS.map((r) => ({ value: r.id, name: r.label })), default: plan.provider });
      // Another provider: its own defaults for everything that depended on the old one.
      for (const k of ['cloud', 'tenant', 'clientId', 'clientSecretEnv', 'flow'] as const) delete overrides[k];
      const next = proposePlan(x, overrides);
      x.o = await askServerDetails(d, x.o, next.provider);
      return next.clientId === '' ? askOwnApp(d, x, next, overrides) : next;
    }
    case 'cloud': {
      overrides.cloud = await p.select<CloudId>({ id: 'cloud', message: 'Microsoft cloud of your organization', choices: CLOUDS.map((c) => ({ value: c.id, name: c.label })), default: plan.cloud });
      delete overrides.clientId;
      delete overrides.flow;
      const next = proposePlan(x, overrides);
      return next.clientId === '' ? askOwnApp(d, x, next, overrides) : next;
    }
    case 'tenant':
      overrides.tenant = (await p.input({ id: 'tenant', message: "Tenant (your organization's domain or tenant id)", default: plan.tenant })).trim();
      return proposePlan(x, overrides);
    case 'app': {
      const row = providerById(plan.provider)!;
      const publicClient = defaultClientIn(row, plan.cloud);
      const own = publicClient === '' || (await p.select({
        id: 'app',
        message: 'Which app registration should sign you in?',
        choices: [
          { value: false, name: `${knownClient(row, row.defaultClientId)!.label} (no setup; most organizations allow it)` },
          { value: true, name: 'My own app registration' },
        ],
        default: plan.clientId !== row.defaultClientId,
      }));
      if (!own) {
        overrides.clientId = publicClient;
        delete overrides.clientSecretEnv;
        delete overrides.flow;
        return proposePlan(x, overrides);
      }
      return askOwnApp(d, x, plan, overrides);
    }
    case 'flow': {
      const row = providerById(plan.provider)!;
      const text: Record<Flow, [string, string]> = {
        browser: ['Browser on this machine', 'opens a browser; the answer comes back to a port on 127.0.0.1'],
        device: ['Device code', 'sign in on any device with a short code (over SSH, or no browser here)'],
        paste: ['Paste the redirected address', 'when neither of the above works'],
      };
      overrides.flow = await p.select<Flow>({
        id: 'flow',
        message: 'How do you want to sign in?',
        choices: allowedFlows(row, plan.clientId).map((f) => ({ value: f, name: text[f][0], description: text[f][1] })),
        default: plan.flow,
      });
      return proposePlan(x, overrides);
    }
    case 'clients': {
      const { CLIENT_IDS } = await import('../clients/index.js');
      overrides.clients = await p.checkbox<string>({
        id: 'clients',
        message: 'Write config blocks for which mail programs? (space toggles, enter confirms)',
        choices: CLIENT_IDS.map((c) => ({ value: c, name: c, checked: plan.clients.includes(c) })),
      });
      return proposePlan(x, overrides);
    }
    case 'mailbox': {
      const v = (await p.input({
        id: 'mailbox',
        message: `Address of the shared mailbox to open with ${plan.email}'s sign-in (empty: ${plan.email}'s own mailbox)`,
        validate: (s) => (s.trim() === '' ? true : valid(checkEmail)(s)),
      })).trim();
      overrides.mailbox = v || undefined;
      return proposePlan(x, overrides);
    }
  }
}

/**
 * A provider whose servers mailoauth does not know (another OpenID Connect / OAuth2 provider): what
 * discovery cannot find — the issuer (whose metadata names the endpoints), the scopes the mail servers
 * accept, the mail servers. Each only when no flag gave it.
 */
async function askServerDetails(d: Deps, o: SetupOptions, provider: string): Promise<SetupOptions> {
  const row = providerById(provider)!;
  const p = d.prompt;
  const r = { ...o };
  if (row.oauth2 && !row.oauth2.endpoints && !o.issuer && !o.authorizationEndpoint && !o.authority) {
    r.issuer = (await p.input({ id: 'issuer', message: 'Issuer URL of your OpenID provider (e.g. https://sso.example.org/realms/mail); its endpoints are looked up from it',
      validate: (v) => (/^https:\/\/[^\s]+$/.test(v.trim()) ? true : 'An https URL') })).trim();
  }
  if (row.mailScopes.length === 0 && o.scope === undefined) {
    r.scope = (await p.input({ id: 'scope', message: 'Scopes your mail servers accept (space-separated)', default: 'openid email offline_access' })).trim();
  }
  const portOk = valid((v) => parsePort(v.trim(), 'The port'));
  if (!row.imap.host && !o.imapHost) {
    r.imapHost = (await p.input({ id: 'imapHost', message: 'IMAP server', validate: valid((v) => assertHost(v, 'IMAP')) })).trim();
    r.imapPort ??= (await p.input({ id: 'imapPort', message: 'IMAP port (993: TLS, 143: STARTTLS)', default: String(row.imap.port), validate: portOk })).trim();
  }
  if (!row.smtp.host && !o.smtpHost) {
    r.smtpHost = (await p.input({ id: 'smtpHost', message: 'SMTP server', validate: valid((v) => assertHost(v, 'SMTP')) })).trim();
    r.smtpPort ??= (await p.input({ id: 'smtpPort', message: 'SMTP port (465: TLS, 587: STARTTLS)', default: String(row.smtp.port), validate: portOk })).trim();
  }
  return r;
}

/**
 * The user's own app: what it needs, its client id (and for Google its secret's variable). Asked
 * directly when the cloud has no public client (the government and 21Vianet clouds).
 */
async function askOwnApp(d: Deps, x: ProposeInput, plan: WizardPlan, overrides: Partial<WizardPlan>): Promise<WizardPlan> {
  const row = providerById(plan.provider)!;
  if (row.oauth2) {
    const { askOwnOAuth2Client } = await import('./own-client.js');
    Object.assign(overrides, await askOwnOAuth2Client(d, x.o, { ...row, oauth2: row.oauth2 }));
    delete overrides.flow;
    return proposePlan(x, overrides);
  }
  const cloud = inCloud(row, plan.cloud);
  if (defaultClientIn(row, plan.cloud) === '') {
    d.stderr.write(`${cloud.authorityHost.replace('https://', '')} (${CLOUDS.find((c) => c.id === plan.cloud)!.label}) has no public client for mail: sign in with your own app registration.\n`);
  }
  const consentBase = x.o.authority ?? `${cloud.authorityHost}/${plan.tenant ?? 'organizations'}`;
  d.stderr.write(
    'Your app needs: platform "Mobile and desktop applications" with redirect URIs http://127.0.0.1 and https://localhost,\n' +
      '"Allow public client flows" = Yes (device code), and delegated permissions IMAP.AccessAsUser.All, SMTP.Send, offline_access.\n' +
      `Full steps: mailoauth doctor --app-help${plan.cloud === 'public' ? '' : ` --cloud ${plan.cloud}`}\n`,
  );
  const clientId = (await d.prompt.input({ id: 'clientId', message: 'Application (client) ID', validate: valid(checkClientId) })).trim();
  d.stderr.write(`If your organization requires admin consent, an admin opens: ${adminConsentUrl({ authority: consentBase, clientId })}\n`);
  overrides.clientId = clientId;
  delete overrides.flow;
  return proposePlan(x, overrides);
}
