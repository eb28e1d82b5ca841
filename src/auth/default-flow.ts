import { knownClient, type Provider } from '../providers/table.js';
import type { Flow } from './flow.js';

/** Device code where no local browser can reach a loopback listener (SSH, no display); else the browser. */
export function defaultFlow(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Flow {
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return 'device';
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    return env.DISPLAY || env.WAYLAND_DISPLAY || env.BROWSER ? 'browser' : 'device';
  }
  return 'browser';
}

/** The flows a provider allows, minus what a known client did not register (its redirects, device code). */
export function allowedFlows(row: Provider, clientId: string): Flow[] {
  const c = knownClient(row, clientId);
  return (['browser', 'device', 'paste'] as const).filter((f) =>
    !row.unsupportedFlows?.[f] && (!c || (f === 'device' ? c.deviceCode : Boolean(c.redirects[f]))));
}

/** The session's preferred flow when this provider and client allow it, else the first one they do. */
export function proposedFlow(row: Provider, clientId: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Flow {
  const allowed = allowedFlows(row, clientId);
  const preferred = defaultFlow(env, platform);
  return allowed.includes(preferred) ? preferred : allowed[0] ?? 'browser';
}
