import { mkdtempSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/store/file-store.js';
import { MirroredStore } from '../../src/store/mirrored-store.js';
import { accessKey, msalKey, serializeAccess } from '../../src/store/records.js';
import { formatEntry, judgeRuntimeDir, parseEntry, RuntimeCache, runtimeCacheDir, runtimeDirFor, type DirFacts } from '../../src/store/runtime-cache.js';
import { runtimeDir } from '../helpers/cli.js';

const TMPFS = 0x01021994;
const EXT4 = 0xef53;
const ok: DirFacts = { isDirectory: true, uid: 1000, mode: 0o40700, fsType: TMPFS };

describe('judgeRuntimeDir: a place for access tokens must be ours, closed, and in memory', () => {
  it.each([
    ['the logind tmpfs, 0700, ours', '/run/user/1000', ok, 'linux', true],
    ['ramfs', '/run/user/1000', { ...ok, fsType: 0x858458f6 }, 'linux', true],
    ['on a disk (ext4)', '/home/u/run', { ...ok, fsType: EXT4 }, 'linux', /not memory-backed/],
    ['another user\'s', '/run/user/1000', { ...ok, uid: 0 }, 'linux', /belongs to uid 0/],
    ['group-readable', '/run/user/1000', { ...ok, mode: 0o40750 }, 'linux', /open to other users \(mode 750\)/],
    ['world-writable', '/tmp', { ...ok, mode: 0o41777 }, 'linux', /open to other users/],
    ['a file', '/run/user/1000', { ...ok, isDirectory: false }, 'linux', /not a directory/],
    ['missing', '/run/user/1000', undefined, 'linux', /does not exist/],
    ['macOS', '/run/user/1000', ok, 'darwin', /on darwin/],
  ] as const)('%s', (_, dir, facts, platform, want) => {
    const v = judgeRuntimeDir(dir, facts, 1000, platform);
    if (want === true) expect(v).toEqual({ ok: true, dir });
    else expect(v.ok ? 'ok' : v.why).toMatch(want);
  });

  it('XDG_RUNTIME_DIR, else /run/user/UID', () => {
    expect(runtimeDirFor({ XDG_RUNTIME_DIR: '/run/user/7/' }, 7)).toBe('/run/user/7');
    expect(runtimeDirFor({}, 7)).toBe('/run/user/7');
    expect(runtimeDirFor({ XDG_RUNTIME_DIR: 'relative' }, 7)).toBe('/run/user/7');
  });

  it('on this machine: /dev/shm is accepted, a directory on the test disk is not when it is a disk', () => {
    expect(runtimeCacheDir({ XDG_RUNTIME_DIR: runtimeDir() }).ok).toBe(true);
    const disk = mkdtempSync(join(tmpdir(), 'mailoauth-notmem-'));
    const v = runtimeCacheDir({ XDG_RUNTIME_DIR: disk });
    expect(v.ok).toBe(Number(statfsSync(disk).type) === TMPFS);
  });
});

describe('cache entries', () => {
  const rec = { accessToken: 'eyJ.a.b', expiresAt: 1_700_000_000_000, scopes: ['s1', 's2'] };
  it('round trip, and only for its own config directory', () => {
    const text = formatEntry('/home/u/.config/mailoauth', rec);
    expect(text.split('\n')).toEqual(['mailoauth-access v1', '/home/u/.config/mailoauth', '1700000000000', 'eyJ.a.b', 's1 s2', '']);
    expect(parseEntry(text, '/home/u/.config/mailoauth')).toEqual(rec);
    expect(parseEntry(text, '/home/other/.config/mailoauth')).toBeUndefined();
  });
  it.each([
    ['', 'empty'],
    ['mailoauth-access v2\n/c\n1\nt\n', 'another version'],
    ['mailoauth-access v1\n/c\nsoon\nt\n', 'no expiry'],
    ['mailoauth-access v1\n/c\n1\n\n', 'no token'],
    ['mailoauth-access v1\n/c\n1\nt t\n', 'a token with a space'],
  ])('refused: %j (%s)', (text) => expect(parseEntry(text, '/c')).toBeUndefined());
});

describe('MirroredStore over a real file store and a real runtime directory', () => {
  const setup = () => {
    const home = mkdtempSync(join(tmpdir(), 'mailoauth-mirror-'));
    const inner = new FileStore(join(home, 'secrets'));
    const cache = new RuntimeCache(join(runtimeDir(), 'mailoauth'), join(home, 'config'));
    let now = 1_000_000;
    const lines: string[] = [];
    const store = new MirroredStore(inner, cache, () => now, (l) => lines.push(l));
    return { inner, cache, store, lines, tick: (ms: number) => (now += ms) };
  };
  const access = (token: string, expiresAt: number) => serializeAccess({ accessToken: token, expiresAt, scopes: ['x'] });

  it('writes go to the store, then the cache (0600 in a 0700 directory); refresh tokens never reach the cache', async () => {
    const { inner, cache, store } = setup();
    await store.set(msalKey('a'), '{"RefreshToken":{"x":{"secret":"RT-SECRET"}}}');
    await store.set(accessKey('a'), access('AT1', 5_000_000));
    expect(await inner.get(accessKey('a'))).toBe(access('AT1', 5_000_000));
    expect(cache.read('a')).toEqual({ accessToken: 'AT1', expiresAt: 5_000_000, scopes: ['x'] });
    expect(statSync(cache.path('a')).mode & 0o777).toBe(0o600);
    expect(statSync(cache.dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(cache.path('a'), 'utf8')).not.toMatch(/RT-SECRET/);
    expect(() => readFileSync(cache.path('a/msal'))).toThrow();
  });

  it('a hit is served from the cache without reading the store', async () => {
    const { inner, store } = setup();
    await store.set(accessKey('a'), access('AT1', 5_000_000));
    await inner.set(accessKey('a'), access('CHANGED-BEHIND-ITS-BACK', 5_000_000));
    expect(JSON.parse((await store.get(accessKey('a')))!).accessToken).toBe('AT1');
  });

  it('an expired entry is deleted by the reader that finds it, and the store answers', async () => {
    const { inner, cache, store, tick } = setup();
    await store.set(accessKey('a'), access('AT1', 2_000_000));
    tick(1_000_001);
    await inner.set(accessKey('a'), access('AT2', 9_000_000));
    expect(JSON.parse((await store.get(accessKey('a')))!).accessToken).toBe('AT2');
    // refilled from the store
    expect(cache.read('a')?.accessToken).toBe('AT2');
  });

  it('a miss refills the cache; an expired store record is not cached', async () => {
    const { inner, cache, store, tick } = setup();
    await inner.set(accessKey('a'), access('AT1', 5_000_000));
    expect(JSON.parse((await store.get(accessKey('a')))!).accessToken).toBe('AT1');
    expect(cache.read('a')?.accessToken).toBe('AT1');
    tick(10_000_000);
    await inner.set(accessKey('b'), access('OLD', 5_000_000));
    await store.get(accessKey('b'));
    expect(cache.read('b')).toBeUndefined();
  });

  it('delete and a non-record value remove the cache entry', async () => {
    const { cache, store } = setup();
    await store.set(accessKey('a'), access('AT1', 5_000_000));
    await store.set(accessKey('a'), 'garbage');
    expect(cache.read('a')).toBeUndefined();
    await store.set(accessKey('a'), access('AT1', 5_000_000));
    expect(await store.delete(accessKey('a'))).toBe(true);
    expect(cache.read('a')).toBeUndefined();
  });

  it('a cache directory that cannot be written costs nothing but speed', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mailoauth-mirror-'));
    const blocker = join(runtimeDir(), 'mailoauth');
    writeFileSync(blocker, 'a file where the directory should be');
    const lines: string[] = [];
    const store = new MirroredStore(new FileStore(join(home, 's')), new RuntimeCache(blocker, '/c'), () => 0, (l) => lines.push(l));
    await store.set(accessKey('a'), access('AT1', 5_000_000));
    expect(JSON.parse((await store.get(accessKey('a')))!).accessToken).toBe('AT1');
    expect(lines.join('\n')).toMatch(/runtime cache not written/);
  });
});
