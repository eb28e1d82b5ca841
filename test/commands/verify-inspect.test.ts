import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { inspectFor } from '../../src/commands/verify.js';
import { planSetup } from '../../src/setup/plan.js';

describe('verify: what the access token says', () => {
  it('an opaque Google access token is expected, not a warning', () => {
    const a = planSetup({ email: 'someone@gmail.com' }, {}, 'linux').account as Account;
    const i = inspectFor(a, 'ya29.opaque-token', 0, ['imap']);
    expect(i.format).toBe('opaque');
    expect(i.findings.map((f) => f.level)).toEqual(['ok']);
  });
});
