import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeSessionBus, sessionBusSocket } from '../../src/store/dbus-probe.js';

describe('sessionBusSocket: where the keyring library will connect', () => {
  it.each([
    ['path', 'unix:path=/run/user/1000/bus', '/run/user/1000/bus'],
    ['path with guid', 'unix:path=/tmp/dbus-HX,guid=0af7', '/tmp/dbus-HX'],
    ['abstract', 'unix:abstract=/tmp/dbus-Q,guid=1', '\0/tmp/dbus-Q'],
    ['escaped', 'unix:path=/tmp/a%20b', '/tmp/a b'],
    ['first unix of several', 'tcp:host=x,port=1;unix:path=/b', '/b'],
    ['tcp only', 'tcp:host=127.0.0.1,port=5555', undefined],
    ['nothing to go on', '', undefined],
  ])('%s', (_, address, want) => expect(sessionBusSocket(address)).toBe(want));
});

describe('probeSessionBus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailoauth-bus-'));
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));
  const listen = (onConnect: (s: import('node:net').Socket) => void, name: string) =>
    new Promise<string>((r) => {
      const path = join(dir, name);
      server = createServer((s) => {
        s.on('error', () => {});
        onConnect(s);
        setTimeout(() => s.destroy(), 1500).unref();
      });
      server.listen(path, () => r(path));
    });

  it('a bus that answers the handshake', async () => {
    const path = await listen((s) => s.once('data', () => s.write('OK 0af7278cd48f175d7fa69e3a6b06a5d2\r\n')), 'answers');
    expect(await probeSessionBus(path, 1000)).toBe('answered');
  });

  it('a bus that accepts and never answers: silent, at the deadline', async () => {
    const path = await listen(() => {}, 'silent');
    const t0 = Date.now();
    expect(await probeSessionBus(path, 300)).toBe('silent');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('nothing listening: left to the keyring library, which fails fast', async () => {
    expect(await probeSessionBus(join(dir, 'nobody'), 1000)).toBe('unreachable');
  });
});
