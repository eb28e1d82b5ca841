import type { BusProbe } from './dbus-probe.js';
import { sessionBusSocket } from './dbus-probe.js';
import { xdgRuntimeDir } from '../xdg.js';

/** Where a session bus address came from: the environment, or a place systemd and desktops put the bus. */
export type BusSource = 'DBUS_SESSION_BUS_ADDRESS' | '$XDG_RUNTIME_DIR/bus' | '/run/user/UID/bus';

export interface BusCandidate {
  address: string;
  /** The unix socket to probe; undefined for address forms not read here (tcp, launchd, ...). */
  socket: string | undefined;
  source: BusSource;
}

/**
 * The session buses to try, in order. A set DBUS_SESSION_BUS_ADDRESS is the only answer (the user
 * chose it). Unset, as under classic cron: `$XDG_RUNTIME_DIR/bus` (systemd user services and timers
 * have XDG_RUNTIME_DIR), then `/run/user/UID/bus`, where systemd-logind's user manager and
 * dbus-user-session put the bus of a logged-in (or lingering) user.
 */
export function busCandidates(env: NodeJS.ProcessEnv, uid: number | undefined): BusCandidate[] {
  if (env.DBUS_SESSION_BUS_ADDRESS) {
    const address = env.DBUS_SESSION_BUS_ADDRESS;
    return [{ address, socket: sessionBusSocket(address), source: 'DBUS_SESSION_BUS_ADDRESS' }];
  }
  const out: BusCandidate[] = [];
  const add = (path: string, source: BusSource) => {
    if (!out.some((c) => c.socket === path)) out.push({ address: `unix:path=${escapeBusPath(path)}`, socket: path, source });
  };
  const runtime = xdgRuntimeDir(env);
  if (runtime) add(`${runtime.replace(/\/$/, '')}/bus`, '$XDG_RUNTIME_DIR/bus');
  if (uid !== undefined) add(`/run/user/${uid}/bus`, '/run/user/UID/bus');
  return out;
}

/** D-Bus address values escape every byte outside [-0-9A-Za-z_/.\\] as %XX. */
export function escapeBusPath(path: string): string {
  return [...Buffer.from(path)].map((b) => {
    const c = String.fromCharCode(b);
    return /[-0-9A-Za-z_/.\\]/.test(c) ? c : `%${b.toString(16).padStart(2, '0')}`;
  }).join('');
}

export type BusLocation =
  | { kind: 'found'; bus: BusCandidate }
  /** Accepts connections and never answers: a hung session. */
  | { kind: 'silent'; bus: BusCandidate }
  /** Nothing answers at any candidate; `tried` names them for the message. */
  | { kind: 'none'; tried: BusCandidate[] };

/**
 * The first candidate whose bus answers the D-Bus handshake within `timeoutMs`. An address whose
 * socket is not read here (tcp, launchd) is taken as found and left to the D-Bus library.
 */
export async function locateSessionBus(
  candidates: BusCandidate[],
  probe: (socket: string, timeoutMs: number) => Promise<BusProbe>,
  timeoutMs: number,
): Promise<BusLocation> {
  for (const bus of candidates) {
    if (bus.socket === undefined) return { kind: 'found', bus };
    const answer = await probe(bus.socket, timeoutMs);
    if (answer === 'answered') return { kind: 'found', bus };
    if (answer === 'silent') return { kind: 'silent', bus };
  }
  return { kind: 'none', tried: candidates };
}

/** For --debug and error messages: the address and where it came from. */
export function describeBus(bus: BusCandidate): string {
  return bus.source === 'DBUS_SESSION_BUS_ADDRESS' ? `${bus.address} (from DBUS_SESSION_BUS_ADDRESS)` : `${bus.address} (DBUS_SESSION_BUS_ADDRESS unset; found at ${bus.source})`;
}
