import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import type { OAuth2Row, Provider } from '../providers/table.js';
import type { SetupOptions } from './options.js';
import { clientSecretFromEnv } from './plan-oauth2.js';
import { valid } from '../ui/prompter.js';

/**
 * The user's own OAuth client for a plain-OAuth2 provider (Gmail): what it needs, its client id, and
 * the environment variable holding its secret (kept out of shell history, then stored in the keychain).
 */
export async function askOwnOAuth2Client(d: Deps, o: SetupOptions, row: Provider & { oauth2: OAuth2Row }): Promise<{ clientId: string; clientSecretEnv?: string }> {
  const p = d.prompt;
  d.stderr.write(`${row.oauth2.ownClientSetup}\n${row.ownClientNote ? `${row.ownClientNote}\n` : ''}`);
  const clientId = (await p.input({
    id: 'clientId',
    message: 'Client ID',
    validate: valid((v) => {
      if (!row.oauth2.clientIdPattern.test(v)) throw new UserError(ExitCode.Usage, `Not a ${row.label} client id (like ${row.oauth2.clientIdExample}).`);
    }),
  })).trim();
  const optional = row.oauth2.ownClientSecret === 'optional';
  const clientSecretEnv = o.clientSecretEnv ?? (await p.input({
    id: 'clientSecretEnv',
    message: `Environment variable that holds the client secret (kept out of your shell history; stored in the keychain)${optional ? '; empty: a public client, no secret' : ''}`,
    default: optional ? '' : 'MAILOAUTH_CLIENT_SECRET',
    validate: (v) => (optional && v.trim() === '' ? true : valid((x) => clientSecretFromEnv(x, d.env))(v)),
  })).trim();
  return { clientId, clientSecretEnv: clientSecretEnv || undefined };
}
