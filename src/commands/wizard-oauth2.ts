import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import type { OAuth2Row, Provider } from '../providers/table.js';
import type { SetupOptions } from './setup-plan.js';
import { checkFlowAllowed, clientSecretFromEnv } from './setup-plan-oauth2.js';

const valid = (check: (v: string) => unknown) => (v: string): true | string => {
  try {
    check(v.trim());
    return true;
  } catch (e) {
    return e instanceof UserError ? e.message : String(e);
  }
};

/**
 * The rest of the wizard for a plain-OAuth2 provider (Gmail): no tenant, which client, and no flow
 * question, since the browser is the only sign-in Google allows; it says what will happen instead.
 */
export async function askOAuth2Setup(d: Deps, o: SetupOptions, email: string, row: Provider & { oauth2: OAuth2Row }): Promise<SetupOptions> {
  const p = d.prompt;
  let { clientId, clientSecretEnv } = o;
  if (!clientId) {
    const own = await p.select({
      id: 'app',
      message: 'Which OAuth client should sign you in?',
      choices: [
        { value: false, name: "Thunderbird's public client (no setup)" },
        { value: true, name: 'My own Google Cloud OAuth client' },
      ],
      default: false,
    });
    if (own) {
      d.stderr.write(
        'Your client needs: Google Cloud console → APIs & Services → Credentials → OAuth client ID of type "Desktop app",\n' +
          'and the scope https://mail.google.com/ on its OAuth consent screen (add yourself as a test user while it is in Testing).\n' +
          `${row.oauth2.ownClientNote ?? ''}\n`,
      );
      clientId = (await p.input({
        id: 'clientId',
        message: 'Client ID',
        validate: valid((v) => {
          if (!row.oauth2.clientIdPattern.test(v)) throw new UserError(ExitCode.Usage, `Not a Google client id (like ${row.oauth2.clientIdExample}).`);
        }),
      })).trim();
      if (clientSecretEnv === undefined) {
        clientSecretEnv = (await p.input({
          id: 'clientSecretEnv',
          message: 'Environment variable that holds the client secret (kept out of your shell history; stored in the keychain)',
          default: 'MAILOAUTH_CLIENT_SECRET',
          validate: valid((v) => clientSecretFromEnv(v, d.env)),
        })).trim();
      }
    } else {
      clientId = row.defaultClientId;
    }
  }
  const flow = o.flow ?? 'browser';
  checkFlowAllowed(row, flow as 'browser');
  d.stderr.write(
    `${row.label} signs in only in a browser: mailoauth opens one, you sign in as ${email} and allow access,\n` +
      'and the browser comes back to a port on 127.0.0.1 on this machine. (Google offers no device code for mail.)\n',
  );
  return { ...o, email, provider: row.id, tenant: undefined, clientId, clientSecretEnv, flow };
}
