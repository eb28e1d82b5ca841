import { describe, expect, it } from 'vitest';
import { nextRewriteAt } from '../../src/token/export.js';

const MIN = 60_000;

describe('export --watch schedule', () => {
  it.each([
    [60 * MIN, 0, 55 * MIN + 1000],
    [5 * MIN + 2000, 0, 3000],
    [4 * MIN, 0, 1000],
    [-MIN, 0, 1000],
  ])('token expiring at %s ms, now %s → rewrite at %s', (exp, now, want) => expect(nextRewriteAt(exp, now)).toBe(want));
});
