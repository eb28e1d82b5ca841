import { aerc } from './aerc.js';
import type { Client, ClientId } from './client.js';
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
