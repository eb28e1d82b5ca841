import { describe, expect, it } from 'vitest';
import { decideDetection } from '../../src/providers/detect.js';
import { UserError } from '../../src/errors.js';
import { planSetup } from '../../src/setup/plan.js';
import { fullScopes, providerById, providerForEmail } from '../../src/providers/table.js';

/** The rows made from Thunderbird's clients and its ISP database (docs/real-services.md "Providers from Thunderbird"). */
describe('providers from Thunderbird: what setup plans for an address of each', () => {
  it.each([
    ['someone@yahoo.co.uk', 'yahoo', 'paste', 'https://127.0.0.1', 'imap.mail.yahoo.com', 'smtp.mail.yahoo.com', ['mail-w', 'ycal-w', 'sdct-w'], 'https://api.login.yahoo.com/oauth2/get_token'],
    ['someone@aol.com', 'aol', 'paste', 'https://127.0.0.1', 'imap.aol.com', 'smtp.aol.com', ['mail-w', 'ycal-w', 'sdct-w'], 'https://api.login.aol.com/oauth2/get_token'],
    ['someone@yandex.ru', 'yandex', 'browser', 'http://localhost', 'imap.yandex.com', 'smtp.yandex.com', ['mail:imap_full', 'mail:smtp'], 'https://oauth.yandex.com/token'],
    ['someone@inbox.ru', 'mail.ru', 'paste', 'http://localhost', 'imap.mail.ru', 'smtp.mail.ru', ['mail.imap'], 'https://o2.mail.ru/token'],
  ])('%s → %s: %s flow to %s, %s / %s', (email, provider, flow, redirect, imap, smtp, scopes, tokenEndpoint) => {
    // Over SSH (device code preferred): none of these clients allows it, so setup proposes what they do.
    const p = planSetup({ email }, { SSH_CONNECTION: '1 2 3 4' }, 'linux');
    expect(p.flow).toBe(flow);
    expect(p.account).toMatchObject({
      provider, auth: 'oauth2', clientId: providerById(provider)!.defaultClientId, scopes, redirectUri: redirect,
      imap: { host: imap, port: 993, tls: 'implicit' }, smtp: { host: smtp, port: 465, tls: 'implicit' }, oauth2: { tokenEndpoint },
    });
  });

  it('Fastmail is recognised by its MX (messagingengine.com): browser flow on http://localhost', () => {
    const det = decideDetection({ kind: 'hosts', hosts: ['in1-smtp.messagingengine.com', 'in2-smtp.messagingengine.com'] }, { kind: 'no-tenant' });
    expect(det).toMatchObject({ provider: 'fastmail', confident: true });
    const p = planSetup({ email: 'me@fastmail.com' }, { DISPLAY: ':0' }, 'linux', undefined, det);
    expect(p).toMatchObject({ flow: 'browser', account: { provider: 'fastmail', clientId: '35f141ae', redirectUri: 'http://localhost',
      scopes: ['https://www.fastmail.com/dev/protocol-imap', 'https://www.fastmail.com/dev/protocol-smtp'], imap: { host: 'imap.fastmail.com' } } });
  });

  it.each([
    [['mta5.am0.yahoodns.net'], 'yahoo'],
    [['mx-aol.mail.gm0.yahoodns.net'], 'aol'],
  ])('MX %j → %s', (hosts, want) => expect(decideDetection({ kind: 'hosts', hosts }, { kind: 'no-tenant' }).provider).toBe(want));

  it.each([
    ['someone@yahoo.com', 'device', /--flow device does not work with Yahoo Mail: Thunderbird's client for it is not known to allow the device-code sign-in/, /--flow paste$/],
    ['someone@yahoo.com', 'browser', /registered no loopback redirect/, /--flow paste$/],
    ['someone@yandex.ru', 'paste', /registered a loopback redirect only/, /--flow browser/],
  ])('%s --flow %s: exit 2 with what works', (email, flow, msg, fix) => {
    const e = (() => {
      try {
        planSetup({ email, flow }, {}, 'linux');
      } catch (x) {
        return x as UserError;
      }
      return undefined;
    })();
    expect(e?.exitCode).toBe(2);
    expect(e?.message).toMatch(msg);
    expect(e?.fix).toMatch(fix);
  });
});

const google = providerById('google')!;

describe('the google row', () => {
  it.each([
    ['someone@gmail.com', 'google'],
    ['Someone@GoogleMail.com', 'google'],
    ['bob@hotmail.com', 'outlook.com'],
    ['ann@contoso.com', 'microsoft365'],
  ])('%s → %s', (email, id) => expect(providerForEmail(email).id).toBe(id));

  it('Thunderbird\'s Google client, the Gmail scope (no offline_access), Gmail hosts and Google endpoints', () => {
    expect(google).toMatchObject({
      label: 'Gmail / Google Workspace',
      defaultClientId: '406964657835-aq8lmia8j95dhl1a2bvharmfk3t1hgqj.apps.googleusercontent.com',
      imap: { host: 'imap.gmail.com', port: 993, tls: 'implicit' },
      smtp: { host: 'smtp.gmail.com', port: 465, tls: 'implicit' },
      oauth2: {
        endpoints: { authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth', tokenEndpoint: 'https://oauth2.googleapis.com/token' },
        defaultClientSecret: 'kSmqreRr0qwBWJgbf5Y-PjSU',
        authorizeParams: { access_type: 'offline', prompt: 'consent' },
      },
    });
    expect(fullScopes(google)).toEqual(['https://mail.google.com/']);
    // Microsoft rows are unchanged.
    expect(fullScopes(providerById('microsoft365')!)).toEqual([
      'https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access']);
  });
});
