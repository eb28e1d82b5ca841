import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../src/auth/classify.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { adminConsentUrlWithScopes, itRequest, tenantBlockRequest, type ItRequestContext } from '../../src/diagnose/it-request.js';

const TB = '9e5f94bc-e8a4-4e73-b8be-63364c29d753';
const OWN = '11111111-2222-3333-4444-555555555555';
const ctx = (o: Partial<ItRequestContext> = {}): ItRequestContext => ({
  account: 'work', email: 'ann@contoso.com', clientId: TB, authority: 'https://login.microsoftonline.com/contoso.com',
  scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access'], ...o,
});

describe('the request for IT when a tenant blocks the app', () => {
  it("names the exact client id, tenant and scopes in the v2 consent URL, with the app's registered redirect", () => {
    const u = new URL(adminConsentUrlWithScopes(ctx())!);
    expect(`${u.origin}${u.pathname}`).toBe('https://login.microsoftonline.com/contoso.com/v2.0/adminconsent');
    expect(u.searchParams.get('client_id')).toBe(TB);
    expect(u.searchParams.get('scope')).toBe('https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access');
    expect(u.searchParams.get('redirect_uri')).toBe('https://localhost');
  });

  it.each([
    ['an alias tenant names no tenant to consent for', ctx({ authority: 'https://login.microsoftonline.com/organizations' })],
    ['an own app signed in by device code: no known redirect', ctx({ clientId: OWN })],
  ])('no v2 URL: %s (the v1 form remains)', (_, c) => {
    expect(adminConsentUrlWithScopes(c)).toBeUndefined();
    expect(itRequest(c, 65001)).toContain(`/adminconsent?client_id=${c.clientId}`);
  });

  it.each([
    [65001, /may not consent to this app themselves/],
    [90094, /may not consent/],
    [7000112, /disabled in our tenant.*Enabled for users to sign-in/],
    [700016, /not known in our tenant/],
    [53003, /Conditional Access policy/],
  ])('AADSTS%s: what to change, the permissions, the consent link, the own-app alternative', (code, what) => {
    const t = itRequest(ctx(), code);
    expect(t).toMatch(what);
    expect(t).toContain(`AADSTS${code}`);
    expect(t).toContain(TB);
    expect(t).toContain('https://outlook.office.com/IMAP.AccessAsUser.All');
    expect(t).toContain('https://login.microsoftonline.com/contoso.com/adminconsent?client_id=' + TB);
    expect(t).toContain('mailoauth setup --reauth work --client-id <its application id>');
  });

  it('only for refusals the tenant decides', () => {
    expect(tenantBlockRequest(new PlatformError(ExitCode.ReloginNeeded, 'x', 'y', 65001), ctx())).toMatch(/AADSTS65001/);
    expect(tenantBlockRequest(new PlatformError(ExitCode.ReloginNeeded, 'x', 'y', 700082), ctx())).toBeUndefined();
    expect(tenantBlockRequest(new UserError(ExitCode.ReloginNeeded, 'AADSTS65001 in words only'), ctx())).toBeUndefined();
  });
});
