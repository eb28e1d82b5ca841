import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { planSetup } from '../../src/setup/plan.js';
import { inspectFor, loginExit } from '../../src/verify/check-account.js';
import { protocolsFor } from '../../src/commands/verify.js';
import { ExitCode } from '../../src/errors.js';
import type { LoginResult } from '../../src/verify/login.js';

describe('verify: what the access token says', () => {
  it('an opaque Google access token is expected, not a warning', () => {
    const a = planSetup({ email: 'someone@gmail.com' }, {}, 'linux').account as Account;
    const i = inspectFor(a, 'ya29.opaque-token', 0, ['imap']);
    expect(i.format).toBe('opaque');
    expect(i.findings.map((f) => f.level)).toEqual(['ok']);
  });
});

describe('verify decisions', () => {
  it.each([
    [{}, ['imap', 'smtp']],
    [{ imap: true }, ['imap']],
    [{ smtp: true }, ['smtp']],
    [{ imap: true, smtp: true }, ['imap', 'smtp']],
    [{ sendTest: 'x@example.org' }, ['smtp']],
    [{ imap: true, sendTest: 'x@example.org' }, ['imap', 'smtp']],
  ])('%o → %o', (o, want) => {
    expect(protocolsFor(o)).toEqual(want);
  });

  const ep = { host: 'h', port: 1, tls: 'implicit' as const };
  const failed = (exit: ExitCode): LoginResult => ({ protocol: 'imap', ok: false, endpoint: ep, ms: 1, diagnosis: { id: 'x', exit, cause: '', fix: '', said: '', fromServer: true } });
  const ok: LoginResult = { protocol: 'smtp', ok: true, endpoint: ep, ms: 1, smtp: { ...ep, authenticated: true, sasl: { mechanism: 'xoauth2', offered: ['XOAUTH2'] } } };
  it.each([
    [[ok], ExitCode.Ok],
    [[failed(ExitCode.Unavailable), ok], ExitCode.Unavailable],
    [[failed(ExitCode.Unavailable), failed(ExitCode.LoginRejected)], ExitCode.LoginRejected],
    [[failed(ExitCode.Unexpected)], ExitCode.Unexpected],
  ])('exit code of %#', (results, want) => {
    expect(loginExit(results)).toBe(want);
  });
});
