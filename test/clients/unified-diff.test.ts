import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/clients/unified-diff.js';
import { skipWithout } from '../helpers/tools.js';
import { prng } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'mailoauth-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GNU patch applies our diff to `a`: the result must be `b`, byte for byte. */
function applyWithPatch(a: string, diff: string): string {
  const file = join(dir, 'f');
  writeFileSync(file, a);
  const r = spawnSync('patch', ['-s', '-f', '--no-backup-if-mismatch', file], { input: diff, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`patch failed: ${r.stdout}${r.stderr}\n${diff}`);
  return readFileSync(file, 'utf8');
}

function gnuDiff(a: string, b: string): string {
  writeFileSync(join(dir, 'a'), a);
  writeFileSync(join(dir, 'b'), b);
  return spawnSync('diff', ['-u', '--label', 'A', '--label', 'B', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' }).stdout;
}

describe('unifiedDiff', () => {
  it('equal texts: no diff', () => {
    expect(unifiedDiff('a\n', 'a\n', 'A', 'B')).toBe('');
  });

  it.skipIf(skipWithout('unified diff vs diff -u', ['diff'])).each([
    ['append to a file', 'a\nb\n', 'a\nb\nc\n'],
    ['new file', '', 'x\ny\n'],
    ['delete everything', 'x\ny\n', ''],
    ['change in the middle of a long file', Array.from({ length: 20 }, (_, i) => `l${i}\n`).join(''),
      Array.from({ length: 20 }, (_, i) => (i === 10 ? 'changed\n' : `l${i}\n`)).join('')],
    ['two distant changes: two hunks', Array.from({ length: 30 }, (_, i) => `l${i}\n`).join(''),
      Array.from({ length: 30 }, (_, i) => (i === 2 || i === 25 ? `x${i}\n` : `l${i}\n`)).join('')],
    ['no newline at end, then added', 'a\nb', 'a\nb\nc\n'],
    ['newline removed at end', 'a\nb\n', 'a\nb'],
    ['CRLF lines', 'a\r\nb\r\n', 'a\r\nB\r\n'],
  ])('%s: same text as diff -u', (_, a, b) => {
    expect(unifiedDiff(a, b, 'A', 'B')).toBe(gnuDiff(a, b));
  });

  it.skipIf(skipWithout('unified diff vs patch', ['patch']))('property: patch turns a into b (400 generated pairs)', () => {
    const rand = prng(42);
    const words = ['a', 'b', 'c', 'set x', '# >>>', '', '  ', 'd\r'];
    const gen = () => {
      let s = '';
      const n = Math.floor(rand() * 15);
      for (let i = 0; i < n; i++) s += `${words[Math.floor(rand() * words.length)]}\n`;
      return rand() < 0.2 ? s.replace(/\n$/, '') : s;
    };
    for (let k = 0; k < 400; k++) {
      const a = gen();
      const b = rand() < 0.5 ? gen() : a.replace(/b/, 'B') + (rand() < 0.5 ? 'tail\n' : '');
      const d = unifiedDiff(a, b, 'A', 'B');
      if (a === b) expect(d).toBe('');
      else expect(applyWithPatch(a, d)).toBe(b);
    }
  });
});
