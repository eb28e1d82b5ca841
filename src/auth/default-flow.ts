import type { Flow } from './signin.js';

/** Device code where no local browser can reach a loopback listener (SSH, no display); else the browser. */
export function defaultFlow(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Flow {
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return 'device';
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    return env.DISPLAY || env.WAYLAND_DISPLAY || env.BROWSER ? 'browser' : 'device';
  }
  return 'browser';
}
