import { checkClientId, checkEmail } from '../account-name.js';
import { defaultFlow } from '../auth/default-flow.js';
import type { Flow } from '../auth/signin.js';
import type { Deps } from '../deps.js';
import { adminConsentUrl } from '../diagnose/aadsts.js';
import { UserError } from '../errors.js';
import { CLOUDS, inCloud, openidHostFor, providerHasClouds, type CloudId } from '../providers/clouds.js';
import { detectProvider } from '../providers/detect.js';
import { PROVIDERS, providerById, THUNDERBIRD_MICROSOFT_CLIENT_ID } from '../providers/table.js';
import type { SetupOptions } from './setup-plan.js';

const valid = (check: (v: string) => unknown) => (v: string): true | string => {
  try {
    check(v.trim());
    return true;
  } catch (e) {
    return e instanceof UserError ? e.message : String(e);
  }
};

/**
 * The wizard's questions, asked only for what no flag answered: email → provider/tenant (detected,
 * shown, overridable) → app registration → sign-in flow. Returns the same options the flags give,
 * so the rest of setup cannot tell a typed answer from a flag.
 */
export async function askSetup(d: Deps, o: SetupOptions): Promise<SetupOptions> {
  const p = d.prompt;
  const email = o.email ?? (await p.input({ id: 'email', message: 'Email address of the mailbox', validate: valid(checkEmail) })).trim();
  let { provider, tenant, cloud } = o;
  if (!provider || !tenant) {
    d.stderr.write(`Looking up ${email.slice(email.indexOf('@') + 1)}...\n`);
    const det = await detectProvider(email, openidHostFor(o.authority, o.cloud), d.detectIo);
    d.stderr.write(`Found: ${det.evidence.join('; ')}\n`);
    provider ??= await p.select({
      id: 'provider',
      message: 'Mail provider',
      choices: PROVIDERS.map((x) => ({ value: x.id, name: x.label })),
      default: providerById(det.provider) ? det.provider : 'microsoft365',
    });
    const found = det.provider === provider ? det : undefined;
    if (!cloud && providerHasClouds(provider)) {
      // Worldwide tenants (nearly everyone) are not asked; a sovereign or unknown cloud is shown for confirmation.
      cloud = found?.cloud === 'public' || (o.authority && !found?.cloud) ? 'public' : await p.select<CloudId>({
        id: 'cloud',
        message: 'Microsoft cloud of your organization',
        choices: CLOUDS.map((c) => ({ value: c.id, name: c.label })),
        default: found?.cloud ?? 'public',
      });
    }
    if (!tenant && !o.authority && !providerById(provider)?.oauth2) {
      const row = inCloud(providerById(provider)!, (cloud ?? 'public') as CloudId);
      tenant = found?.tenant
        ? found.tenant
        : (await p.input({ id: 'tenant', message: 'Tenant (your organization\'s domain or tenant id)', default: row.defaultTenant })).trim();
    }
  }
  let { mailbox } = o;
  // A shared mailbox belongs to the email step: asked only when the address was (a flag user passes --mailbox).
  if (mailbox === undefined && o.email === undefined && providerHasClouds(provider)) {
    const shared = await p.confirm({ id: 'shared', message: `Open a shared mailbox with ${email}'s sign-in (instead of ${email}'s own mailbox)?`, default: false });
    if (shared) mailbox = (await p.input({ id: 'mailbox', message: 'Address of the shared mailbox', validate: valid(checkEmail) })).trim();
  }
  const row = providerById(provider ?? '');
  if (row?.oauth2) {
    const { askOAuth2Setup } = await import('./wizard-oauth2.js');
    return askOAuth2Setup(d, o, email, { ...row, oauth2: row.oauth2 });
  }
  let clientId = o.clientId;
  if (!clientId) {
    const own = await p.select({
      id: 'app',
      message: 'Which app registration should sign you in?',
      choices: [
        { value: false, name: "Thunderbird's public client (no setup; most tenants allow it)" },
        { value: true, name: 'My own app registration' },
      ],
      default: false,
    });
    if (own) {
      const consentBase = o.authority ?? `${inCloud(providerById(provider)!, (cloud ?? 'public') as CloudId).authorityHost}/${tenant ?? 'organizations'}`;
      d.stderr.write(
        'Your app needs: platform "Mobile and desktop applications" with redirect URIs http://localhost and http://127.0.0.1,\n' +
          '"Allow public client flows" = Yes (device code), and delegated permissions IMAP.AccessAsUser.All, SMTP.Send, offline_access.\n' +
          'Full steps: mailoauth doctor --app-help\n',
      );
      clientId = (await p.input({ id: 'clientId', message: 'Application (client) ID', validate: valid(checkClientId) })).trim();
      d.stderr.write(`If your organization requires admin consent, an admin opens: ${adminConsentUrl({ authority: consentBase, clientId })}\n`);
    } else {
      clientId = THUNDERBIRD_MICROSOFT_CLIENT_ID;
    }
  }
  const flow = (o.flow as Flow | undefined) ?? (await p.select<Flow>({
    id: 'flow',
    message: 'How do you want to sign in?',
    choices: [
      { value: 'browser', name: 'Browser on this machine', description: 'opens a browser; the answer comes back to a port on 127.0.0.1' },
      { value: 'device', name: 'Device code', description: 'sign in on any device with a short code (over SSH, or no browser here)' },
      { value: 'paste', name: 'Paste the redirected address', description: 'when neither of the above works' },
    ],
    default: defaultFlow(d.env, process.platform),
  }));
  return { ...o, email, provider, tenant, cloud: cloud === 'public' && !o.cloud ? undefined : cloud, mailbox, clientId, flow };
}
