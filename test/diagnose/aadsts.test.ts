import { describe, expect, it } from 'vitest';
import { AADSTS, aadstsCode } from '../../src/diagnose/aadsts.js';

describe('AADSTS table covers every code in the spec', () => {
  const spec = [7000112, 700016, 65001, 90094, 53003, 50011, 700025, 7000218, 700082, 50173, 70008, 50076, 50079, 50020];
  it.each(spec)('AADSTS%s has a cause and a fix', (code) => {
    const d = AADSTS.get(code)!;
    expect(d.cause.length).toBeGreaterThan(20);
    expect(d.fix({ account: 'work', clientId: 'cid', authority: 'https://login.microsoftonline.com/contoso.com' })).toMatch(/mailoauth|admin|portal/);
  });
  it('finds the code in error_codes or in text', () => {
    expect(aadstsCode({ error_codes: [50173] })).toBe(50173);
    expect(aadstsCode(undefined, 'AADSTS700082: The refresh token has expired')).toBe(700082);
    expect(aadstsCode('nothing here')).toBeUndefined();
  });
});

describe('AADSTS50020 points at the other kind of account', () => {
  const fix = AADSTS.get(50020)!.fix;
  it.each([
    ['https://login.microsoftonline.com/consumers', /only takes personal.*--provider microsoft365 --tenant organizations/],
    ['https://login.microsoftonline.com/organizations', /work or school accounts\. For a personal Outlook\.com.*--provider outlook\.com --tenant consumers/],
    ['https://login.microsoftonline.com/contoso.com', /work or school accounts of tenant contoso\.com\..*--tenant <its domain or tenant id>/],
  ])('%s', (authority, want) => expect(fix({ account: 'w', email: 'a@b.c', clientId: 'c', authority })).toMatch(want));
});
