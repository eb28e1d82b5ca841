import { checkAuthority, checkClientId } from '../account-name.js';
import { ExitCode, UserError } from '../errors.js';
import { cloudById, type CloudId } from '../providers/clouds.js';
import { fullScopes, knownClient, type KnownClient, type Provider } from '../providers/table.js';
import type { ProtocolPlanInput, ProtocolPlan } from './protocol-plan.js';

/**
 * Microsoft's identity platform: a GUID client id (Thunderbird's by default, in the cloud it exists in),
 * the tenant (flag, stored, detected, else the row's), the authority in the cloud, the scopes with the
 * cloud's resource. Pure.
 */
export function planMsal(x: ProtocolPlanInput): ProtocolPlan {
  const { o, provider, row, cloud, existing } = x;
  if (o.clientSecretEnv !== undefined) throw new UserError(ExitCode.Usage, `--client-secret-env is not supported for ${provider.label} (its apps are public clients).`, 'Leave it out');
  for (const [flag, v] of [['--issuer', o.issuer], ['--scope', o.scope]] as const) {
    if (v !== undefined) throw new UserError(ExitCode.Usage, `${flag} does not apply to ${provider.label}.`, `Leave ${flag} out`);
  }
  const clientId = checkClientId(o.clientId ?? existing?.clientId ?? provider.defaultClientId);
  checkClientCloud(provider, knownClient(provider, clientId), cloud, x.chosenClient);
  const tenant = o.tenant ?? existing?.tenant ?? x.detected?.tenant ?? row.defaultTenant;
  if (!/^[A-Za-z0-9.-]{1,128}$/.test(tenant)) throw new UserError(ExitCode.Usage, `"${tenant}" is not a tenant (a GUID, a domain, organizations, consumers or common).`, 'e.g. --tenant contoso.onmicrosoft.com');
  const authority = checkAuthority(o.authority ?? (o.tenant || !existing ? `${row.authorityHost}/${tenant}` : existing.authority));
  return { clientId, tenant, authority, scopes: existing ? existing.scopes : fullScopes(row) };
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
