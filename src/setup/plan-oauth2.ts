import type { Account, OAuth2Endpoints } from '../account.js';
import type { Flow } from '../auth/signin.js';
import { ExitCode, UserError } from '../errors.js';
import type { OAuth2Row, Provider } from '../providers/table.js';

/** The decisions of a setup that differ for a plain-OAuth2 provider (Google). Pure. */
export interface OAuth2Plan {
  clientId: string;
  authority: string;
  oauth2: OAuth2Endpoints;
}

/** A flow the provider cannot do is a usage error that says why and what works instead. */
export function checkFlowAllowed(p: Provider, flow: Flow): void {
  const why = p.unsupportedFlows?.[flow];
  if (!why) return;
  throw new UserError(
    ExitCode.Usage,
    `--flow ${flow} does not work with ${p.label}: ${why}`,
    'Use --flow browser (it opens a browser on this machine). Over SSH, forward a port first: ' +
      'ssh -L 8765:127.0.0.1:8765 HOST, then mailoauth setup --flow browser --port 8765 and open the printed address in your local browser',
  );
}

export function planOAuth2(p: Provider & { oauth2: OAuth2Row }, o: { clientId?: string; tenant?: string; authority?: string }, existing?: Account): OAuth2Plan {
  if (o.tenant) throw new UserError(ExitCode.Usage, `--tenant does not apply to ${p.label}.`, 'Leave --tenant out');
  const clientId = (o.clientId ?? existing?.clientId ?? p.defaultClientId).trim();
  if (!p.oauth2.clientIdPattern.test(clientId)) {
    throw new UserError(ExitCode.Usage, `"${clientId}" is not a ${p.label} OAuth client id (like ${p.oauth2.clientIdExample}).`,
      "Copy the client id of a \"Desktop app\" OAuth client from Google Cloud console → APIs & Services → Credentials, or leave --client-id out to use Thunderbird's");
  }
  let authority: string;
  let endpoints: OAuth2Endpoints;
  if (o.authority) {
    // One base URL for both endpoints: the local test platform, or a proxy in front of the provider.
    const base = httpsBase(o.authority);
    authority = base;
    endpoints = { authorizationEndpoint: base + p.oauth2.paths.authorizationEndpoint, tokenEndpoint: base + p.oauth2.paths.tokenEndpoint };
  } else if (existing?.oauth2) {
    authority = existing.authority;
    endpoints = { ...existing.oauth2 };
  } else {
    authority = p.authorityHost;
    endpoints = { ...p.oauth2.endpoints };
  }
  return { clientId, authority, oauth2: endpoints };
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
