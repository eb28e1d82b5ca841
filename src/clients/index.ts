import { ExitCode, UserError } from '../errors.js';
import { aerc } from './aerc.js';
import { CLIENT_IDS, type Client, type ClientId } from './client.js';
import { getmail } from './getmail.js';
import { gitSendEmail } from './git-send-email.js';
import { mbsync } from './mbsync.js';
import { msmtp } from './msmtp.js';
import { mutt } from './mutt.js';
import { neomutt } from './neomutt.js';
import { offlineimap } from './offlineimap.js';
import { sNail } from './s-nail.js';

/** Every client mailoauth writes for, by the name `--client` takes. */
export const CLIENTS: Record<ClientId, Client> = {
  offlineimap, mbsync, mutt, neomutt, msmtp, aerc, getmail, 'git-send-email': gitSendEmail, 's-nail': sNail,
};

export { CLIENT_IDS, type Client, type ClientId, type RenderOptions, type MergeOptions, type PathEnv } from './client.js';
export { isConflict, type MergeResult } from './block.js';
export { imapsyncCommand } from './imapsync.js';

/** `--client NAME`: a client mailoauth writes for. */
export function parseClient(name: string): ClientId {
  if ((CLIENT_IDS as readonly string[]).includes(name)) return name as ClientId;
  throw new UserError(ExitCode.Usage, `Unknown client "${name}".`, `Use one of: ${CLIENT_IDS.join(', ')}`);
}

/** `--clients a,b`: each once, a client's `requires` before it (git send-email's msmtp block first). */
export function parseClients(list: string): ClientId[] {
  const ids = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean).map(parseClient))];
  const rank = (id: ClientId) => (ids.some((other) => CLIENTS[other].requires === id) ? 0 : 1);
  return [...ids].sort((x, y) => rank(x) - rank(y));
}
