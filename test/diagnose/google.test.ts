/**
 * Gmail / Google Workspace as data and decisions: the provider row, what setup decides from flags,
 * the refresh adapter choice, token replies, Google's errors, the wizard's questions and the client
 * blocks rendered for a Gmail account. Pure functions, no network.
 */
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { TransientHttpError, type Exchange } from '../../src/auth/http-client.js';
import { classifyOAuth2Error, clientSecretFor, parseTokenReply } from '../../src/auth/oauth2.js';
import { authorizationUrl, pkcePair } from '../../src/auth/oauth2-protocol.js';
import { refresherFor } from '../../src/auth/refreshers.js';
import { CLIENTS } from '../../src/clients/index.js';
import { providerNotes } from '../../src/commands/doctor.js';
import { listRow } from '../../src/commands/list.js';
import { planSetup, type SetupOptions } from '../../src/setup/plan.js';
import { inspectFor } from '../../src/commands/verify.js';
import { askSetup } from '../../src/setup/wizard.js';
import type { Deps } from '../../src/deps.js';
import { googleDiagnosis } from '../../src/diagnose/google.js';
import { ExitCode } from '../../src/errors.js';
import { fullScopes, providerById, providerForEmail, THUNDERBIRD_GOOGLE_CLIENT_ID, THUNDERBIRD_GOOGLE_CLIENT_SECRET } from '../../src/providers/table.js';
import { parseOAuth2, serializeOAuth2 } from '../../src/store/records.js';
import { scriptedPrompter } from '../helpers/scripted-prompter.js';
import { userError } from '../helpers/user-error.js';

const OWN_ID = '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com';
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

  it('the public secret is sent only for the default client; an own client sends its own', () => {
    expect(clientSecretFor({ provider: 'google', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID })).toBe(THUNDERBIRD_GOOGLE_CLIENT_SECRET);
    expect(clientSecretFor({ provider: 'google', clientId: OWN_ID })).toBeUndefined();
    expect(clientSecretFor({ provider: 'google', clientId: OWN_ID }, 'mine')).toBe('mine');
    expect(clientSecretFor({ provider: 'microsoft365', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753' })).toBeUndefined();
  });
});

describe('planSetup for a Gmail address', () => {
  const plan = (o: SetupOptions, env: NodeJS.ProcessEnv = { DISPLAY: ':0' }, existing?: Account) =>
    planSetup({ email: 'someone@gmail.com', ...o }, env, 'linux', existing);

  it('defaults: browser flow, Thunderbird\'s client, Google\'s endpoints, loopback 127.0.0.1, Gmail hosts', () => {
    const p = plan({});
    expect(p.flow).toBe('browser');
    expect(p.clientSecret).toBeUndefined();
    expect(p.account).toMatchObject({
      provider: 'google', auth: 'oauth2', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, tenant: '', authority: 'https://accounts.google.com',
      oauth2: { authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth', tokenEndpoint: 'https://oauth2.googleapis.com/token' },
      scopes: ['https://mail.google.com/'], redirectUri: 'http://127.0.0.1',
      imap: { host: 'imap.gmail.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.gmail.com', port: 465, tls: 'implicit' },
    });
  });

  it.each([
    ['over SSH, still the browser (Google has no device code for mail)', {}, { SSH_CONNECTION: '1 2 3 4' }, 'browser'],
    ['no display, still the browser', {}, {}, 'browser'],
  ])('%s', (_, o, env, flow) => expect(plan(o, env).flow).toBe(flow));

  it('--authority points both endpoints at one base URL (the local stand-in)', () => {
    const p = plan({ authority: 'https://127.0.0.1:8443/' });
    expect(p.account.authority).toBe('https://127.0.0.1:8443');
    expect(p.account.oauth2).toEqual({ authorizationEndpoint: 'https://127.0.0.1:8443/o/oauth2/v2/auth', tokenEndpoint: 'https://127.0.0.1:8443/token' });
  });

  it('--smtp-port 587 means STARTTLS (also valid for Gmail)', () => {
    expect(plan({ smtpPort: '587' }).account.smtp).toEqual({ host: 'smtp.gmail.com', port: 587, tls: 'starttls' });
  });

  it('own client: its id and the secret from the named environment variable', () => {
    const p = plan({ clientId: OWN_ID, clientSecretEnv: 'GSECRET' }, { GSECRET: 's3cret' });
    expect(p.account.clientId).toBe(OWN_ID);
    expect(p.clientSecret).toBe('s3cret');
    expect(JSON.stringify(p.account)).not.toContain('s3cret');
  });

  it('reauth keeps the stored endpoints and redirect', () => {
    const first = plan({ authority: 'https://127.0.0.1:9000' });
    const existing = { ...first.account, createdAt: '2025-01-01T00:00:00.000Z' } as Account;
    const again = planSetup({ reauth: existing.name }, { DISPLAY: ':0' }, 'linux', existing);
    expect(again.account.oauth2).toEqual(first.account.oauth2);
    expect(again.account.authority).toBe('https://127.0.0.1:9000');
    expect(again.flow).toBe('browser');
  });

  it.each([
    ['--flow device', { flow: 'device' }, {}, /--flow device does not work with Gmail \/ Google Workspace: Google offers no device-code sign-in/, /--flow browser/],
    ['--flow paste', { flow: 'paste' }, {}, /--flow paste does not work with Gmail \/ Google Workspace: Google has blocked the copy\/paste \(out-of-band\)/, /ssh -L 8765:127\.0\.0\.1:8765/],
    ['a Microsoft GUID as client id', { clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753' }, {}, /is not a Gmail \/ Google Workspace OAuth client id/, /Desktop app/],
    ['--tenant', { tenant: 'contoso.com' }, {}, /--tenant does not apply/, /Leave --tenant out/],
    ['an https redirect', { redirectUri: 'https://localhost' }, {}, /needs a loopback redirect/, /http:\/\/127\.0\.0\.1/],
    ["http://localhost with Thunderbird's Google client (registered: 127.0.0.1)", { redirectUri: 'http://localhost' }, {}, /has no redirect URI http:\/\/localhost registered/, /http:\/\/127\.0\.0\.1/],
    ['an http authority', { authority: 'http://127.0.0.1:1' }, {}, /must be https/, /--authority/],
    ['an unset secret variable', { clientId: OWN_ID, clientSecretEnv: 'NOPE' }, {}, /NOPE: that environment variable is empty or not set/, /export NOPE=/],
  ])('%s → usage error (exit 2) with the reason and what works', (_, o, env, msg, fix) => {
    const e = userError(() => plan(o as SetupOptions, env));
    expect(e.exitCode).toBe(ExitCode.Usage);
    expect(e.message).toMatch(msg);
    expect(e.fix).toMatch(fix);
  });

  it('--client-secret-env is refused for Microsoft rows (not supported there yet)', () => {
    const e = userError(() => planSetup({ email: 'ann@contoso.com', clientSecretEnv: 'X' }, { X: 'y' }, 'linux'));
    expect(e.exitCode).toBe(ExitCode.Usage);
  });
});

describe('refresh adapter choice', () => {
  it.each([
    [{}, 'refreshWithMsal'],
    [{ auth: 'msal' as const }, 'refreshWithMsal'],
    [{ auth: 'oauth2' as const }, 'refreshWithOAuth2'],
  ])('%j → %s', async (a, name) => {
    expect((await refresherFor(a)()).name).toBe(name);
  });
});

describe('OAuth2 pieces', () => {
  it('PKCE: the challenge is the S256 of the verifier; the authorization URL carries Google\'s parameters', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[\w-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    const u = new URL(authorizationUrl('https://accounts.google.com/o/oauth2/v2/auth', {
      clientId: 'c', redirectUri: 'http://127.0.0.1:5000', scopes: ['https://mail.google.com/'], state: 's', challenge, loginHint: 'a@gmail.com', extra: google.oauth2!.authorizeParams,
    }));
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: 'c', redirect_uri: 'http://127.0.0.1:5000', response_type: 'code', scope: 'https://mail.google.com/', state: 's',
      code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'a@gmail.com', access_type: 'offline', prompt: 'consent',
    });
  });

  it.each([
    ['refresh without refresh_token', { access_token: 'ya29.a', expires_in: 3599, scope: 'https://mail.google.com/', token_type: 'Bearer' },
      { accessToken: 'ya29.a', expiresAt: 1_000 + 3_599_000, refreshToken: undefined, scopes: ['https://mail.google.com/'] }],
    ['rotation', { access_token: 'ya29.b', expires_in: 60, refresh_token: '1//new' }, { accessToken: 'ya29.b', expiresAt: 61_000, refreshToken: '1//new', scopes: ['req'] }],
    ['no expires_in: an hour', { access_token: 'ya29.c' }, { expiresAt: 3_601_000 }],
  ])('token reply: %s', (_, body, want) => {
    expect(parseTokenReply(body, 1_000, ['req'])).toMatchObject(want);
  });

  it('a reply without an access token is an error, not an empty token', () => {
    expect(userError(() => parseTokenReply({ error: 'x' }, 0, [])).exitCode).toBe(ExitCode.Unexpected);
  });

  it('the OAuth2 record keeps the refresh token and only an own client\'s secret', () => {
    expect(parseOAuth2(serializeOAuth2({ refreshToken: '1//x' }))).toEqual({ v: 1, refreshToken: '1//x' });
    expect(parseOAuth2(serializeOAuth2({ refreshToken: '1//x', clientSecret: 's' }))).toEqual({ v: 1, refreshToken: '1//x', clientSecret: 's' });
    expect(parseOAuth2('{"RefreshToken":{}}')).toBeUndefined();
    expect(parseOAuth2(null)).toBeUndefined();
  });
});

describe('Google errors → cause, fix, exit code', () => {
  const ctx = { account: 'gm', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, ownClient: false, stage: 'refresh' as const };
  it.each([
    ['invalid_grant', 'refresh', false, /expired or was revoked/, /^mailoauth setup --reauth gm$/],
    ['invalid_grant', 'refresh', true, /"Testing" status gets refresh tokens that expire after 7 days/, /Publish app/],
    ['invalid_grant', 'signin', false, /refused the authorization code/, /--reauth gm/],
    ['invalid_client', 'signin', true, /client secret is wrong/, /--client-secret-env/],
    ['invalid_client', 'refresh', false, /Thunderbird's OAuth client/, /Create your own "Desktop app"/],
    ['unauthorized_client', 'refresh', true, /not a "Desktop app" client/, /--client-id ID/],
    ['access_denied', 'signin', true, /not one of its test users/, /Test users/],
    ['access_denied', 'signin', false, /you chose Cancel/, /choose Allow/],
    ['org_internal', 'signin', true, /"Internal" to another Google Workspace organization/, /"External"/],
    ['admin_policy_enforced', 'signin', false, /Workspace admin's API access controls/, /API controls/],
    ['redirect_uri_mismatch', 'signin', true, /loopback redirect/, /Desktop app/],
  ] as const)('%s (%s, own client %s)', (name, stage, ownClient, cause, fix) => {
    const d = googleDiagnosis(name, { ...ctx, stage, ownClient })!;
    expect(d.exit).toBe(ExitCode.ReloginNeeded);
    expect(d.cause).toMatch(cause);
    expect(d.fix).toMatch(fix);
  });

  it('an unknown name has no row; toString and friends are not rows either', () => {
    expect(googleDiagnosis('something_new', ctx)).toBeUndefined();
    expect(googleDiagnosis('toString', ctx)).toBeUndefined();
  });

  const ex = (status: number, body: unknown): Exchange => ({ method: 'POST', url: 'https://oauth2.googleapis.com/token', outcome: { kind: 'response', status, json: true }, body, attempts: 1 });
  const c = { account: 'gm', email: 'a@gmail.com', provider: 'google', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID, tokenEndpoint: 'https://oauth2.googleapis.com/token', stage: 'refresh' as const };
  it.each([
    ['revoked', undefined, ex(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }), ExitCode.ReloginNeeded, /\(invalid_grant: Token has been expired or revoked\.\)/],
    ['503 after retries', new TransientHttpError({ ...ex(503, undefined), outcome: { kind: 'response', status: 503, json: false }, attempts: 3 }), undefined, ExitCode.Unavailable, /oauth2\.googleapis\.com\) is unavailable: HTTP 503 with a body that is not JSON after 3 attempt\(s\)\. The stored refresh token was kept\./],
    ['an error sent back to the loopback listener', { errorCode: 'access_denied', errorMessage: '' }, undefined, ExitCode.ReloginNeeded, /you chose Cancel/],
    ['an unknown error, verbatim', undefined, ex(400, { error: 'weird', error_description: 'Something new' }), ExitCode.Unexpected, /The provider refused: weird: Something new/],
  ])('classify: %s', (_, err, last, exit, msg) => {
    const e = classifyOAuth2Error(err, last, c);
    expect(e.exitCode).toBe(exit);
    expect(e.message).toMatch(msg);
  });
});

describe('doctor and verify for Google accounts', () => {
  it('an own client gets the 7-day "Testing" warning; Thunderbird\'s does not', () => {
    expect(providerNotes({ provider: 'google', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID })).toEqual([]);
    expect(providerNotes({ provider: 'microsoft365', clientId: OWN_ID })).toEqual([]);
    const [f] = providerNotes({ provider: 'google', clientId: OWN_ID });
    expect(f).toMatchObject({ level: 'warn', check: 'own client' });
    expect(f!.detail).toMatch(/"Testing" publishing status, Google expires its refresh tokens after 7 days/);
  });

  it.each([
    [100, []],
    [160, []],
    [170, [/must be signed in again by .*Google ends a sign-in whose refresh token is unused for 6 months/]],
  ])('list: a Google refresh token unused for %i days', (days, want) => {
    const now = Date.parse('2025-12-01T00:00:00Z');
    const a = { ...planSetup({ email: 'someone@gmail.com' }, {}, 'linux').account, createdAt: new Date(now - days * 86_400_000).toISOString() } as Account;
    const w = listRow(a, { state: 'none' }, now).warnings;
    expect(w).toHaveLength(want.length);
    want.forEach((re, i) => expect(w[i]).toMatch(re));
  });

  it('an opaque Google access token is expected, not a warning', () => {
    const a = planSetup({ email: 'someone@gmail.com' }, {}, 'linux').account as Account;
    const i = inspectFor(a, 'ya29.opaque-token', 0, ['imap']);
    expect(i.format).toBe('opaque');
    expect(i.findings.map((f) => f.level)).toEqual(['ok']);
  });
});

describe('client blocks for a Gmail account use Gmail\'s hosts by default', () => {
  const a = { ...planSetup({ email: 'someone@gmail.com', name: 'gmail' }, {}, 'linux').account, createdAt: '2025-01-01T00:00:00.000Z' } as Account;
  const opts = { bin: '/usr/local/bin/mailoauth' };
  it.each([
    ['offlineimap', [/remotehost = imap\.gmail\.com/, /remoteport = 993/, /ssl = yes/, /remoteuser = someone@gmail\.com/, /auth_mechanisms = XOAUTH2/]],
    ['mbsync', [/^Host imap\.gmail\.com$/m, /^Port 993$/m, /^SSLType IMAPS$/m, /^User "?someone@gmail\.com"?$/m]],
    ['mutt', [/imaps:\/\/imap\.gmail\.com:993\//, /smtps:\/\/someone%40gmail\.com@smtp\.gmail\.com:465\//]],
    ['neomutt', [/imaps:\/\/imap\.gmail\.com:993\//, /smtps:\/\/someone%40gmail\.com@smtp\.gmail\.com:465\//]],
    ['msmtp', [/^host smtp\.gmail\.com$/m, /^port 465$/m, /^tls_starttls off$/m, /^auth xoauth2$/m, /^from "someone@gmail\.com"$/m]],
  ] as const)('%s', (id, patterns) => {
    const block = CLIENTS[id].render(a, opts);
    for (const p of patterns) expect(block).toMatch(p);
    expect(block).toContain('/usr/local/bin/mailoauth');
    expect(block).not.toMatch(/office365|outlook/);
  });
});


