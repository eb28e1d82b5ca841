/**
 * Desktop notifications before (and when) a sign-in ends: received by a real notification service
 * (dunst, on the test's own session bus), once per account per day however many `token` calls come;
 * on stderr where no notification service runs; the user's own command with --notify-cmd.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { notifyDesktop } from '../../src/notify/desktop.js';
import { startNotificationBus, receivedAtLeast, type NotificationBus } from '../fixtures/notifications.js';
import { run, testEnv, until } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';

const skip = skipWithout('notifications', ['dbus-daemon', 'dbus-send', 'Xvfb', 'dunst']);
const DAY = 86_400_000;

let desk: NotificationBus;
let headless: NotificationBus;
beforeAll(async () => {
  if (skip) return;
  desk = await startNotificationBus({ service: true });
  headless = await startNotificationBus({ service: false });
}, 60_000);
afterAll(async () => {
  await desk?.stop();
  await headless?.stop();
});

/** An account as setup leaves it (file store), last refreshed `idleDays` ago, its access token valid for an hour. */
function withAccount(e: ReturnType<typeof testEnv>, name: string, idleDays: number, o: { refreshToken?: boolean } = {}) {
  const dir = join(e.XDG_CONFIG_HOME, 'mailoauth');
  const file = join(dir, 'accounts.json');
  const accounts = (() => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')).accounts as Account[];
    } catch {
      return [];
    }
  })();
  const at = new Date(Date.now() - idleDays * DAY).toISOString();
  const account: Account = {
    name, email: `${name}@contoso.example`, provider: 'microsoft365', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753', tenant: 'organizations',
    authority: 'https://127.0.0.1:9/organizations', scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All'],
    imap: { host: '127.0.0.1', port: 993, tls: 'implicit' }, smtp: { host: '127.0.0.1', port: 587, tls: 'starttls' },
    store: 'file', createdAt: at, lastRefreshAt: at, signedInAt: at,
  };
  mkdirSync(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ version: 1, accounts: [...accounts, account] }), { mode: 0o600 });
  const expiresAt = o.refreshToken === false ? Date.now() + 60_000 : Date.now() + 3600_000;
  writeFileSync(join(dir, 'secrets', name), JSON.stringify({ v: 1, accessToken: `AT-${name}`, expiresAt, scopes: [] }), { mode: 0o600 });
}

describe.skipIf(skip)('org.freedesktop.Notifications over the session bus', () => {
  it('Notify reaches a real notification service, which shows it', async () => {
    const before = desk.received().length;
    const r = await notifyDesktop(desk.env.DBUS_SESSION_BUS_ADDRESS.slice('unix:path='.length), { summary: 'Hello from the test', body: 'line one\nline two ünïcode' }, 3000);
    expect(r).toEqual({ kind: 'shown' });
    const got = await receivedAtLeast(desk, before + 1);
    expect(got.at(-1)).toEqual({ app: 'mailoauth', summary: 'Hello from the test', body: 'line one line two ünïcode' });
  });

  it('a bus without a notification service refuses the call (ServiceUnknown)', async () => {
    const r = await notifyDesktop(headless.env.DBUS_SESSION_BUS_ADDRESS.slice('unix:path='.length), { summary: 's', body: 'b' }, 3000);
    expect(r).toEqual({ kind: 'refused', error: 'org.freedesktop.DBus.Error.ServiceUnknown' });
  });
});

describe.skipIf(skip)('alerts from `mailoauth token`', () => {
  it('a sign-in 2 days from its end: one notification per account per day, however many calls; the token is printed as always', async () => {
    const e = testEnv(desk.env);
    withAccount(e, 'soon', 88);
    withAccount(e, 'later', 30);
    withAccount(e, 'soon2', 89);
    const before = desk.received().length;
    for (let i = 0; i < 3; i++) {
      for (const name of ['soon', 'later', 'soon2']) {
        const r = await run(['token', name], e);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe(`AT-${name}\n`);
        expect(r.stderr).toBe('');
      }
    }
    const got = (await receivedAtLeast(desk, before + 2)).slice(before);
    // dunst runs its script a moment after it shows a notification: give a late third one the time to show up.
    await new Promise((r) => setTimeout(r, 500));
    expect(desk.received().slice(before)).toHaveLength(2);
    expect(got.map((n) => n.summary).sort()).toEqual([
      expect.stringMatching(/^mailoauth: sign in to soon again by \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      expect.stringMatching(/^mailoauth: sign in to soon2 again by /),
    ]);
    expect(got.find((n) => n.summary.includes(' soon '))!.body).toMatch(/Microsoft ends a sign-in whose refresh token is unused for 90 days.*Run: mailoauth setup --reauth soon \(add --flow device to finish on a phone\)/);
  });

  it('a refresh refused for good (exit 3) notifies too, naming the command to run', async () => {
    const e = testEnv(desk.env);
    withAccount(e, 'gone', 1, { refreshToken: false });
    const before = desk.received().length;
    const r = await run(['token', 'gone'], e);
    expect(r.code, r.stderr).toBe(3);
    const got = (await receivedAtLeast(desk, before + 1)).slice(before);
    expect(got).toEqual([{ app: 'mailoauth', summary: 'mailoauth: gone must be signed in again', body: expect.stringMatching(/holds no refresh token for gone\. Run: mailoauth setup --reauth gone/) }]);
    expect((await run(['token', 'gone'], e)).code).toBe(3);
    await new Promise((r) => setTimeout(r, 500));
    expect(desk.received().slice(before)).toHaveLength(1);
  });

  it('no notification service: one line on stderr per day instead, stdout still only the token', async () => {
    const e = testEnv(headless.env);
    withAccount(e, 'soon', 88);
    const first = await run(['token', 'soon'], e);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('AT-soon\n');
    expect(first.stderr).toMatch(/^mailoauth: sign in to soon again by .*\n {2}Microsoft ends .*\n {2}Run: mailoauth setup --reauth soon/);
    const second = await run(['token', 'soon'], e);
    expect(second.stderr).toBe('');
  });

  it('--notify-cmd runs the user\'s command instead, with what to say in MAILOAUTH_* variables', async () => {
    const e = testEnv(desk.env);
    withAccount(e, 'gone', 1, { refreshToken: false });
    const out = join(e.HOME, 'notified.txt');
    const before = desk.received().length;
    const r = await run(['refresh', 'gone', '--notify-cmd', `env | grep ^MAILOAUTH_ | sort > '${out}'`], e);
    expect(r.code, r.stderr).toBe(3);
    const text = await until('the notify command to write its file', () => {
      try {
        return readFileSync(out, 'utf8') || undefined;
      } catch {
        return undefined;
      }
    });
    expect(text).toMatch(/^MAILOAUTH_ACCOUNT=gone$/m);
    expect(text).toMatch(/^MAILOAUTH_REASON=failed$/m);
    expect(text).toMatch(/^MAILOAUTH_FIX=mailoauth setup --reauth gone/m);
    expect(text).toMatch(/^MAILOAUTH_SUMMARY=mailoauth: gone must be signed in again$/m);
    expect(desk.received().slice(before)).toEqual([]);
  });
});
