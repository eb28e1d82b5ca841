import { describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/errors.js';
import { alertFor } from '../../src/reauth/alert.js';
import { NOW, account, google, iso } from './support.js';

describe('alertFor: when token/refresh tell the user', () => {
  it.each([
    ['4 days left: not yet', account({ lastRefreshAt: iso(86) }), undefined, undefined],
    ['3 days left', account({ lastRefreshAt: iso(87) }), undefined, 'due'],
    ['passed already', account({ lastRefreshAt: iso(95) }), undefined, 'due'],
    ['refused with exit 3', account({ lastRefreshAt: iso(1) }), new UserError(ExitCode.ReloginNeeded, 'revoked', 'x'), 'failed'],
    ['a network failure is no reason', account({ lastRefreshAt: iso(1) }), new UserError(ExitCode.Unavailable, 'down'), undefined],
  ])('%s', (_, a, failure, kind) => expect(alertFor(a, NOW, failure)?.kind).toBe(kind));

  it('names the one command to run; device code only where the provider has it', () => {
    expect(alertFor(account({ lastRefreshAt: iso(88) }), NOW)!.fix).toBe('mailoauth setup --reauth work (add --flow device to finish on a phone)');
    expect(alertFor(google({ lastRefreshAt: iso(178) }), NOW)!.fix).toBe('mailoauth setup --reauth work');
  });
});
