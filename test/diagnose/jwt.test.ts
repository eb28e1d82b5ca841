import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeJwt } from './make-jwt.js';
import { claimsSummary, decodeJwt, inspectAccessToken, type InspectOptions } from '../../src/diagnose/jwt.js';


const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const ALICE = 'alice@contoso.example';
const TID = '0b6e7f4c-1c6e-4a43-9d4b-7f0f3e1d2c3b';
const good = {
  aud: 'https://outlook.office.com',
  scp: 'IMAP.AccessAsUser.All SMTP.Send',
  upn: ALICE,
  unique_name: ALICE,
  tid: TID,
  exp: NOW / 1000 + 3600,
  nbf: NOW / 1000 - 60,
};
const opts: InspectOptions = { loginUser: ALICE, now: NOW, scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access'] };
const level = (token: string, check: string, o: Partial<InspectOptions> = {}) =>
  inspectAccessToken(token, { ...opts, ...o }).findings.find((f) => f.check === check)?.level;

describe('decodeJwt', () => {
  it.each([
    ['a JWS', makeJwt({ a: 1 }), true],
    ['an opaque Outlook.com-style token', `EwB${randomBytes(60).toString('base64')}`, false],
    ['a JWE (five parts)', 'a.b.c.d.e', false],
    ['three parts that are not JSON', 'abc.def.ghi', false],
    ['a JSON array payload', `${Buffer.from('{}').toString('base64url')}.${Buffer.from('[1]').toString('base64url')}.x`, false],
  ])('%s', (_, token, ok) => {
    expect(decodeJwt(token) !== undefined).toBe(ok);
  });
});

describe('inspectAccessToken: claims → ok/warn/fail rows', () => {
  it('a good token: every row ok, and nothing in the rows is the token', () => {
    const token = makeJwt(good);
    const i = inspectAccessToken(token, opts);
    expect(i.findings.map((f) => [f.check, f.level])).toEqual([
      ['token audience', 'ok'], ['token scopes', 'ok'], ['token user', 'ok'], ['token tenant', 'ok'], ['token expiry', 'ok'],
    ]);
    expect(i).toMatchObject({ format: 'jwt', user: 'match', audience: 'ok', scopes: { imap: 'ok', smtp: 'ok' }, expiry: 'ok' });
    expect(JSON.stringify(i)).not.toContain(token.split('.')[2]);
    expect(i.findings.find((f) => f.check === 'token expiry')?.detail).toMatch(/valid for 60 min/);
  });

  it.each([
    ['Graph audience (scopes without the outlook prefix)', { aud: 'https://graph.microsoft.com' }, 'token audience', 'fail', /Microsoft Graph/],
    ['Graph app id as audience', { aud: '00000003-0000-0000-c000-000000000000' }, 'token audience', 'fail', /Microsoft Graph/],
    ['Exchange GUID audience', { aud: '00000002-0000-0ff1-ce00-000000000000' }, 'token audience', 'ok', /00000002/],
    ['outlook.office365.com audience with a slash', { aud: 'https://outlook.office365.com/' }, 'token audience', 'ok', /office365/],
    ['no audience', { aud: undefined }, 'token audience', 'warn', /no audience/],
    ['IMAP scope missing', { scp: 'SMTP.Send' }, 'token scopes', 'fail', /missing IMAP\.AccessAsUser\.All/],
    ['both missing', { scp: 'User.Read' }, 'token scopes', 'fail', /missing IMAP\.AccessAsUser\.All and SMTP\.Send/],
    ['scopes in another case', { scp: 'imap.accessasuser.all smtp.send' }, 'token scopes', 'ok', /imap/],
    ['no scp (app-only)', { scp: undefined }, 'token scopes', 'warn', /no delegated scopes/],
    ['another user', { upn: 'bob@contoso.example', unique_name: 'bob@contoso.example' }, 'token user', 'warn', /upn bob@contoso\.example, but the login user is alice/],
    ['user in another case', { upn: 'Alice@Contoso.Example' }, 'token user', 'ok', /= login user/],
    ['only unique_name with a guest prefix', { upn: undefined, unique_name: `live.com#${ALICE}` }, 'token user', 'ok', /unique_name alice/],
    ['only preferred_username', { upn: undefined, unique_name: undefined, preferred_username: ALICE }, 'token user', 'ok', /preferred_username/],
    ['no user claim', { upn: undefined, unique_name: undefined }, 'token user', 'warn', /names no user/],
    ['expired', { exp: NOW / 1000 - 600 }, 'token expiry', 'fail', /expired 10 min ago/],
    ['expiring in 2 minutes', { exp: NOW / 1000 + 120 }, 'token expiry', 'warn', /valid for 2 min/],
    ['issued in the future (clock behind)', { nbf: NOW / 1000 + 3600 }, 'clock', 'warn', /clock is behind/],
  ])('%s', (_, change, check, want, detail) => {
    const i = inspectAccessToken(makeJwt({ ...good, ...change }), opts);
    const f = i.findings.find((x) => x.check === check);
    expect(f?.level).toBe(want);
    expect(f?.detail).toMatch(detail);
    if (want === 'fail') expect(f?.fix).toMatch(/mailoauth|clock/);
  });

  it('only the protocols asked for must have their scope', () => {
    const token = makeJwt({ ...good, scp: 'IMAP.AccessAsUser.All' });
    expect(level(token, 'token scopes', { need: ['imap'] })).toBe('ok');
    expect(level(token, 'token scopes', { need: ['smtp'] })).toBe('fail');
    expect(inspectAccessToken(token, opts).scopes).toEqual({ imap: 'ok', smtp: 'missing' });
  });

  it('a pinned tenant that differs from tid warns', () => {
    const token = makeJwt(good);
    expect(level(token, 'token tenant', { tenant: 'organizations' })).toBe('ok');
    expect(level(token, 'token tenant', { tenant: TID.toUpperCase() })).toBe('ok');
    expect(level(token, 'token tenant', { tenant: '11111111-2222-3333-4444-555555555555' })).toBe('warn');
  });

  it('the audience of the account\'s own scopes is accepted (sovereign clouds, test platforms)', () => {
    const token = makeJwt({ ...good, aud: 'https://mail.example.test' });
    expect(level(token, 'token audience')).toBe('fail');
    expect(level(token, 'token audience', { scopes: ['https://mail.example.test/IMAP.AccessAsUser.All'] })).toBe('ok');
  });

  it('opaque tokens: one row, a warning unless expected (Outlook.com)', () => {
    const token = `EwB${randomBytes(40).toString('hex')}`;
    expect(inspectAccessToken(token, opts).findings).toHaveLength(1);
    expect(level(token, 'token format')).toBe('warn');
    expect(level(token, 'token format', { opaqueExpected: true })).toBe('ok');
    expect(claimsSummary(inspectAccessToken(token, opts))).toMatch(/opaque/);
  });

  it('claimsSummary names aud, scp, user and tid, never the token', () => {
    const token = makeJwt({ ...good, upn: 'bob@contoso.example' });
    const s = claimsSummary(inspectAccessToken(token, opts));
    expect(s).toBe(`aud https://outlook.office.com, scp IMAP.AccessAsUser.All SMTP.Send, upn bob@contoso.example, tid ${TID}`);
  });
});
