import { homedir } from 'node:os';
import { join } from 'node:path';

export function configDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'mailoauth');
}

export const accountsFile = (env: NodeJS.ProcessEnv) => join(configDir(env), 'accounts.json');
export const locksDir = (env: NodeJS.ProcessEnv) => join(configDir(env), 'locks');
/** Only for the explicit `--store file` choice. */
export const fileStoreDir = (env: NodeJS.ProcessEnv) => join(configDir(env), 'secrets');
/** `--store gpg`: the encrypted items. */
export const gpgStoreDir = (env: NodeJS.ProcessEnv) => join(configDir(env), 'gpg');
