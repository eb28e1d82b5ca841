/**
 * Detection's real lookup code, once, against real local servers: MX from a DNS server on 127.0.0.1
 * (dns2, reached through node:dns Resolver via MAILOAUTH_DNS_SERVERS) and the tenant's OpenID document
 * from the local identity platform, which plays a GCC High tenant for agency.example. Then the built
 * CLI: `setup --yes` takes the detected cloud for its defaults, while the explicit --authority wins.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectProvider, networkDetectIo } from '../../src/providers/detect.js';
import { startDns, type DnsServer } from '../fixtures/dns.js';
import { startIdp, type Idp } from '../fixtures/idp.js';
import { makeTestCa } from '../fixtures/tls.js';
import { start, testEnv, until } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';

const skip = skipWithout('detection against local DNS and OpenID servers', ['openssl']);
const GOV = 'ann@agency.example';

describe.skipIf(skip)('detection with real lookups', () => {
  let dns: DnsServer;
  let idp: Idp;
  let caFile: string;
  beforeAll(async () => {
    dns = await startDns({
      'agency.example': ['agency-example.mail.protection.office365.us'],
      'contoso.example': ['contoso-example.mail.protection.outlook.com'],
      'gmail-hosted.example': ['smtp.google.com'],
    });
    const ca = await makeTestCa(mkdtempSync(join(tmpdir(), 'mailoauth-ca-')));
    caFile = ca.caFile;
    idp = await startIdp({ tls: ca, users: [{ upn: GOV }] });
    idp.setDomain('agency.example', { cloud_instance_name: 'microsoftonline.us', tenant_region_scope: 'USGov', tenant_region_sub_scope: 'DODCON' });
  });
  afterAll(async () => {
    await dns?.stop();
    await idp?.stop();
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

  it('setup --yes: the GCC High tenant found by MX and OpenID sets cloud, hosts and scopes; --authority still wins', async () => {
    const env = testEnv({ NODE_EXTRA_CA_CERTS: caFile, MAILOAUTH_DNS_SERVERS: dns.address, MAILOAUTH_RETRY_BASE_MS: '50' });
    const asked = dns.questions.length;
    const p = start(['setup', '--yes', '--email', GOV, '--flow', 'device', '--authority', idp.authority(), '--store', 'file', '--no-verify'], env);
    p.endInput();
    const code = await until('the device code on stderr', () => /enter the code (\S+)/.exec(p.stderr())?.[1], 30_000);
    idp.approveDeviceCode(code, GOV);
    const r = await p.done;
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
    const t = start(['token', GOV, '--json'], env);
    t.endInput();
    const tok = await t.done;
    expect(tok.code, tok.stderr).toBe(0);
    const claims = JSON.parse(Buffer.from((JSON.parse(tok.stdout) as { access_token: string }).access_token.split('.')[1]!, 'base64url').toString()) as { aud: string };
    expect(claims.aud).toBe('https://outlook.office365.us');
  }, 60_000);
});
