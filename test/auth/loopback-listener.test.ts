import { request } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { NoBrowserAnswer, bindAddresses, hostMatches, startLoopbackListener } from '../../src/auth/loopback-listener.js';

/** One GET to the listener from this (local) process, with the Host header given. */
function get(port: number, path: string, host: string, address = '127.0.0.1'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path, headers: { host }, timeout: 5000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const ipv6 = await new Promise<boolean>((resolve) => {
  const s = createServer();
  s.once('error', () => resolve(false));
  s.listen(0, '::1', () => s.close(() => resolve(true)));
});

describe('loopback listener', () => {
  it.each([
    ['127.0.0.1:5000', '127.0.0.1', 5000, true],
    ['LOCALHOST:5000', 'localhost', 5000, true],
    ['localhost:5000', '127.0.0.1', 5000, false],
    ['127.0.0.1:5001', '127.0.0.1', 5000, false],
    ['evil.example:5000', '127.0.0.1', 5000, false],
    [undefined, '127.0.0.1', 5000, false],
  ] as const)('Host %s for a %s:%s redirect → %s', (header, host, port, want) => expect(hostMatches(header, host, port)).toBe(want));

  it('holds every address its redirect name can mean: 127.0.0.1 alone for the literal, both loopbacks for localhost', () => {
    expect(bindAddresses('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(bindAddresses('localhost')).toEqual(['127.0.0.1', '::1']);
  });

  it('answers only requests naming its own Host (no DNS rebinding), and takes the code with the right state', async () => {
    const l = await startLoopbackListener({ host: '127.0.0.1', state: 'st', timeoutMs: 10_000 });
    try {
      const port = Number(new URL(l.redirectUri).port);
      expect(l.redirectUri).toBe(`http://127.0.0.1:${port}`);
      const rebound = await get(port, '/?code=evil&state=st', `attacker.example:${port}`);
      expect(rebound.status).toBe(421);
      expect(l.contacted()).toBe(false);
      expect((await get(port, '/?code=c&state=other', `127.0.0.1:${port}`)).status).toBe(400);
      const ok = await get(port, '/?code=c1&state=st', `127.0.0.1:${port}`);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('Signed in');
      await expect(l.code).resolves.toMatchObject({ code: 'c1', state: 'st' });
    } finally {
      l.close();
    }
  });

  it.skipIf(!ipv6)('for a localhost redirect it holds [::1] on the same port too, so no other user can answer there', async () => {
    const l = await startLoopbackListener({ host: 'localhost', state: 'st', timeoutMs: 10_000 });
    try {
      const port = Number(new URL(l.redirectUri).port);
      const taken = await new Promise<string>((resolve) => {
        const s = createServer();
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        s.listen(port, '::1', () => s.close(() => resolve('bound')));
      });
      expect(taken).toBe('EADDRINUSE');
      const viaV6 = await get(port, '/?code=c6&state=st', `localhost:${port}`, '::1');
      expect(viaV6.status).toBe(200);
      await expect(l.code).resolves.toMatchObject({ code: 'c6' });
    } finally {
      l.close();
    }
  });

  it('no answer in time: a typed NoBrowserAnswer saying whether the browser ever came back', async () => {
    const l = await startLoopbackListener({ host: '127.0.0.1', state: 'st', timeoutMs: 200 });
    const e = await l.code.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NoBrowserAnswer);
    expect((e as NoBrowserAnswer).contacted).toBe(false);
    expect((e as NoBrowserAnswer).exitCode).toBe(2);
    expect((e as NoBrowserAnswer).message).toMatch(/never came back to this machine: the sign-in page is probably showing an error/);
  });

  it('a --port someone holds is a usage error naming it', async () => {
    const s = createServer();
    const port = await new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));
    try {
      await expect(startLoopbackListener({ host: '127.0.0.1', port, state: 's', timeoutMs: 1000 })).rejects.toThrow(new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      s.close();
    }
  });
});
