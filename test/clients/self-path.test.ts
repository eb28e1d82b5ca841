import { describe, expect, it } from 'vitest';
import { checkSelfPath, selfPathRisk, type PathStat } from '../../src/clients/self-path.js';

const ME = 1000;
/** A file system as stat answers it: path → [uid, mode]. */
const fsOf = (t: Record<string, [number, number]>) => (p: string): PathStat | undefined => (t[p] ? { uid: t[p][0], mode: t[p][1] } : undefined);
const base = { '/': [0, 0o40755], '/usr': [0, 0o40755], '/usr/bin': [0, 0o40755], '/usr/bin/mailoauth': [0, 0o100755] } as Record<string, [number, number]>;

describe('the mailoauth every block runs must not be replaceable by someone else', () => {
  it.each<[string, Record<string, [number, number]>, string, RegExp | undefined, 'refuse' | 'warn' | undefined]>([
    ['root-owned, 0755 all the way', base, '/usr/bin/mailoauth', undefined, undefined],
    ["the user's own ~/.local", { ...base, '/home': [0, 0o40755], '/home/u': [ME, 0o40700], '/home/u/.local': [ME, 0o40755], '/home/u/.local/mailoauth': [ME, 0o100755] }, '/home/u/.local/mailoauth', undefined, undefined],
    ['a world-writable directory on the way', { ...base, '/opt': [0, 0o40777], '/opt/mailoauth': [0, 0o100755] }, '/opt/mailoauth', /\/opt is writable by every user \(mode 777\)/, 'refuse'],
    ['in /tmp (sticky): the file is ours, so it stays', { ...base, '/tmp': [0, 0o41777], '/tmp/mailoauth': [ME, 0o100755] }, '/tmp/mailoauth', undefined, undefined],
    ['a world-writable file', { ...base, '/usr/bin/mailoauth': [0, 0o100777] }, '/usr/bin/mailoauth', /\/usr\/bin\/mailoauth is writable by every user/, 'refuse'],
    ["another user's directory", { ...base, '/home': [0, 0o40755], '/home/eve': [1001, 0o40755], '/home/eve/mailoauth': [1001, 0o100755] }, '/home/eve/mailoauth', /\/home\/eve\/mailoauth belongs to uid 1001/, 'refuse'],
    ["Debian's /usr/local (root:staff 2775): a warning", { ...base, '/usr/local': [0, 0o42775], '/usr/local/bin': [0, 0o42775], '/usr/local/bin/mailoauth': [0, 0o100755] }, '/usr/local/bin/mailoauth', /\/usr\/local\/bin is writable by its group \(mode 2775\)/, 'warn'],
  ])('%s', (_, table, path, why, level) => {
    const r = selfPathRisk(path, fsOf(table), ME);
    expect(r?.level).toBe(level);
    if (why) expect(r?.why).toMatch(why);
  });

  it('refusal is a usage error naming the path and the fix; a warning comes back as text', () => {
    expect(() => checkSelfPath(['/opt/mailoauth'], fsOf({ ...base, '/opt': [0, 0o40777], '/opt/mailoauth': [0, 0o100755] }), ME)).toThrow(/another user could replace it/);
    expect(checkSelfPath(['/usr/local/bin/mailoauth'], fsOf({ ...base, '/usr/local': [0, 0o42775], '/usr/local/bin': [0, 0o42775], '/usr/local/bin/mailoauth': [0, 0o100755] }), ME))
      .toEqual([expect.stringMatching(/members of that group could replace it/)]);
  });
});
