/**
 * Detection's real lookup code, once, against real local servers: MX from a DNS server on 127.0.0.1
 * (dns2, reached through node:dns Resolver via MAILOAUTH_DNS_SERVERS) and the tenant's OpenID document
 * from the local identity platform, which plays a GCC High tenant for agency.example. Then the built
 * CLI: `setup --yes` takes the detected cloud for its defaults, while the explicit --authority wins.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectProvider } from '../../src/providers/detect.js';
import { networkDetectIo } from '../../src/providers/detect-io.js';
import { startDns, type DnsServer } from '../fixtures/dns.js';
import type { Idp } from '../fixtures/idp.js';
import { skipWithout } from '../helpers/tools.js';
import { WORLD_TOOLS, deviceSignIn, startWorld, type World } from '../e2e/harness.js';

const skip = skipWithout('detection against local DNS and OpenID servers', WORLD_TOOLS);
const GOV = 'ann@agency.example';
/** The agency's own app registration (Thunderbird's exists only in the worldwide cloud). */
const OWN = '2b1e8c4d-6a7f-4b3c-9d2e-1f0a9b8c7d6e';

describe.skipIf(skip)('detection with real lookups', () => {
  let dns: DnsServer;
  let w: World;
  let idp: Idp;
  beforeAll(async () => {
    dns = await startDns({
      'agency.example': ['agency-example.mail.protection.office365.us'],
      'contoso.example': ['contoso-example.mail.protection.outlook.com'],
      'gmail-hosted.example': ['smtp.google.com'],
      // Mail at Google, sign-in at Microsoft (a tenant exists for the domain).
      'split.example': ['aspmx.l.google.com', 'alt1.aspmx.l.google.com'],
      // A personal Outlook.com custom domain: Outlook.com's consumer MX.
      'family.example': ['family-example.olc.protection.outlook.com'],
    });
    w = await startWorld({ users: [GOV] });
    idp = w.idp;
    // This test file's own process trusts the test CA too (NODE_EXTRA_CA_CERTS acts only at start-up),
    // so the product's lookup code runs here unmodified against the local platform.
    https.globalAgent.options.ca = [...tls.rootCertificates, readFileSync(w.ca.caFile, 'utf8')];
    idp.setDomain('agency.example', { cloud_instance_name: 'microsoftonline.us', tenant_region_scope: 'USGov', tenant_region_sub_scope: 'DODCON' });
    idp.setDomain('split.example', { cloud_instance_name: 'microsoftonline.com', tenant_region_scope: 'EU' });
    idp.registerApp(OWN, { redirectUris: ['http://127.0.0.1'] });
  });
  afterAll(async () => {
    await dns?.stop();
    await w?.stop();
  });

  it('node:dns Resolver asks the injected server: MX answers, and "no such records" is an answer, not a failure', async () => {
    // The OpenID half points at a closed port: that lookup fails, detection still decides from MX.
    const io = networkDetectIo({ dnsServers: [dns.address], timeoutMs: 2000 });
    expect(await io.mx('agency.example')).toEqual(['agency-example.mail.protection.office365.us']);
    expect(await io.mx('nothing-here.example')).toEqual([]);
    const det = await detectProvider('x@gmail-hosted.example', 'https://127.0.0.1:9', io);
    expect(det).toMatchObject({ provider: 'google', cloud: undefined });
    expect(dns.questions).toEqual(expect.arrayContaining(['MX agency.example', 'MX nothing-here.example', 'MX gmail-hosted.example']));
  });

  it('recorded answers from real lookups: Google MX beside a tenant, a consumer MX, a consumer domain, offline', async () => {
    const io = networkDetectIo({ dnsServers: [dns.address], timeoutMs: 2000 });
    const split = await detectProvider('dev@split.example', idp.origin, io);
    expect(split).toMatchObject({ provider: 'google', confident: true, alsoPossible: { provider: 'microsoft365', tenant: idp.tenantId } });
    expect(split.evidence.join('; ')).toMatch(/MX aspmx\.l\.google\.com → google; Microsoft tenant .*; mail is delivered to Gmail \/ Google Workspace \(MX\)/);
    // family.example is no tenant: the platform answers 400 AADSTS90002, which is "none", not a failure.
    const family = await detectProvider('kim@family.example', idp.origin, io);
    expect(family).toMatchObject({ provider: 'outlook.com', tenant: 'consumers' });
    expect(family.evidence.join('; ')).toBe('MX family-example.olc.protection.outlook.com → outlook.com; no Microsoft tenant for this domain');
    const asked = dns.questions.length;
    expect(await detectProvider('x@hotmail.co.jp', idp.origin, io)).toMatchObject({ provider: 'outlook.com', tenant: 'consumers' });
    expect(dns.questions.length).toBe(asked); // the list decides; nothing asked
    // Offline: a DNS server and an identity platform that do not answer.
    const dead = networkDetectIo({ dnsServers: ['127.0.0.1:9'], timeoutMs: 500 });
    const off = await detectProvider('x@contoso.example', 'https://127.0.0.1:9', dead);
    expect(off).toMatchObject({ provider: 'microsoft365', confident: false, tenant: undefined });
    expect(off.evidence.join('; ')).toMatch(/^could not look up MX \(\w+\); could not look up a Microsoft tenant \(\w+\); offline\? nothing could be looked up$/);
  });

  it('setup --yes --cloud usgov without --client-id: exit 2 naming the own-app steps, before any lookup or request', async () => {
    const env = w.env({ MAILOAUTH_DNS_SERVERS: dns.address });
    const asked = dns.questions.length;
    const before = idp.requests().length;
    const r = await w.run(['setup', '--yes', '--cloud', 'usgov', '--email', 'a@agency.gov', '--store', 'file'], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/US Government GCC High needs your own app registration: Thunderbird's public client, the default for Microsoft 365 \(work or school\), exists only in the worldwide cloud/);
    expect(r.stderr).toContain('mailoauth doctor --app-help --cloud usgov');
    expect(dns.questions.length).toBe(asked);
    expect(idp.requests().length).toBe(before);
    const h = await w.run(['doctor', '--app-help', '--cloud', 'usgov'], env);
    expect(h.code).toBe(0);
    expect(h.stderr).toContain('https://entra.microsoft.us');
    expect(h.stderr).toContain('https://portal.azure.us');
    expect(h.stderr).toContain('https://login.microsoftonline.us/TENANT/adminconsent?client_id=CLIENT_ID');
    expect(h.stderr).toMatch(/--cloud usgov$/m);
  });

  it('setup --yes: the GCC High tenant found by MX and OpenID sets cloud, hosts and scopes; --authority still wins', async () => {
    const env = w.env({ MAILOAUTH_DNS_SERVERS: dns.address });
    const asked = dns.questions.length;
    const r = await deviceSignIn(w, env, ['setup', '--yes', '--email', GOV, '--client-id', OWN, '--flow', 'device', '--authority', idp.authority(), '--store', 'file', '--no-verify'], { answer: { as: GOV } });
    expect(r.code, r.stderr).toBe(0);
    expect(dns.questions.slice(asked)).toContain('MX agency.example');
    expect(r.stderr).toContain(`Detected for agency.example: MX agency-example.mail.protection.office365.us → microsoft365; Microsoft tenant ${idp.tenantId} in microsoftonline.us USGov DODCON; cloud: US Government GCC High`);
    const account = (JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')) as { accounts: Array<Record<string, unknown>> }).accounts[0]!;
    expect(account).toMatchObject({
      email: GOV, provider: 'microsoft365', cloud: 'usgov', tenant: idp.tenantId, authority: idp.authority(),
      imap: { host: 'outlook.office365.us', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.office365.us', port: 587, tls: 'starttls' },
      scopes: ['https://outlook.office365.us/IMAP.AccessAsUser.All', 'https://outlook.office365.us/SMTP.Send', 'offline_access'],
    });
    // The platform issued the token for the .us resource: the scopes reached the token request.
    const tok = await w.run(['token', GOV, '--json'], env);
    expect(tok.code, tok.stderr).toBe(0);
    const claims = JSON.parse(Buffer.from((JSON.parse(tok.stdout) as { access_token: string }).access_token.split('.')[1]!, 'base64url').toString()) as { aud: string };
    expect(claims.aud).toBe('https://outlook.office365.us');
  }, 60_000);
});
