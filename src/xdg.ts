import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The XDG Base Directory rules, once (https://specifications.freedesktop.org/basedir-spec/latest/):
 * "All paths set in these environment variables must be absolute. If an implementation encounters a
 * relative path in any of these variables it should consider the path invalid and ignore it."
 * Used for mailoauth's own files, the mail programs' config files and systemd's user units alike.
 */
export interface XdgEnv {
  HOME?: string;
  XDG_CONFIG_HOME?: string;
  XDG_RUNTIME_DIR?: string;
}

/** $HOME, else the user database's home (os.homedir). */
export function homeDir(env: Pick<XdgEnv, 'HOME'>): string {
  return env.HOME || homedir();
}

/** An XDG variable's value when it is an absolute path (trailing slashes dropped), else undefined. */
export function absoluteXdg(value: string | undefined): string | undefined {
  if (!value?.startsWith('/')) return undefined;
  return value.replace(/(.)\/+$/, '$1');
}

/** $XDG_CONFIG_HOME when set and absolute, else ~/.config. */
export function xdgConfigHome(env: Pick<XdgEnv, 'HOME' | 'XDG_CONFIG_HOME'>): string {
  return absoluteXdg(env.XDG_CONFIG_HOME) ?? join(homeDir(env), '.config');
}

/** $XDG_RUNTIME_DIR when set and absolute; undefined otherwise (the caller decides the fallback). */
export function xdgRuntimeDir(env: Pick<XdgEnv, 'XDG_RUNTIME_DIR'>): string | undefined {
  return absoluteXdg(env.XDG_RUNTIME_DIR);
}
