import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { listRow } from '../../src/commands/list.js';
import { planSetup } from '../../src/setup/plan.js';

describe('list rows for Google accounts', () => {
  it.each([
    [100, []],
    [160, []],
    [170, [/must be signed in again by .*Google ends a sign-in whose refresh token is unused for 6 months/]],
  ])('list: a Google refresh token unused for %i days', (days, want) => {
    const now = Date.parse('2025-12-01T00:00:00Z');
    const a = { ...planSetup({ email: 'someone@gmail.com' }, {}, 'linux').account, createdAt: new Date(now - days * 86_400_000).toISOString() } as Account;
    const w = listRow(a, { state: 'none' }, now).warnings;
    expect(w).toHaveLength(want.length);
    want.forEach((re, i) => expect(w[i]).toMatch(re));
  });
});
