import type { Account } from '../account.js';
import type { Finding } from '../diagnose/finding.js';
import { daysLeft, inDays, reauthDate, renewAdvice, WARN_DAYS } from './reauth-date.js';

/** doctor's line about the sign-in's end: a warning WARN_DAYS ahead, with what renews it. */
export function reauthFinding(a: Account, now: number): Finding {
  const r = reauthDate(a);
  const left = daysLeft(r, now);
  if (r.by === null || left === null) return { level: 'ok', check: 'sign-in', detail: `renewal date unknown (${r.why})` };
  const date = new Date(r.by).toISOString().slice(0, 10);
  if (left > WARN_DAYS) return { level: 'ok', check: 'sign-in', detail: `good until ${date} (${r.why})` };
  return {
    level: 'warn',
    check: 'sign-in',
    detail: left < 0 ? `a new sign-in was due on ${date} (${r.why})` : `must be renewed by ${date}, ${inDays(r.by, now)} (${r.why})`,
    fix: renewAdvice(r.basis, a.name),
  };
}
