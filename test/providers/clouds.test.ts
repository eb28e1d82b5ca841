import { describe, expect, it } from 'vitest';
import { planSetup, wantsDetection } from '../../src/setup/plan.js';
import { AADSTS } from '../../src/diagnose/aadsts.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { cloudFromMx, cloudFromOpenid, inCloud, openidHostFor } from '../../src/providers/clouds.js';
import { decideDetection, detectProvider, dnsServersFromEnv, type DetectIo, type MxAnswer, type OpenidAnswer, type OpenidDocument } from '../../src/providers/detect.js';
import { providerById } from '../../src/providers/table.js';

const T = '11111111-2222-3333-4444-555555555555';
/** OpenID documents as Microsoft serves them for a tenant in each cloud (the fields detection reads). */
const DOC: Record<string, OpenidDocument> = {
  commercial: { issuer: `https://login.microsoftonline.com/${T}/v2.0`, cloud_instance_name: 'microsoftonline.com', tenant_region_scope: 'NA' },
  gcc: { issuer: `https://login.microsoftonline.com/${T}/v2.0`, cloud_instance_name: 'microsoftonline.com', tenant_region_scope: 'NA', tenant_region_sub_scope: 'GCC' },
  gccHigh: { issuer: `https://login.microsoftonline.us/${T}/v2.0`, cloud_instance_name: 'microsoftonline.us', tenant_region_scope: 'USGov', tenant_region_sub_scope: 'DODCON' },
  dod: { issuer: `https://login.microsoftonline.us/${T}/v2.0`, cloud_instance_name: 'microsoftonline.us', tenant_region_scope: 'USGov', tenant_region_sub_scope: 'DOD' },
  china: { issuer: `https://login.partner.microsoftonline.cn/${T}/v2.0`, cloud_instance_name: 'partner.microsoftonline.cn', tenant_region_scope: 'AS' },
};

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
  ])('DNS servers from %j', (env, want) => expect(dnsServersFromEnv(env)).toEqual(want));
});

describe('detection from recorded DNS and OpenID answers', () => {
  const mx = (...hosts: string[]): MxAnswer => ({ kind: 'hosts', hosts });
  const tenant = (doc: OpenidDocument | undefined): OpenidAnswer => ({ kind: 'tenant', doc: doc! });
  const offlineMx: MxAnswer = { kind: 'failed', reason: 'ETIMEOUT' };
  const offlineDoc: OpenidAnswer = { kind: 'failed', reason: 'ECONNREFUSED' };
  it.each<[string, MxAnswer, OpenidAnswer, object, RegExp]>([
    ['commercial tenant', mx('contoso-com.mail.protection.outlook.com'), tenant(DOC.commercial), { provider: 'microsoft365', tenant: T, cloud: 'public', confident: true }, /MX contoso-com.* → microsoft365; Microsoft tenant 1111.* in microsoftonline\.com NA$/],
    ['GCC High tenant', mx('agency-us.mail.protection.office365.us'), tenant(DOC.gccHigh), { provider: 'microsoft365', tenant: T, cloud: 'usgov' }, /in microsoftonline\.us USGov DODCON; cloud: US Government GCC High$/],
    ['DoD tenant', mx('army-mil.mail.protection.office365.us'), tenant(DOC.dod), { provider: 'microsoft365', cloud: 'usgov-dod' }, /cloud: US Government DoD$/],
    ['21Vianet tenant', mx('x-cn.mail.protection.partner.outlook.cn'), tenant(DOC.china), { provider: 'microsoft365', cloud: 'china' }, /cloud: China \(operated by 21Vianet\)$/],
    ['GCC High MX, OpenID unreachable', mx('agency-us.mail.protection.office365.us'), offlineDoc, { provider: 'microsoft365', tenant: undefined, cloud: 'usgov' }, /could not look up a Microsoft tenant \(ECONNREFUSED\); cloud: US Government GCC High$/],
    ['Google Workspace (smtp.google.com)', mx('smtp.google.com'), { kind: 'no-tenant' }, { provider: 'google', tenant: undefined, cloud: undefined }, /MX smtp\.google\.com → google; no Microsoft tenant for this domain$/],
    ['Google Workspace (aspmx)', mx('aspmx.l.google.com', 'alt1.aspmx.l.google.com'), { kind: 'no-tenant' }, { provider: 'google' }, /→ google/],
    ['offline: both lookups failed', offlineMx, offlineDoc, { provider: 'microsoft365', tenant: undefined, cloud: undefined, confident: false }, /^could not look up MX \(ETIMEOUT\); could not look up a Microsoft tenant \(ECONNREFUSED\); offline\? nothing could be looked up$/],
    ['unknown MX, Microsoft tenant (MX behind a gateway)', mx('mx.proofpoint.example'), tenant(DOC.commercial), { provider: 'microsoft365', tenant: T, cloud: 'public' }, /not a known provider/],
  ])('%s', (_, m, doc, want, evidence) => {
    const d = decideDetection(m, doc);
    expect(d).toMatchObject(want);
    expect(d.evidence.join('; ')).toMatch(evidence);
  });

  it('consumer domains need no lookup', async () => {
    const io: DetectIo = { mx: () => Promise.reject(new Error('not asked')), openid: () => Promise.reject(new Error('not asked')) };
    expect(await detectProvider('x@hotmail.com', 'https://login.microsoftonline.com', io)).toMatchObject({ provider: 'outlook.com', tenant: 'consumers', cloud: 'public' });
  });
});

const env = { DISPLAY: ':0' };
describe('planSetup with clouds, detection and shared mailboxes', () => {
  const gov = decideDetection({ kind: 'hosts', hosts: ['a.mail.protection.office365.us'] }, { kind: 'tenant', doc: DOC.gccHigh! });
  const OWN = '11111111-2222-3333-4444-555555555555';
  it('detection feeds the defaults: GCC High tenant → .us authority, hosts and scopes', () => {
    const p = planSetup({ email: 'ann@agency.example', clientId: OWN }, env, 'linux', undefined, gov);
    expect(p.account).toMatchObject({
      provider: 'microsoft365', cloud: 'usgov', tenant: T, authority: `https://login.microsoftonline.us/${T}`,
      imap: { host: 'outlook.office365.us' }, smtp: { host: 'smtp.office365.us' },
      scopes: ['https://outlook.office365.us/IMAP.AccessAsUser.All', 'https://outlook.office365.us/SMTP.Send', 'offline_access'],
    });
  });
  it('explicit flags override detection: --cloud, --tenant, --authority, hosts', () => {
    const p = planSetup({ email: 'ann@agency.example', cloud: 'public', tenant: 'agency.example' }, env, 'linux', undefined, gov);
    expect(p.account).toMatchObject({ tenant: 'agency.example', authority: 'https://login.microsoftonline.com/agency.example', imap: { host: 'outlook.office365.com' } });
    expect(p.account.cloud).toBeUndefined();
    const q = planSetup({ email: 'ann@agency.example', clientId: OWN, authority: 'https://127.0.0.1:9/organizations', imapHost: 'localhost' }, env, 'linux', undefined, gov);
    expect(q.account).toMatchObject({ cloud: 'usgov', authority: 'https://127.0.0.1:9/organizations', imap: { host: 'localhost' }, smtp: { host: 'smtp.office365.us' } });
  });
  it('--cloud china without detection', () => {
    expect(planSetup({ email: 'li@contoso.cn', cloud: 'china', clientId: OWN }, env, 'linux').account).toMatchObject({
      authority: 'https://login.partner.microsoftonline.cn/organizations', imap: { host: 'partner.outlook.cn', port: 993 }, smtp: { host: 'smtp.partner.outlook.cn', port: 587 },
      scopes: ['https://partner.outlook.cn/IMAP.AccessAsUser.All', 'https://partner.outlook.cn/SMTP.Send', 'offline_access'],
    });
  });
  it.each([
    ['--cloud usgov, no --client-id', { email: 'a@agency.gov', cloud: 'usgov' }, undefined, /US Government GCC High needs your own app registration: Thunderbird's public client, the default for Microsoft 365 \(work or school\), exists only in the worldwide cloud/, /mailoauth doctor --app-help --cloud usgov/],
    ['detected DoD tenant, no --client-id', { email: 'a@army.example' }, decideDetection({ kind: 'hosts', hosts: ['a.mail.protection.office365.us'] }, { kind: 'tenant', doc: DOC.dod! }), /US Government DoD needs your own app/, /--app-help --cloud usgov-dod/],
    ["Thunderbird's id named for 21Vianet", { email: 'li@contoso.cn', cloud: 'china', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753' }, undefined, /registered only in the worldwide Microsoft cloud, not in China \(operated by 21Vianet\): the sign-in would end in AADSTS700016/, /--app-help --cloud china.*--client-id/],
  ])("a sovereign cloud without the user's own app: %s → exit 2 before any request", (_, o, det, msg, fix) => {
    let err: UserError | undefined;
    try {
      planSetup(o, env, 'linux', undefined, det);
    } catch (e) {
      err = e as UserError;
    }
    expect(err).toBeInstanceOf(UserError);
    expect(err!.exitCode).toBe(ExitCode.Usage);
    expect(err!.message).toMatch(msg);
    expect(err!.fix).toMatch(fix);
  });
  it('a consumer domain ignores a detected work tenant of another provider and stays on consumers', () => {
    expect(planSetup({ email: 'bob@outlook.com' }, env, 'linux', undefined, { provider: 'outlook.com', tenant: 'consumers', cloud: 'public', confident: true, evidence: [] }).account)
      .toMatchObject({ provider: 'outlook.com', tenant: 'consumers', authority: 'https://login.microsoftonline.com/consumers', smtp: { host: 'smtp-mail.outlook.com' } });
  });
  it('--mailbox: the login user is the shared mailbox, the delegate signs in, the name defaults to the shared address', () => {
    const p = planSetup({ email: 'bob@contoso.com', mailbox: 'team@contoso.com' }, env, 'linux');
    expect(p.signInUser).toBe('bob@contoso.com');
    expect(p.account).toMatchObject({ name: 'team@contoso.com', email: 'team@contoso.com', delegate: 'bob@contoso.com' });
    // --reauth keeps it shared and signs the delegate in again.
    const again = planSetup({}, env, 'linux', { ...p.account, createdAt: 'x' } as never);
    expect(again.signInUser).toBe('bob@contoso.com');
    expect(again.account).toMatchObject({ email: 'team@contoso.com', delegate: 'bob@contoso.com' });
  });
  it.each([
    [{ email: 'a@contoso.com', mailbox: 'a@contoso.com' }, undefined],
    [{ email: 'bob@outlook.com', mailbox: 'team@outlook.com' }, /no shared mailboxes/],
    [{ email: 'a@contoso.com', mailbox: 'not-an-address' }, /is not an email address/],
    [{ email: 'a@contoso.com', cloud: 'mars' }, /Unknown cloud/],
    [{ email: 'bob@outlook.com', cloud: 'usgov' }, /only in the worldwide cloud/],
  ])('%j', (o, err) => {
    if (err) expect(() => planSetup(o, env, 'linux')).toThrow(err);
    else expect(planSetup(o, env, 'linux').account.delegate).toBeUndefined();
  });
  it('--reauth --provider outlook.com moves the account to the consumer row (tenant, hosts, scopes)', () => {
    const work = planSetup({ email: 'bob@contoso.com' }, env, 'linux').account;
    expect(planSetup({ provider: 'outlook.com' }, env, 'linux', { ...work, createdAt: 'x' } as never).account)
      .toMatchObject({ provider: 'outlook.com', tenant: 'consumers', authority: 'https://login.microsoftonline.com/consumers', smtp: { host: 'smtp-mail.outlook.com' } });
  });
  it.each([
    [{}, true],
    [{ cloud: 'usgov' }, true],
    [{ cloud: 'usgov', tenant: 't.example' }, false],
    [{ cloud: 'public', authority: 'https://x.example/t' }, false],
    [{ provider: 'outlook.com' }, false],
  ])('setup --yes looks the domain up with %j: %s', (o, want) => expect(wantsDetection(o)).toBe(want));
});

describe('AADSTS50020 points at the other kind of account', () => {
  const fix = AADSTS.get(50020)!.fix;
  it.each([
    ['https://login.microsoftonline.com/consumers', /only takes personal.*--provider microsoft365 --tenant organizations/],
    ['https://login.microsoftonline.com/organizations', /work or school accounts\. For a personal Outlook\.com.*--provider outlook\.com --tenant consumers/],
    ['https://login.microsoftonline.com/contoso.com', /work or school accounts of tenant contoso\.com\..*--tenant <its domain or tenant id>/],
  ])('%s', (authority, want) => expect(fix({ account: 'w', email: 'a@b.c', clientId: 'c', authority })).toMatch(want));
});
