import { describe, expect, it } from 'vitest';
import { exitFor, formatFindings, type Finding } from '../../src/diagnose/finding.js';
import { ExitCode } from '../../src/errors.js';

describe('findings', () => {
  const rows: Finding[] = [
    { level: 'ok', check: 'keychain', detail: 'reachable' },
    { level: 'warn', check: 'token user', detail: 'bob', fix: 'reauth' },
    { level: 'fail', check: 'IMAP login', detail: 'refused', fix: 'Set-CASMailbox', exit: ExitCode.LoginRejected },
    { level: 'fail', check: 'SMTP login', detail: 'down', exit: ExitCode.Unavailable },
  ];
  it('exit code: the first failure (cause before effect), 0 when only ok/warn', () => {
    expect(exitFor(rows)).toBe(ExitCode.LoginRejected);
    expect(exitFor(rows.slice(0, 2))).toBe(ExitCode.Ok);
  });
  it('one line per finding, the fix under anything not ok', () => {
    expect(formatFindings(rows.slice(0, 3))).toBe(
      'ok    keychain: reachable\nwarn  token user: bob\n        fix: reauth\nFAIL  IMAP login: refused\n        fix: Set-CASMailbox\n');
  });
});
