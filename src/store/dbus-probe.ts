import { connect } from 'node:net';

/**
 * The unix socket of a D-Bus address (DBUS_SESSION_BUS_ADDRESS's format). undefined for address
 * forms not read here (tcp, autolaunch, ...). Where to look when there is no address: session-bus.ts.
 */
export function sessionBusSocket(address: string): string | undefined {
  for (const entry of address.split(';')) {
    const m = /^unix:(.*)$/.exec(entry.trim());
    if (!m) continue;
    const keys = new Map(m[1]!.split(',').map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i), kv.slice(i + 1).replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))] as const;
    }));
    if (keys.get('path')) return keys.get('path');
    if (keys.get('abstract')) return `\0${keys.get('abstract')}`;
  }
  return undefined;
}

export type BusProbe = 'answered' | 'unreachable' | 'silent';

/**
 * Starts the D-Bus handshake and waits for the bus's first word. The keyring library connects to the
 * bus synchronously, blocking the whole process on a bus that accepts the connection and never
 * answers (a hung session, a frozen desktop), where no deadline can fire: so this asks first, with
 * one. 'unreachable' (nothing listening) is left to the library, which fails fast on its own.
 */
export function probeSessionBus(socket: string, timeoutMs: number): Promise<BusProbe> {
  return new Promise((resolve) => {
    const s = connect(socket);
    const done = (r: BusProbe) => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('silent'), timeoutMs);
    s.on('error', () => done('unreachable'));
    s.once('close', () => done('unreachable'));
    s.once('data', () => done('answered'));
    s.once('connect', () => s.write(`\0AUTH EXTERNAL ${Buffer.from(String(process.getuid?.() ?? 0)).toString('hex')}\r\n`));
  });
}
