import { describe, expect, it } from 'vitest';
import { classifyAuthError } from '../../src/auth/classify.js';
import { defaultFlow } from '../../src/auth/default-flow.js';
import { TransientHttpError, type Exchange } from '../../src/auth/http-client.js';
import { browserCommands } from '../../src/auth/open-browser.js';
import { DEFAULT_RETRY, nextDelay, parseRetryAfter, type Outcome } from '../../src/auth/retry-policy.js';
import { parsePastedRedirect } from '../../src/auth/paste-step.js';
import { formatToken, xoauth2 } from '../../src/commands/token.js';
import { nextRewriteAt } from '../../src/commands/export.js';
import { planSetup } from '../../src/setup/plan.js';
import { AADSTS, aadstsCode } from '../../src/diagnose/aadsts.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { parseHeader } from '../../src/store/chunked-store.js';
import { decideToken, decideUnderLock, hasRefreshToken, parseAccess, trimMsalCache } from '../../src/store/records.js';
import { parseAccounts } from '../../src/store/accounts.js';
import { tokenInvocation } from '../../src/token-invocation.js';

const MIN = 60_000;

describe('decideToken: the fast path decision', () => {
  const rec = (left: number) => ({ v: 1 as const, accessToken: 'at', expiresAt: 1_000_000 + left, scopes: [] });
  it.each([
    ['no record', undefined, { refresh: 'missing' }],
    ['an hour left', rec(60 * MIN), 'use'],
    ['5 min + 1 s left', rec(5 * MIN + 1000), 'use'],
    ['exactly 5 min left', rec(5 * MIN), { refresh: 'expiring' }],
    ['1 min left', rec(MIN), { refresh: 'expiring' }],
    ['expired', rec(-MIN), { refresh: 'expiring' }],
  ])('%s', (_, r, want) => {
    const got = decideToken(r, 1_000_000);
    if (want === 'use') expect(got).toEqual({ use: r });
    else expect(got).toEqual(want);
  });
});

describe('decideUnderLock: a caller that waited for the refresh lock', () => {
  const rec = (token: string, left: number) => ({ v: 1 as const, accessToken: token, expiresAt: 1_000_000 + left, scopes: [] });
  it.each([
    ['nothing stored', undefined, undefined, { refresh: 'missing' }],
    ['still the record it saw, inside the margin', rec('a', 4 * MIN), rec('a', 4 * MIN), { refresh: 'expiring' }],
    ['replaced by a 4-minute token (short-lived provider)', rec('b', 4 * MIN), rec('a', 30_000), 'use'],
    ['written while it saw none', rec('b', 4 * MIN), undefined, 'use'],
    ['replaced, but by a token about to expire', rec('b', 30_000), rec('a', 10_000), { refresh: 'expiring' }],
    ['replaced by one outside the margin', rec('b', 60 * MIN), rec('a', MIN), 'use'],
  ])('%s', (_, current, seen, want) => {
    const got = decideUnderLock(current, seen, 1_000_000);
    if (want === 'use') expect(got).toEqual({ use: current });
    else expect(got).toEqual(want);
  });
});

describe('parseAccess: only records we wrote count', () => {
  it.each([
    [null, false],
    ['', false],
    ['not json', false],
    ['{"v":2,"accessToken":"a","expiresAt":1}', false],
    ['{"v":1,"accessToken":"","expiresAt":1}', false],
    ['{"v":1,"accessToken":"a","expiresAt":"soon"}', false],
    ['{"v":1,"accessToken":"a","expiresAt":1,"scopes":["x"]}', true],
  ])('%s → usable %s', (text, ok) => {
    expect(parseAccess(text) !== undefined).toBe(ok);
  });
});

describe('MSAL cache trimming keeps the refresh token, drops access tokens', () => {
  const cache = JSON.stringify({ Account: { a: {} }, AccessToken: { k: { secret: 'AT' } }, RefreshToken: { r: { secret: 'RT' } }, IdToken: {}, AppMetadata: {} });
  it('trims', () => {
    const t = JSON.parse(trimMsalCache(cache));
    expect(t.AccessToken).toEqual({});
    expect(t.RefreshToken.r.secret).toBe('RT');
  });
  it.each([
    [cache, true],
    [JSON.stringify({ RefreshToken: {} }), false],
    [JSON.stringify({ RefreshToken: { r: { secret: '' } } }), false],
    ['garbage', false],
    [null, false],
  ])('hasRefreshToken(%s) = %s', (c, want) => expect(hasRefreshToken(c)).toBe(want));
});

describe('retry policy', () => {
  const resp = (status: number, json = true, retryAfterSec?: number): Outcome => ({ kind: 'response', status, json, retryAfterSec });
  it.each<[string, Outcome, number, number | undefined]>([
    ['200 stops', resp(200), 1, undefined],
    ['400 JSON (the server answered) stops', resp(400), 1, undefined],
    ['503 retries with backoff', resp(503), 1, 400],
    ['503 second attempt doubles', resp(503), 2, 800],
    ['503 on the last attempt stops', resp(503), 3, undefined],
    ['500 retries', resp(500), 1, 400],
    ['429 waits Retry-After', resp(429, true, 2), 1, 2000],
    ['429 with a Retry-After too long to wait stops', resp(429, true, 3600), 1, undefined],
    ['429 without Retry-After backs off', resp(429), 1, 400],
    ['200 with an HTML body retries', resp(200, false), 1, 400],
    ['reset retries', { kind: 'network', reason: 'reset' }, 1, 400],
    ['timeout on the last attempt stops', { kind: 'network', reason: 'timeout' }, 3, undefined],
  ])('%s', (_, o, attempt, want) => expect(nextDelay(o, attempt, DEFAULT_RETRY)).toBe(want));

  it.each([
    ['5', 5],
    [' 12 ', 12],
    [new Date(1_010_000).toUTCString(), 10],
    ['soon', undefined],
    [undefined, undefined],
  ])('Retry-After %s → %s s', (v, want) => expect(parseRetryAfter(v, 1_000_000)).toBe(want));
});

describe('AADSTS table covers every code in the spec', () => {
  const spec = [7000112, 700016, 65001, 90094, 53003, 50011, 700025, 7000218, 700082, 50173, 70008, 50076, 50079, 50020];
  it.each(spec)('AADSTS%s has a cause and a fix', (code) => {
    const d = AADSTS.get(code)!;
    expect(d.cause.length).toBeGreaterThan(20);
    expect(d.fix({ account: 'work', clientId: 'cid', authority: 'https://login.microsoftonline.com/contoso.com' })).toMatch(/mailoauth|admin|portal/);
  });
  it('finds the code in error_codes or in text', () => {
    expect(aadstsCode({ error_codes: [50173] })).toBe(50173);
    expect(aadstsCode(undefined, 'AADSTS700082: The refresh token has expired')).toBe(700082);
    expect(aadstsCode('nothing here')).toBeUndefined();
  });
});

describe('classifyAuthError', () => {
  const ctx = { account: 'work', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753', authority: 'https://login.microsoftonline.com/contoso.com' };
  const errExchange = (body: object, status = 400): Exchange => ({ method: 'POST', url: 'https://idp/t/oauth2/v2.0/token', outcome: { kind: 'response', status, json: true }, body, attempts: 1 });
  it.each([
    ['expired refresh token', { errorCode: 'invalid_grant' }, errExchange({ error: 'invalid_grant', error_codes: [700082] }), ExitCode.ReloginNeeded, /setup --reauth work/],
    ['revoked', { errorCode: 'invalid_grant' }, errExchange({ error: 'invalid_grant', error_codes: [50173] }), ExitCode.ReloginNeeded, /setup --reauth work/],
    ['consent needed: the URL', { errorCode: 'invalid_grant' }, errExchange({ error: 'invalid_grant', error_codes: [65001] }), ExitCode.ReloginNeeded, /contoso\.com\/adminconsent\?client_id=9e5f94bc/],
    ['Conditional Access on device code (MSAL hid the code)', { errorCode: 'post_request_failed', errorMessage: 'access_denied' }, errExchange({ error: 'access_denied', error_codes: [53003] }), ExitCode.ReloginNeeded, /--flow browser/],
    ['unknown invalid_grant', { errorCode: 'invalid_grant' }, errExchange({ error: 'invalid_grant', error_description: 'AADSTS9999999: odd' }), ExitCode.ReloginNeeded, /reauth/],
    ['unknown error keeps the server text and correlation id', { errorCode: 'weird' }, errExchange({ error: 'weird', error_description: 'Something else\r\nTrace ID: x', correlation_id: 'c-1' }), ExitCode.Unexpected, /doctor/],
  ])('%s', (_, err, last, code, fix) => {
    const u = classifyAuthError(err, last, ctx, true);
    expect(u.exitCode).toBe(code);
    expect(u.fix).toMatch(fix);
  });
  it('unknown error message carries the raw server text and correlation id', () => {
    const u = classifyAuthError({ errorCode: 'weird' }, errExchange({ error: 'weird', error_description: 'Something else\r\nTrace ID: x', correlation_id: 'c-1' }), ctx, true);
    expect(u.message).toContain('Something else');
    expect(u.message).toContain('c-1');
  });
  it('transport failure → exit 4, says the refresh token was kept', () => {
    const ex: Exchange = { method: 'POST', url: 'https://idp.example/t/oauth2/v2.0/token', outcome: { kind: 'response', status: 503, json: false }, attempts: 3 };
    const u = classifyAuthError(new TransientHttpError(ex), ex, ctx, true);
    expect(u.exitCode).toBe(ExitCode.Unavailable);
    expect(u.message).toMatch(/idp\.example.*503.*3 attempt.*kept/);
  });
});

describe('pasted redirect', () => {
  it.each([
    ['https://localhost/?code=abc&state=s1', 'abc'],
    ['  https://localhost/?code=abc&state=s1&session_state=x \n', 'abc'],
    ['https://localhost/#code=abc&state=s1', 'abc'],
  ])('%s → code', (pasted, code) => expect(parsePastedRedirect(pasted, 's1')).toBe(code));
  it.each([
    ['not a url', /not an address/],
    ['https://localhost/?code=abc&state=other', /state mismatch/],
    ['https://localhost/?state=s1', /no code/],
  ])('%s is refused', (pasted, msg) => expect(() => parsePastedRedirect(pasted, 's1')).toThrow(msg));
  it('an error in the redirect carries the AADSTS text', () => {
    expect(() => parsePastedRedirect('https://localhost/?error=invalid_request&error_description=AADSTS50011%3A+redirect&state=s1', 's1')).toThrow(/AADSTS50011/);
  });
});

describe('flow and browser choice', () => {
  it.each([
    [{ SSH_CONNECTION: '1 2 3 4' , DISPLAY: ':0' }, 'linux', 'device'],
    [{ DISPLAY: ':0' }, 'linux', 'browser'],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', 'browser'],
    [{}, 'linux', 'device'],
    [{}, 'darwin', 'browser'],
    [{ SSH_TTY: '/dev/pts/1' }, 'darwin', 'device'],
  ] as const)('%o on %s → %s', (env, platform, want) => expect(defaultFlow(env, platform)).toBe(want));
  it.each([
    [{ BROWSER: 'firefox:chromium --new-window %s' }, 'linux', ['firefox', 'chromium --new-window %s', 'xdg-open']],
    [{}, 'darwin', ['open']],
    [{ BROWSER: '' }, 'linux', ['xdg-open']],
  ] as const)('%o on %s', (env, platform, want) => expect(browserCommands(env, platform)).toEqual(want));
});

describe('token output formats', () => {
  const rec = { v: 1 as const, accessToken: 'AT', expiresAt: Date.UTC(2030, 0, 1), scopes: ['s'] };
  it('plain, xoauth2 and json', () => {
    expect(formatToken(rec, 'a@b.c', 'w', {})).toBe('AT');
    expect(Buffer.from(formatToken(rec, 'a@b.c', 'w', { xoauth2: true }), 'base64').toString()).toBe('user=a@b.c\x01auth=Bearer AT\x01\x01');
    expect(JSON.parse(formatToken(rec, 'a@b.c', 'w', { json: true }))).toEqual({ access_token: 'AT', expires_at: '2030-01-01T00:00:00.000Z', account: 'w', scopes: ['s'] });
    expect(xoauth2('u', 't')).toBe(Buffer.from('user=u\x01auth=Bearer t\x01\x01').toString('base64'));
  });
});

describe('planSetup: flags → plan', () => {
  const env = {};
  it('defaults for a work address: Thunderbird client, organizations, Microsoft 365 hosts, offline_access', () => {
    const p = planSetup({ email: 'ann@contoso.com', flow: 'device' }, env, 'linux');
    expect(p.account).toMatchObject({
      name: 'ann@contoso.com', provider: 'microsoft365', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753',
      authority: 'https://login.microsoftonline.com/organizations',
      imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
      store: 'keychain',
    });
    expect(p.account.scopes).toEqual(['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access']);
  });
  it('Outlook.com address → consumers tenant and smtp-mail.outlook.com', () => {
    const p = planSetup({ email: 'bob@hotmail.com', flow: 'browser' }, env, 'linux');
    expect(p.account).toMatchObject({ provider: 'outlook.com', authority: 'https://login.microsoftonline.com/consumers', smtp: { host: 'smtp-mail.outlook.com', port: 587 }, redirectUri: 'http://127.0.0.1' });
  });
  it('flags override: name, tenant, authority, hosts, ports (port decides TLS mode)', () => {
    const p = planSetup({ email: 'a@b.example', name: 'work', tenant: 'contoso.onmicrosoft.com', authority: 'https://127.0.0.1:8443/organizations/', imapHost: 'localhost', imapPort: '143', smtpPort: '465', flow: 'paste', store: 'file', verify: false }, env, 'linux');
    expect(p.account).toMatchObject({ name: 'work', tenant: 'contoso.onmicrosoft.com', authority: 'https://127.0.0.1:8443/organizations', imap: { host: 'localhost', port: 143, tls: 'starttls' }, smtp: { port: 465, tls: 'implicit' }, store: 'file', redirectUri: 'https://localhost' });
    expect(p.verify).toBe(false);
  });
  it.each([
    [{}, /Missing --email/],
    [{ email: 'not-an-email' }, /not an email/],
    [{ email: 'a@b.example', clientId: 'thunderbird' }, /not a Microsoft client id/],
    [{ email: 'a@b.example', name: 'bad name' }, /cannot be an account name/],
    [{ email: 'a@b.example', name: '$(rm -rf ~)' }, /cannot be an account name/],
    [{ email: 'a@b.example', name: '-oops' }, /cannot be an account name/],
    [{ email: 'a@b.example', flow: 'carrier-pigeon' }, /Unknown flow/],
    [{ email: 'a@b.example', store: 'cloud' }, /Unknown store/],
    [{ email: 'a@b.example', authority: 'http://login.example/t' }, /not an authority/],
    [{ email: 'a@b.example', authority: 'https://login.example/' }, /not an authority/],
    [{ email: 'a@b.example', imapPort: '99999' }, /port number/],
    [{ email: 'a@b.example', tenant: 'x/../y' }, /not a tenant/],
  ])('%o is refused with exit 2', (o, msg) => {
    let err: unknown;
    try {
      planSetup({ flow: 'device', ...o }, env, 'linux');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(ExitCode.Usage);
    expect((err as UserError).message).toMatch(msg);
  });
});

/** One accounts.json with a valid account, fields overridden. */
const entry = (over: Record<string, unknown>) => JSON.stringify({ version: 1, accounts: [{
  name: 'w', email: 'a@b.example', clientId: 'c', authority: 'https://login.example/t', provider: 'microsoft365', store: 'keychain',
  imap: { host: 'imap.example', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.example', port: 587, tls: 'starttls' }, ...over,
}] });

describe('accounts.json parsing', () => {
  it.each([
    ['{', /cannot be read/],
    ['[]', /not a mailoauth accounts file/],
    ['{"version":1,"accounts":[{"name":"x"}]}', /missing/],
    // Values setup would have refused as flags: never rendered into anyone's config.
    [entry({ email: 'x;id>/tmp/PWNED;@evil.example' }), /account "w": "x;id>\/tmp\/PWNED;@evil\.example" is not an email address/],
    [entry({ name: '$(reboot)' }), /cannot be an account name/],
    [entry({ delegate: 'a b@c.d' }), /is not an email address/],
    [entry({ imap: { host: 'h;rm -rf ~', port: 993, tls: 'implicit' } }), /IMAP host "h;rm -rf ~" is not a host name/],
    [entry({ smtp: { host: 'smtp.example', port: '587', tls: 'starttls' } }), /SMTP port 587 is not a TCP port/],
    [entry({ smtp: { host: 'smtp.example', port: 587, tls: 'none' } }), /SMTP TLS mode "none"/],
    [entry({ store: 'plaintext' }), /the store "plaintext"/],
  ])('%s → clear exit-2 error naming the file', (text, msg) => {
    expect(() => parseAccounts(text, '/h/.config/mailoauth/accounts.json')).toThrow(msg);
  });
});

describe('chunk header', () => {
  it.each([
    ['mailoauth-chunks:v1:abc123:3:0123456789abcdef', { gen: 'abc123', count: 3, sha: '0123456789abcdef' }],
    ['mailoauth-chunks:v1:abc:0:ff', undefined],
    ['mailoauth-chunks:v1:abc:999:ff', undefined],
    ['{"v":1}', undefined],
  ])('%s', (v, want) => expect(parseHeader(v)).toEqual(want));
});

describe('tokenInvocation: which calls take the commander-free hot path', () => {
  it.each([
    [['token', 'work'], { name: 'work', xoauth2: false, json: false, debug: false }],
    [['token', 'work', '--xoauth2'], { name: 'work', xoauth2: true, json: false, debug: false }],
    [['--debug', 'token', 'a@b.c', '--json'], { name: 'a@b.c', xoauth2: false, json: true, debug: true }],
    [['token'], undefined],
    [['token', 'a', 'b'], undefined],
    [['token', 'a', '--help'], undefined],
    [['token', 'a', '--bogus'], undefined],
    [['token', 'a', '--json', '--xoauth2'], undefined],
    [['setup', 'a'], undefined],
    [[], undefined],
  ])('%j', (argv, want) => expect(tokenInvocation(argv)).toEqual(want));
});

describe('export --watch schedule', () => {
  it.each([
    [60 * MIN, 0, 55 * MIN + 1000],
    [5 * MIN + 2000, 0, 3000],
    [4 * MIN, 0, 1000],
    [-MIN, 0, 1000],
  ])('token expiring at %s ms, now %s → rewrite at %s', (exp, now, want) => expect(nextRewriteAt(exp, now)).toBe(want));
});
