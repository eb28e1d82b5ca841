import { describe, expect, it } from 'vitest';
import { reauthFinding } from '../../src/reauth/reauth-finding.js';
import { NOW, account, iso } from './support.js';

describe('doctor: the sign-in line, 14 days ahead', () => {
  it.each([
    [account({ lastRefreshAt: iso(10) }), 'ok', /good until 2025-09-03/],
    [account({ lastRefreshAt: iso(76) }), 'warn', /must be renewed by 2025-06-29, in 14 days/],
    [account({ lastRefreshAt: iso(91) }), 'warn', /a new sign-in was due on/],
  ])('%#', (a, level, detail) => {
    const f = reauthFinding(a, NOW);
    expect(f.level).toBe(level);
    expect(f.detail).toMatch(detail);
    if (level === 'warn') expect(f.fix).toMatch(/mailoauth refresh work/);
  });
});
