import { tuningFrom } from '../../src/tuning.js';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { portFlag, timeoutFlag } from '../../src/verify/flags.js';

describe('verify flags', () => {
  it('flags: ports and timeouts are checked', () => {
    expect(portFlag('993', '--imap-port')).toBe(993);
    expect(portFlag(undefined, '--imap-port')).toBeUndefined();
    expect(() => portFlag('99999', '--imap-port')).toThrow(UserError);
    expect(timeoutFlag(undefined, tuningFrom({}).verifyTimeoutMs)).toBe(20_000);
    expect(timeoutFlag(undefined, tuningFrom({ MAILOAUTH_VERIFY_TIMEOUT_MS: '700' }).verifyTimeoutMs)).toBe(700);
    expect(timeoutFlag('1500', 20_000)).toBe(1500);
    expect(() => timeoutFlag('soon', 20_000)).toThrow(/--timeout-ms/);
  });
});
