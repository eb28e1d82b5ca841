import { describe, expect, it } from 'vitest';
import { chooseRedirect, registrationForm, signInFallbacks, type RedirectChoice } from '../../src/auth/redirects.js';
import { UserError } from '../../src/errors.js';
import { THUNDERBIRD_GOOGLE, THUNDERBIRD_MICROSOFT } from '../../src/providers/table.js';

const TB = THUNDERBIRD_MICROSOFT;

describe('registrationForm: how a redirect is matched against a registration', () => {
  it.each([
    ['http://127.0.0.1:53117', 'http://127.0.0.1'],
    ['http://127.0.0.1:53117/', 'http://127.0.0.1'],
    ['http://localhost:8080/', 'http://localhost'],
    ['https://localhost', 'https://localhost'],
    ['https://localhost:8443/cb/', 'https://localhost:8443/cb'],
    ['https://app.example/cb', 'https://app.example/cb'],
  ])('%s → %s', (uri, want) => expect(registrationForm(uri)).toBe(want));
});

describe('chooseRedirect: the redirect a sign-in sends (no request made to find out)', () => {
  it.each<[string, RedirectChoice, string | undefined]>([
    ["Thunderbird's app, browser → 127.0.0.1 (its loopback registration)", { flow: 'browser', client: TB }, 'http://127.0.0.1'],
    ["Thunderbird's app, paste → https://localhost", { flow: 'paste', client: TB }, 'https://localhost'],
    ['device code needs none', { flow: 'device', client: TB }, undefined],
    ['a stored http://localhost (older mailoauth) is replaced for Thunderbird', { flow: 'browser', client: TB, stored: 'http://localhost' }, 'http://127.0.0.1'],
    ['a stored registered one is kept', { flow: 'browser', client: TB, stored: 'http://127.0.0.1' }, 'http://127.0.0.1'],
    ['own app: 127.0.0.1 by default', { flow: 'browser' }, 'http://127.0.0.1'],
    ['own app: http://localhost when the user says it registered that', { flow: 'browser', flag: 'http://localhost/' }, 'http://localhost'],
    ['own app: stored http://localhost kept', { flow: 'browser', stored: 'http://localhost' }, 'http://localhost'],
    ['own app: paste to its own https redirect', { flow: 'paste', flag: 'https://app.example/cb' }, 'https://app.example/cb'],
    ["Google's Thunderbird client: 127.0.0.1", { flow: 'browser', client: THUNDERBIRD_GOOGLE }, 'http://127.0.0.1'],
  ])('%s', (_, c, want) => expect(chooseRedirect(c)).toBe(want));

  it.each<[string, RedirectChoice, RegExp, RegExp]>([
    ["http://localhost with Thunderbird's app (AADSTS50011 in the wild)", { flow: 'browser', client: TB, flag: 'http://localhost' },
      /has no redirect URI http:\/\/localhost registered/, /Leave --redirect-uri out \(the browser flow uses http:\/\/127\.0\.0\.1\)/],
    ['an https redirect for the browser flow', { flow: 'browser', flag: 'https://localhost' }, /needs a loopback redirect/, /--flow paste/],
    ["paste with Google's client (no such registration)", { flow: 'paste', client: THUNDERBIRD_GOOGLE }, /no redirect registered for the paste flow/, /--flow browser/],
  ])('%s: exit 2 with what is registered', (_, c, msg, fix) => {
    let err: unknown;
    try {
      chooseRedirect(c);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toMatch(msg);
    expect((err as UserError).fix).toMatch(fix);
  });
});

describe('signInFallbacks: other ways to sign in, never the one that just failed', () => {
  const show = (l: ReturnType<typeof signInFallbacks>) => l.map((f) => `${f.flow}${f.redirectUri ? ` ${f.redirectUri}` : ''}`);
  it.each([
    ["Thunderbird's app, browser got no answer", { flow: 'browser' as const, redirectUri: 'http://127.0.0.1' }, TB, ['paste https://localhost', 'device']],
    ["Thunderbird's app, paste failed", { flow: 'paste' as const, redirectUri: 'https://localhost' }, TB, ['browser http://127.0.0.1', 'device']],
    ["Thunderbird's app, device code blocked", { flow: 'device' as const }, TB, ['browser http://127.0.0.1', 'paste https://localhost']],
    ['own app, 127.0.0.1 got no answer', { flow: 'browser' as const, redirectUri: 'http://127.0.0.1' }, undefined, ['browser http://localhost', 'paste https://localhost', 'device']],
    ['own app, localhost got no answer', { flow: 'browser' as const, redirectUri: 'http://localhost' }, undefined, ['browser http://127.0.0.1', 'paste https://localhost', 'device']],
    ["Google's client: nothing else", { flow: 'browser' as const, redirectUri: 'http://127.0.0.1' }, THUNDERBIRD_GOOGLE, []],
  ])('%s', (_, failed, client, want) => {
    const got = signInFallbacks(failed, client);
    expect(show(got)).toEqual(want);
    expect(got.every((f) => f.name)).toBe(true);
  });
});
