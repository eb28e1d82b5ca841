import type { OAuth2Endpoints } from '../account.js';
import type { Flow } from '../auth/flow.js';
import { ExitCode, UserError } from '../errors.js';
import { fullScopes, type Provider } from '../providers/table.js';
import type { ProtocolPlanInput, ProtocolPlan } from './protocol-plan.js';

/** A flow the provider cannot do is a usage error that says why and what works instead. */
export function checkFlowAllowed(p: Provider, flow: Flow): void {
  const why = p.unsupportedFlows?.[flow];
  if (!why) return;
  const others = (['browser', 'device', 'paste'] as const).filter((f) => !p.unsupportedFlows?.[f]);
  throw new UserError(
    ExitCode.Usage,
    `--flow ${flow} does not work with ${p.label}: ${why}`,
    `Use ${others.map((f) => `--flow ${f}`).join(' or ')}` + (others.includes('browser')
      ? ' (the browser opens on this machine). Over SSH, forward a port first: ssh -L 8765:127.0.0.1:8765 HOST, ' +
        'then mailoauth setup --flow browser --port 8765 and open the printed address in your local browser'
      : ''),
  );
}

/**
 * Standards OAuth2 / OpenID Connect: no tenant; the client id (the row's public client, else the flag's,
 * checked against the row's pattern); the endpoints — under --authority (the local test platform, a
 * proxy), the stored ones on --reauth, flags, an --issuer to discover them from, or the row's; the
 * scopes (--scope, else the row's). Pure.
 */
export function planOAuth2(x: ProtocolPlanInput): ProtocolPlan {
  const { o, provider: p, existing } = x;
  const row = p.oauth2!;
  if (o.tenant) throw new UserError(ExitCode.Usage, `--tenant does not apply to ${p.label}.`, 'Leave --tenant out');
  const clientId = (o.clientId ?? existing?.clientId ?? p.defaultClientId).trim();
  if (!clientId) {
    throw new UserError(ExitCode.Usage, `${p.label} has no public client mailoauth knows: name yours with --client-id.`, 'Register mailoauth (a public or "native" client with a loopback redirect) with the provider, then: --client-id ID [--client-secret-env VAR]');
  }
  if (!row.clientIdPattern.test(clientId)) {
    throw new UserError(ExitCode.Usage, `"${clientId}" is not a ${p.label} OAuth client id (like ${row.clientIdExample}).`, row.clientIdHelp ?? 'Copy the client id the provider gave you');
  }
  const endpoints = planEndpoints(p, o, existing);
  const scopes = o.scope !== undefined ? checkScopes(o.scope) : existing ? existing.scopes : fullScopes(p);
  if (scopes.length === 0) throw new UserError(ExitCode.Usage, `${p.label} needs the scopes its mail servers accept: --scope "...".`, 'e.g. --scope "openid email offline_access mail"');
  return { clientId, tenant: '', authority: endpoints.issuer ?? o.authority?.replace(/\/+$/, '') ?? existing?.authority ?? p.authorityHost, scopes, oauth2: endpoints };
}

function planEndpoints(p: Provider, o: ProtocolPlanInput['o'], existing: ProtocolPlanInput['existing']): OAuth2Endpoints {
  const row = p.oauth2!;
  if (o.authority) {
    // One base URL for the endpoints: the local test platform, or a proxy in front of the provider.
    if (!row.paths) throw new UserError(ExitCode.Usage, `--authority does not apply to ${p.label}.`, 'Use --issuer URL, or --authorization-endpoint and --token-endpoint');
    const base = httpsBase(o.authority);
    return { authorizationEndpoint: base + row.paths.authorizationEndpoint, tokenEndpoint: base + row.paths.tokenEndpoint };
  }
  if (o.authorizationEndpoint || o.tokenEndpoint) {
    if (!o.authorizationEndpoint || !o.tokenEndpoint) throw new UserError(ExitCode.Usage, 'Give both --authorization-endpoint and --token-endpoint (or an --issuer to discover them).');
    return {
      authorizationEndpoint: httpsUrl(o.authorizationEndpoint, '--authorization-endpoint'),
      tokenEndpoint: httpsUrl(o.tokenEndpoint, '--token-endpoint'),
      ...(o.deviceAuthorizationEndpoint ? { deviceAuthorizationEndpoint: httpsUrl(o.deviceAuthorizationEndpoint, '--device-authorization-endpoint') } : {}),
    };
  }
  if (o.issuer) return { authorizationEndpoint: '', tokenEndpoint: '', issuer: httpsBase(o.issuer) };
  if (existing?.oauth2) return { ...existing.oauth2 };
  if (row.endpoints) return { ...row.endpoints };
  throw new UserError(ExitCode.Usage, `${p.label} needs to know where to sign in: --issuer URL (discovered), or --authorization-endpoint and --token-endpoint.`, 'e.g. mailoauth setup --provider oidc --issuer https://sso.example.org/realms/mail ...');
}

/** --scope "a b c" (or "a,b"): what the provider's mail servers accept, as space-free tokens. */
function checkScopes(v: string): string[] {
  const list = v.split(/[\s,]+/).filter(Boolean);
  for (const s of list) {
    if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)) throw new UserError(ExitCode.Usage, `"${s}" is not a scope (RFC 6749 §3.3: printable characters, no quotes or backslashes).`);
  }
  return list;
}

function httpsUrl(url: string, flag: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(ExitCode.Usage, `${flag} "${url}" is not a URL.`);
  }
  if (u.protocol !== 'https:') throw new UserError(ExitCode.Usage, `${flag} must be an https URL, not "${url}".`);
  return u.toString();
}

function httpsBase(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(ExitCode.Usage, `"${url}" is not a URL.`, 'e.g. --authority https://127.0.0.1:8443');
  }
  if (u.protocol !== 'https:' || u.search || u.hash) {
    throw new UserError(ExitCode.Usage, `"${url}" is not a base URL for the sign-in endpoints: it must be https://HOST[/PATH].`, 'e.g. --authority https://127.0.0.1:8443');
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** The user's own client's secret, from the environment variable --client-secret-env names (never a flag value: shell history). */
export function clientSecretFromEnv(varName: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (varName === undefined) return undefined;
  const v = env[varName];
  if (!v) throw new UserError(ExitCode.Usage, `--client-secret-env ${varName}: that environment variable is empty or not set.`, `export ${varName}=... (the client secret), then run setup again`);
  return v;
}
