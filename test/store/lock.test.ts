import { lstatSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processIdentity, withLock } from '../../src/store/lock.js';

const linux = processIdentity(process.pid) !== undefined;

describe('the refresh lock and its holder', () => {
  it.skipIf(!linux)('a process is its pid and start time (a recycled pid is another process)', () => {
    const me = processIdentity(process.pid)!;
    expect(me).toMatch(new RegExp(`^${process.pid} \\d+$`));
    expect(processIdentity(process.pid)).toBe(me);
    expect(processIdentity(2 ** 22 + 12345)).toBeUndefined();
  });

  it.skipIf(!linux)('a stale-looking lock whose holder still runs (a starved process) is not taken over; a dead holder\'s is', async () => {
    const env = { HOME: mkdtempSync(join(tmpdir(), 'mailoauth-lock-')), XDG_CONFIG_HOME: undefined };
    const locks = join(env.HOME, '.config', 'mailoauth', 'locks');
    const lock = join(locks, 'token-x.lock');
    mkdirSync(lock, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    // A live holder: another process that is still running (a child sleeping).
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${lock}.owner`, processIdentity(child.pid!)!);
      await expect(withLock(env, 'token-x', { waitMs: 2500, staleMs: 2000, pollMs: 20 }, async () => 'got it')).rejects.toThrow(/held the token-x lock/);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // The same owner file now names a dead process: taken over at once.
    utimesSync(lock, old, old);
    await expect(withLock(env, 'token-x', { waitMs: 2500, staleMs: 2000, pollMs: 20 }, async () => 'got it')).resolves.toBe('got it');
  });
});

describe('a planted entry where the lock goes', () => {
  it.each([['a symbolic link to a directory', 'dir'], ['a dangling symbolic link', 'dangling'], ['a file', 'file']])('%s: a usage error naming it, nothing followed or removed', async (_, kind) => {
    const env = { HOME: mkdtempSync(join(tmpdir(), 'mailoauth-lock-')), XDG_CONFIG_HOME: undefined };
    const locks = join(env.HOME, '.config', 'mailoauth', 'locks');
    mkdirSync(locks, { recursive: true });
    const elsewhere = join(env.HOME, 'elsewhere');
    const lock = join(locks, 'token-x.lock');
    if (kind === 'dir') {
      mkdirSync(elsewhere);
      symlinkSync(elsewhere, lock);
    } else if (kind === 'dangling') symlinkSync(elsewhere, lock);
    else writeFileSync(lock, 'x');
    await expect(withLock(env, 'token-x', { waitMs: 500, staleMs: 2000 }, async () => 'got it')).rejects.toThrow(/token-x\.lock is (a symbolic link|a file), not a lock mailoauth made/);
    expect(lstatSync(lock).isDirectory()).toBe(false);
    if (kind === 'dir') expect(readdirSync(elsewhere)).toEqual([]);
  });
});
