import { join } from 'node:path';
import { xdgConfigHome } from '../xdg.js';

/** mailoauth's own directory: $XDG_CONFIG_HOME/mailoauth (an absolute XDG_CONFIG_HOME only), else ~/.config/mailoauth. */
export function configDir(env: NodeJS.ProcessEnv): string {
  return join(xdgConfigHome(env), 'mailoauth');
}

export const accountsFile = (env: NodeJS.ProcessEnv) => join(configDir(env), 'accounts.json');
export const locksDir = (env: NodeJS.ProcessEnv) => join(configDir(env), 'locks');
/** Only for the explicit `--store file` choice. */
export const fileStoreDir = (env: NodeJS.ProcessEnv) => join(configDir(env), 'secrets');
/** `--store gpg`: the encrypted items. */
export const gpgStoreDir = (env: NodeJS.ProcessEnv) => join(configDir(env), 'gpg');
