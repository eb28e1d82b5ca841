import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { ChunkedStore } from '../../src/store/chunked-store.js';
import { KeychainStore } from '../../src/store/keychain.js';
import { KeychainUnavailable } from '../../src/store/secret-store.js';
import { startSecretService, startSilentBus, type SecretService } from '../fixtures/secret-service.js';
import { skipWithout } from '../helpers/tools.js';

const skip = skipWithout('keychain store', ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool']);

/** @napi-rs/keyring connects per call, with the bus address from the environment at that moment. */
function onBus<T>(address: string, run: () => Promise<T>): Promise<T> {
  const before = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = address;
  return run().finally(() => {
    process.env.DBUS_SESSION_BUS_ADDRESS = before;
  });
}

describe.skipIf(skip)('KeychainStore against a real Secret Service', () => {
  let ss: SecretService;
  beforeAll(async () => {
    ss = await startSecretService();
  });
  afterAll(() => ss?.stop());

  it('stores, reads and deletes, and the item is visible to secret-tool under service mailoauth', async () => {
    const k = new KeychainStore({ env: process.env });
    await onBus(ss.env.DBUS_SESSION_BUS_ADDRESS, async () => {
      await k.probe();
      await k.set('alice@contoso.example', 'value-1');
      expect(await k.get('alice@contoso.example')).toBe('value-1');
      const seen = spawnSync('secret-tool', ['lookup', 'service', 'mailoauth', 'username', 'alice@contoso.example'], { env: { ...process.env }, encoding: 'utf8' });
      expect(seen.stdout).toBe('value-1');
      expect(await k.delete('alice@contoso.example')).toBe(true);
      expect(await k.get('alice@contoso.example')).toBeNull();
      expect(await k.delete('alice@contoso.example')).toBe(false);
    });
  });

  it('splits values over the Windows item cap into chunks and reads them back whole', async () => {
    const k = new KeychainStore({ env: process.env });
    const store = new ChunkedStore(k, 100);
    const big = 'x'.repeat(250) + 'y'.repeat(37);
    await onBus(ss.env.DBUS_SESSION_BUS_ADDRESS, async () => {
      await store.set('big', big);
      expect(await store.get('big')).toBe(big);
      const head = (await k.get('big'))!;
      expect(head).toMatch(/^mailoauth-chunks:v1:[0-9a-f]+:3:/);
      // Rewriting with a small value removes the old chunks.
      const gen = head.split(':')[2];
      await store.set('big', 'small');
      expect(await store.get('big')).toBe('small');
      expect(await k.get(`big#${gen}.0`)).toBeNull();
      expect(await store.delete('big')).toBe(true);
      expect(await store.get('big')).toBeNull();
    });
  });
});

describe.skipIf(skip)('KeychainStore when the keychain is not usable', () => {
  it('a locked keyring (no unlocked collection) fails the probe with exit 5, fast', async () => {
    const ss = await startSecretService({ unlocked: false });
    try {
      await onBus(ss.env.DBUS_SESSION_BUS_ADDRESS, async () => {
        const k = new KeychainStore({ env: process.env });
        const t0 = Date.now();
        const err = await k.probe().then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(KeychainUnavailable);
        expect((err as KeychainUnavailable).exitCode).toBe(ExitCode.KeychainUnavailable);
        // What this guards against is D-Bus's 25 s default (waiting on an unlock prompt); the store's own
        // deadline is 2.5 s. The bound is wide so that a busy machine does not trip it.
        expect(Date.now() - t0).toBeLessThan(8000);
      });
    } finally {
      await ss.stop();
    }
  });

  it('no Secret Service on the bus address: exit 5 with how to get one', async () => {
    await onBus('unix:path=/nonexistent/bus', async () => {
      const err = await new KeychainStore({ env: process.env }).get('x').then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(KeychainUnavailable);
      expect((err as KeychainUnavailable).fix).toMatch(/--store file/);
    });
  });

  it('a keychain that never answers is given up on at the deadline', async () => {
    const bus = await startSilentBus(mkdtempSync(join(tmpdir(), 'mailoauth-silent-')));
    try {
      await onBus(bus.env.DBUS_SESSION_BUS_ADDRESS, async () => {
        const t0 = Date.now();
        const err = await new KeychainStore({ env: process.env, timeoutMs: 800 }).get('x').then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(KeychainUnavailable);
        expect(Date.now() - t0).toBeLessThan(8000); // the 800 ms deadline, not D-Bus's 25 s default
      });
    } finally {
      await bus.stop();
    }
  });
});
