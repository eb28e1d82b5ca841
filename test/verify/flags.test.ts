import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { portFlag, timeoutFlag } from '../../src/verify/flags.js';

describe('verify flags', () => {
  it('flags: ports and timeouts are checked', () => {
    expect(portFlag('993', '--imap-port')).toBe(993);
    expect(portFlag(undefined, '--imap-port')).toBeUndefined();
    expect(() => portFlag('99999', '--imap-port')).toThrow(UserError);
    expect(timeoutFlag(undefined, {})).toBe(20_000);
    expect(timeoutFlag(undefined, { MAILOAUTH_VERIFY_TIMEOUT_MS: '700' })).toBe(700);
    expect(timeoutFlag('1500', {})).toBe(1500);
    expect(() => timeoutFlag('soon', {})).toThrow(/--timeout-ms/);
  });
});
