import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimToday, localDay } from '../../src/reauth/send-alert.js';
import { DAY, NOW } from './support.js';

describe('claimToday: one alert per account per local day, across processes', () => {
  it('the first claim of a day wins; the next day can claim again; old stamps go', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-claim-'));
    expect(claimToday(dir, 'work', NOW)).toBe(true);
    expect(claimToday(dir, 'work', NOW + 60_000)).toBe(false);
    expect(claimToday(dir, 'other', NOW)).toBe(true);
    expect(claimToday(dir, 'work', NOW + DAY)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([`other.${localDay(NOW)}`, `work.${localDay(NOW + DAY)}`]);
  });
  it('a stamp of another account sharing a prefix is left alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-claim-'));
    writeFileSync(join(dir, `work.team.${localDay(NOW)}`), '');
    expect(claimToday(dir, 'work', NOW + DAY)).toBe(true);
    expect(readdirSync(dir)).toContain(`work.team.${localDay(NOW)}`);
  });
});
