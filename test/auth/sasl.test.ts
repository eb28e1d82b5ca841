import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import {
  chooseMechanism, initialResponse, initialResponseBase64, mechanismOf, offeredByImap, offeredBySmtp, parseMechanism, saslAfterLogins, saslRecord,
  SASL_ABORT, type SaslChoice, type SaslChoices, type SaslOffer, type SaslPolicy,
} from '../../src/auth/sasl.js';
import { planSetup } from '../../src/setup/plan.js';
import { parseAccounts } from '../../src/store/accounts.js';

describe('which SASL mechanism a login uses, from what the server offers', () => {
  const OUTLOOK: SaslOffer = ['XOAUTH2']; // outlook.office365.com
  const GMAIL: SaslOffer = ['XOAUTH2', 'PLAIN', 'PLAIN-CLIENTTOKEN', 'OAUTHBEARER', 'XOAUTH'];
  const YAHOO: SaslOffer = ['PLAIN', 'OAUTHBEARER']; // senders.yahooinc.com/developer/documentation
  const PASSWORDS: SaslOffer = ['PLAIN', 'LOGIN'];
  const rows: Array<[string, SaslOffer, SaslPolicy, SaslChoice]> = [
    ['XOAUTH2 only (Microsoft, Yandex)', OUTLOOK, {}, { kind: 'chosen', mechanism: 'xoauth2' }],
    ['both (Gmail, Dovecot): XOAUTH2, what Thunderbird speaks', GMAIL, {}, { kind: 'chosen', mechanism: 'xoauth2' }],
    ['OAUTHBEARER only (Yahoo)', YAHOO, {}, { kind: 'chosen', mechanism: 'oauthbearer' }],
    ['no OAuth mechanism', PASSWORDS, {}, { kind: 'none' }],
    ['nothing advertised', [], {}, { kind: 'none' }],
    ['XOAUTH (v1) is not XOAUTH2', ['XOAUTH'], {}, { kind: 'none' }],
    ['an earlier OAUTHBEARER choice is kept while offered', GMAIL, { prefer: 'oauthbearer' }, { kind: 'chosen', mechanism: 'oauthbearer' }],
    ['an earlier choice no longer offered gives way', OUTLOOK, { prefer: 'oauthbearer' }, { kind: 'chosen', mechanism: 'xoauth2' }],
    ['required and offered', YAHOO, { require: 'oauthbearer' }, { kind: 'chosen', mechanism: 'oauthbearer' }],
    ['required XOAUTH2, the server only has OAUTHBEARER', YAHOO, { require: 'xoauth2' }, { kind: 'not-offered', wanted: 'xoauth2' }],
    ['required OAUTHBEARER, the server only has XOAUTH2', OUTLOOK, { require: 'oauthbearer' }, { kind: 'not-offered', wanted: 'oauthbearer' }],
    ['required, and no OAuth at all', PASSWORDS, { require: 'xoauth2' }, { kind: 'none' }],
  ];
  it.each(rows)('%s', (_, offered, policy, want) => {
    expect(chooseMechanism(offered, policy)).toEqual(want);
  });

  it('an account without "sasl" uses XOAUTH2 for both servers', () => {
    expect(mechanismOf({}, 'imap')).toBe('xoauth2');
    expect(mechanismOf({ sasl: { smtp: 'oauthbearer' } }, 'imap')).toBe('xoauth2');
    expect(mechanismOf({ sasl: { smtp: 'oauthbearer' } }, 'smtp')).toBe('oauthbearer');
  });
});

describe('what a server offers', () => {
  it.each([
    [['IMAP4rev1', 'SASL-IR', 'AUTH=PLAIN', 'AUTH=OAUTHBEARER', 'ID'], ['PLAIN', 'OAUTHBEARER']],
    [['IMAP4rev1', 'auth=xoauth2', 'AUTH=XOAUTH2'], ['XOAUTH2']],
    [['IMAP4rev1', 'LOGINDISABLED'], []],
  ])('IMAP capabilities %j', (caps, want) => {
    expect(offeredByImap(caps)).toEqual(want);
  });

  it.each([
    ['250-localhost\r\n250-PIPELINING\r\n250-AUTH OAUTHBEARER\r\n250 8BITMIME', ['OAUTHBEARER']],
    ['250-smtp.example\r\n250-AUTH LOGIN XOAUTH2 oauthbearer\r\n250-AUTH=LOGIN XOAUTH2\r\n250 SIZE 1000', ['LOGIN', 'XOAUTH2', 'OAUTHBEARER']],
    ['250-smtp.example\n250-AUTHX FOO\n250 SIZE', []],
    ['250 smtp.example', []],
  ])('SMTP EHLO %j', (reply, want) => {
    expect(offeredBySmtp(reply)).toEqual(want);
  });
});

describe('initial client responses', () => {
  const login = { user: 'alice@contoso.example', token: 'T0K3N', host: 'imap.example.org', port: 993 };
  it('XOAUTH2: user=U^Aauth=Bearer T^A^A (no host, no port)', () => {
    expect(initialResponse('xoauth2', login)).toBe('user=alice@contoso.example\x01auth=Bearer T0K3N\x01\x01');
  });
  it('OAUTHBEARER (RFC 7628 §3.1): n,a=U,^Ahost=H^Aport=P^Aauth=Bearer T^A^A', () => {
    expect(initialResponse('oauthbearer', login)).toBe('n,a=alice@contoso.example,\x01host=imap.example.org\x01port=993\x01auth=Bearer T0K3N\x01\x01');
  });
  it('OAUTHBEARER escapes "," and "=" in the authzid (RFC 5801 §4), "=" first', () => {
    expect(initialResponse('oauthbearer', { ...login, user: 'a,b=c@x.example' })).toMatch(/^n,a=a=2Cb=3Dc@x\.example,\x01/);
  });
  it('host and port are left out when not known', () => {
    expect(initialResponse('oauthbearer', { user: 'u@x.example', token: 't' })).toBe('n,a=u@x.example,\x01auth=Bearer t\x01\x01');
  });
  it('base64, as on the wire', () => {
    expect(Buffer.from(initialResponseBase64('xoauth2', login), 'base64').toString()).toBe(initialResponse('xoauth2', login));
  });
  it.each([['user', { ...login, user: 'a@x.example\x01auth=Bearer evil' }], ['token', { ...login, token: 't\x01host=x' }], ['host', { ...login, host: 'h\r\n' }]])(
    'a control character in the %s is refused (it would add fields)', (_, l) => {
      expect(() => initialResponse('oauthbearer', l)).toThrow(/control character/);
    });
  it('the abort responses: XOAUTH2 an empty line, OAUTHBEARER %x01 (RFC 7628 §3.2.3)', () => {
    expect(SASL_ABORT).toEqual({ xoauth2: '', oauthbearer: 'AQ==' });
  });
});

describe('--sasl and accounts.json', () => {
  it.each([['xoauth2', 'xoauth2'], ['OAUTHBEARER', 'oauthbearer'], [' oauthbearer ', 'oauthbearer'], ['plain', undefined], [undefined, undefined]])(
    '--sasl %j', (v, want) => {
      expect(parseMechanism(v)).toBe(want);
    });

  it('only departures from XOAUTH2 are recorded', () => {
    expect(saslRecord({ imap: 'xoauth2', smtp: 'xoauth2' })).toBeUndefined();
    expect(saslRecord({ imap: 'oauthbearer', smtp: 'xoauth2' })).toEqual({ imap: 'oauthbearer' });
    expect(saslRecord({})).toBeUndefined();
  });

  const account = (sasl?: unknown) => JSON.stringify({ version: 1, accounts: [{
    name: 'work', email: 'alice@contoso.example', provider: 'microsoft365', clientId: 'c', tenant: 't', authority: 'https://login.example/t',
    scopes: [], store: 'keychain', createdAt: '2025-01-01T00:00:00Z',
    imap: { host: 'imap.example.org', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.example.org', port: 587, tls: 'starttls' },
    ...(sasl === undefined ? {} : { sasl }),
  }] });
  it.each([undefined, {}, { imap: 'oauthbearer' }, { imap: 'xoauth2', smtp: 'oauthbearer' }])('accepts sasl %j', (sasl) => {
    expect(parseAccounts(account(sasl), '/x/accounts.json').accounts[0]!.sasl).toEqual(sasl);
  });
  it.each([
    ['oauthbearer', /"sasl" "oauthbearer" is not an object/],
    [null, /"sasl" null is not an object/],
    [{ pop: 'xoauth2' }, /"sasl" names "pop", neither imap nor smtp/],
    [{ imap: 'plain' }, /the imap SASL mechanism "plain" is neither xoauth2 nor oauthbearer/],
    [{ smtp: '$(id)' }, /the smtp SASL mechanism/],
  ])('refuses sasl %j', (sasl, why) => {
    expect(() => parseAccounts(account(sasl), '/x/accounts.json')).toThrow(why);
  });
});

describe('setup: --sasl, and what its logins teach', () => {
  const base = { email: 'alice@example.org', provider: 'oidc', issuer: 'https://id.example.org', scope: 'openid mail', clientId: 'mail-cli',
    imapHost: 'imap.example.org', smtpHost: 'smtp.example.org', flow: 'device', store: 'file' };
  const plan = (o: Record<string, unknown> = {}, existing?: Account) => planSetup({ ...base, ...o }, {}, 'linux', existing);
  it.each<[Record<string, unknown>, SaslChoices | undefined, string | undefined]>([
    [{}, undefined, undefined],
    [{ sasl: 'oauthbearer' }, { imap: 'oauthbearer', smtp: 'oauthbearer' }, 'oauthbearer'],
    [{ sasl: 'XOAUTH2' }, undefined, 'xoauth2'],
  ])('%j → account.sasl %j, logins require %j', (o, sasl, require) => {
    const p = plan(o);
    expect(p.account.sasl).toEqual(sasl);
    expect(p.sasl).toBe(require);
  });
  it('an unknown mechanism is refused before anything happens', () => {
    expect(() => plan({ sasl: 'plain' })).toThrow(/Unknown SASL mechanism "plain"/);
  });
  it('--reauth keeps what the account recorded unless --sasl says otherwise', () => {
    const existing = { ...plan({ sasl: 'oauthbearer' }).account, createdAt: '2025-01-01T00:00:00Z' } as Account;
    expect(plan({ email: undefined, reauth: 'alice@example.org' }, existing).account.sasl).toEqual({ imap: 'oauthbearer', smtp: 'oauthbearer' });
    expect(plan({ email: undefined, reauth: 'alice@example.org', sasl: 'xoauth2' }, existing).account.sasl).toBeUndefined();
  });
  it.each<[SaslChoices | undefined, SaslChoices, SaslChoices | undefined]>([
    [undefined, { imap: 'oauthbearer', smtp: 'oauthbearer' }, { imap: 'oauthbearer', smtp: 'oauthbearer' }],
    [undefined, { imap: 'oauthbearer' }, { imap: 'oauthbearer' }],
    [{ imap: 'oauthbearer', smtp: 'oauthbearer' }, { imap: 'xoauth2' }, { smtp: 'oauthbearer' }],
    [{ smtp: 'oauthbearer' }, { imap: 'xoauth2', smtp: 'xoauth2' }, undefined],
    [undefined, {}, undefined],
  ])('recorded %j, the logins used %j → %j', (recorded, used, want) => {
    expect(saslAfterLogins(recorded, used)).toEqual(want);
  });
});
