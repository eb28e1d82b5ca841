import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { askSetup } from '../../src/commands/wizard.js';
import type { Deps } from '../../src/deps.js';
import { classifyMx, detectProvider, type DetectIo } from '../../src/providers/detect.js';
import { scriptedPrompter } from '../helpers/scripted-prompter.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** Recorded answers: what DNS and the OpenID endpoint said for these domains. */
const recorded: DetectIo = {
  async mx(domain) {
    const table: Record<string, string[]> = {
      'contoso.com': ['contoso-com.mail.protection.outlook.com'],
      'fabrikam.com': ['fabrikam-com.c-v1.mx.microsoft'],
      'gmail-hosted.example': ['aspmx.l.google.com'],
    };
    if (domain === 'offline.example') throw new Error('ETIMEOUT');
    return table[domain] ?? [];
  },
  async openid(_host, domain) {
    if (domain === 'contoso.com' || domain === 'fabrikam.com') return { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, cloud_instance_name: 'microsoftonline.com' };
    return undefined;
  },
};

function deps(answers: Record<string, unknown>, env: NodeJS.ProcessEnv = { DISPLAY: ':0' }) {
  const prompt = scriptedPrompter(answers);
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (b: Buffer) => (text += b.toString()));
  const d: Deps = {
    stdout: new PassThrough(), stderr, stdin: new PassThrough(), isTTY: true, env, now: () => 0,
    selfPath: '/usr/bin/mailoauth', debug: false, prompt, detectIo: recorded,
  };
  return { d, prompt, stderr: () => text };
}

describe('askSetup: the wizard asks only what no flag answered', () => {
  it('no flags, work domain: email → provider (detected) → app → flow; tenant comes from the OpenID document', async () => {
    const { d, prompt, stderr } = deps({ email: 'ann@contoso.com', provider: 'microsoft365', shared: false, app: false, flow: 'browser' });
    const o = await askSetup(d, {});
    expect(prompt.asked).toEqual(['email', 'provider', 'shared', 'app', 'flow']);
    expect(o).toMatchObject({ email: 'ann@contoso.com', provider: 'microsoft365', tenant: TENANT, clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753', flow: 'browser' });
    expect((prompt.seen.provider as { default: string }).default).toBe('microsoft365');
    expect(stderr()).toMatch(/MX contoso-com\.mail\.protection\.outlook\.com → microsoft365; Microsoft tenant 72f988bf/);
  });

  it('flow default follows the session: device over SSH, browser with a display', async () => {
    const ssh = deps({ email: 'ann@contoso.com', provider: 'microsoft365', shared: false, app: false, flow: 'device' }, { SSH_CONNECTION: '1 2 3 4' });
    await askSetup(ssh.d, {});
    expect((ssh.prompt.seen.flow as { default: string }).default).toBe('device');
    const desk = deps({ email: 'ann@contoso.com', provider: 'microsoft365', shared: false, app: false, flow: 'browser' }, { DISPLAY: ':0' });
    await askSetup(desk.d, {});
    expect((desk.prompt.seen.flow as { default: string }).default).toBe('browser');
  });

  it('consumer domain: Outlook.com preselected, consumers tenant, not asked', async () => {
    const { d, prompt } = deps({ provider: 'outlook.com', app: false, flow: 'device' });
    const o = await askSetup(d, { email: 'bob@hotmail.com' });
    expect(prompt.asked).toEqual(['provider', 'app', 'flow']);
    expect((prompt.seen.provider as { default: string }).default).toBe('outlook.com');
    expect(o.tenant).toBe('consumers');
  });

  it('offline (lookups fail): falls back to asking for the tenant', async () => {
    const { d, prompt, stderr } = deps({ provider: 'microsoft365', cloud: 'public', tenant: 'offline.example', app: false, flow: 'device' });
    const o = await askSetup(d, { email: 'c@offline.example' });
    expect(prompt.asked).toEqual(['provider', 'cloud', 'tenant', 'app', 'flow']);
    expect((prompt.seen.cloud as { default: string }).default).toBe('public');
    expect(o.tenant).toBe('offline.example');
    expect(stderr()).toMatch(/no MX answer; no Microsoft tenant/);
  });

  it('own app registration: asks the client id, prints what the app needs and the admin-consent URL', async () => {
    const { d, prompt, stderr } = deps({ provider: 'microsoft365', app: true, clientId: '11111111-2222-3333-4444-555555555555', flow: 'device' });
    const o = await askSetup(d, { email: 'ann@contoso.com' });
    expect(prompt.asked).toEqual(['provider', 'app', 'clientId', 'flow']);
    expect(o.clientId).toBe('11111111-2222-3333-4444-555555555555');
    expect(stderr()).toMatch(/IMAP\.AccessAsUser\.All, SMTP\.Send, offline_access/);
    expect(stderr()).toContain(`https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=11111111-2222-3333-4444-555555555555`);
  });

  it('a typed answer is validated like the flag would be', async () => {
    const { d } = deps({ email: 'not an email' });
    await expect(askSetup(d, {})).rejects.toThrow(/rejected: "not an email" is not an email address/);
    const bad = deps({ provider: 'microsoft365', app: true, clientId: 'thunderbird' });
    await expect(askSetup(bad.d, { email: 'ann@contoso.com' })).rejects.toThrow(/not a Microsoft client id/);
  });

  it('every answer given by flags: no question at all', async () => {
    const { d, prompt } = deps({});
    const o = await askSetup(d, { email: 'a@b.example', provider: 'microsoft365', tenant: 't.example', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753', flow: 'paste' });
    expect(prompt.asked).toEqual([]);
    expect(o.flow).toBe('paste');
  });
});

describe('provider detection', () => {
  it.each([
    [['contoso-com.mail.protection.outlook.com'], 'microsoft365'],
    [['fabrikam-com.c-v1.mx.microsoft.'], 'microsoft365'],
    [['aspmx.l.google.com'], 'google'],
    [['mx1.example.net'], undefined],
    [[], undefined],
  ])('MX %j → %s', (mx, want) => expect(classifyMx(mx)).toBe(want));

  it.each([
    ['x@contoso.com', { provider: 'microsoft365', tenant: TENANT, cloud: 'public' }],
    ['x@fabrikam.com', { provider: 'microsoft365', tenant: TENANT }],
    ['x@gmail-hosted.example', { provider: 'google', tenant: undefined }],
    ['x@live.com', { provider: 'outlook.com', tenant: 'consumers' }],
    ['x@offline.example', { provider: 'microsoft365', tenant: undefined }],
  ])('%s', async (email, want) => {
    expect(await detectProvider(email, 'https://login.microsoftonline.com', recorded)).toMatchObject(want);
  });
});
