import { describe, expect, it } from 'vitest';
import { cloudFromMx, cloudFromOpenid, inCloud, openidHostFor } from '../../src/providers/clouds.js';
import { tuningFrom } from '../../src/tuning.js';
import { providerById } from '../../src/providers/table.js';
import { DOC } from './openid-documents.js';

describe('cloud of a tenant', () => {
  it.each([
    ['commercial', DOC.commercial, 'public'],
    ['GCC (moderate) stays on the worldwide endpoints', DOC.gcc, 'public'],
    ['GCC High', DOC.gccHigh, 'usgov'],
    ['DoD', DOC.dod, 'usgov-dod'],
    ['US Gov region without an instance name', { tenant_region_scope: 'USG' }, 'usgov'],
    ['21Vianet', DOC.china, 'china'],
    ['21Vianet, legacy instance name', { cloud_instance_name: 'chinacloudapi.cn' }, 'china'],
    ['no document', undefined, undefined],
  ])('%s', (_, doc, want) => expect(cloudFromOpenid(doc)).toBe(want));

  it.each([
    [['contoso-us.mail.protection.office365.us'], 'usgov'],
    [['contoso-cn.mail.protection.partner.outlook.cn.'], 'china'],
    [['contoso-com.mail.protection.outlook.com'], 'public'],
    [['mx1.example.net'], undefined],
  ])('MX %j → %s', (mx, want) => expect(cloudFromMx(mx)).toBe(want));

  it.each([
    ['public', 'https://login.microsoftonline.com', 'https://outlook.office.com/', 'outlook.office365.com', 'smtp.office365.com'],
    ['usgov', 'https://login.microsoftonline.us', 'https://outlook.office365.us/', 'outlook.office365.us', 'smtp.office365.us'],
    ['usgov-dod', 'https://login.microsoftonline.us', 'https://outlook.office365.us/', 'outlook-dod.office365.us', 'outlook-dod.office365.us'],
    ['china', 'https://login.partner.microsoftonline.cn', 'https://partner.outlook.cn/', 'partner.outlook.cn', 'smtp.partner.outlook.cn'],
  ] as const)('Microsoft 365 in %s: %s, %s, IMAP %s:993, SMTP %s:587', (cloud, authority, prefix, imap, smtp) => {
    const p = inCloud(providerById('microsoft365')!, cloud);
    expect(p).toMatchObject({ authorityHost: authority, scopePrefix: prefix, imap: { host: imap, port: 993, tls: 'implicit' }, smtp: { host: smtp, port: 587, tls: 'starttls' } });
  });

  it('Outlook.com exists only in the worldwide cloud', () => {
    expect(() => inCloud(providerById('outlook.com')!, 'usgov')).toThrow(/only in the worldwide cloud/);
  });

  it.each([
    [undefined, undefined, 'https://login.microsoftonline.com'],
    [undefined, 'china', 'https://login.partner.microsoftonline.cn'],
    ['https://127.0.0.1:8443/organizations', 'usgov', 'https://127.0.0.1:8443'],
  ])('OpenID lookups for authority %s, cloud %s go to %s', (authority, cloud, want) => expect(openidHostFor(authority, cloud)).toBe(want));

  it.each([
    [{}, undefined],
    [{ MAILOAUTH_DNS_SERVERS: '127.0.0.1:5353' }, ['127.0.0.1:5353']],
    [{ MAILOAUTH_DNS_SERVERS: ' 10.0.0.1 , 127.0.0.1:53 ,' }, ['10.0.0.1', '127.0.0.1:53']],
  ])('DNS servers from %j', (env, want) => expect(tuningFrom(env).dnsServers).toEqual(want));
});
