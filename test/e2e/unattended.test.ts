/**
 * Journey: mail fetched by cron and systemd timers. The user's session bus, with gnome-keyring
 * unlocked on it, sits where systemd puts it, /run/user/UID/bus. Every job below runs under
 * `env -i` with only what cron gives a job (HOME, LOGNAME, SHELL=/bin/sh, PATH=/usr/bin:/bin) plus
 * NODE_EXTRA_CA_CERTS, which stands for the system CA store trusting the real identity platform.
 *
 *   - `mailoauth token` finds the keychain on the user's bus by itself (at /run/user/UID/bus, and at
 *     $XDG_RUNTIME_DIR/bus as a systemd timer has it), also when a refresh is due; a fresh token comes
 *     from the memory runtime cache with no bus at all;
 *   - `mbsync -a` syncs from Dovecot, its PassCmd refreshing the token on the way;
 *   - the crontab line and the systemd ExecStart of `mailoauth schedule` run exactly as printed and
 *     refresh; the unit files pass `systemd-analyze --user verify`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretService, type SecretService } from '../fixtures/secret-service.js';
import { runtimeDir } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';
import {
  TOOLS, USER, deviceSignIn, keychainItem, maildirSubjects, mailoauth, mbsyncMaildir, proved, refreshes, runTool, setupArgs, startWorld,
  storedAccess, storedRefreshToken, userEnv, type UserEnv, type World,
} from './harness.js';

const uid = process.getuid?.() ?? 0;
const RUN_USER = `/run/user/${uid}`;
const BUS = `${RUN_USER}/bus`;
// This journey owns /run/user/UID/bus; a real session's bus there is never touched.
const busTaken = existsSync(BUS);
if (busTaken && process.env.CI === 'true') throw new Error(`${BUS} exists: the unattended journey needs that place for its own bus`);
if (busTaken) console.warn(`skipping e2e: unattended: ${BUS} belongs to a running session`);
const skip = busTaken || skipWithout('e2e: unattended', [...TOOLS, 'dbus-daemon', 'systemd-analyze', 'env']);
const NAME = `cron${process.pid}`;

let w: World;
let ss: SecretService;
let env: UserEnv;
let madeRunUser = false;

beforeAll(async () => {
  if (skip) return;
  if (!existsSync(RUN_USER)) {
    mkdirSync(RUN_USER, { recursive: true, mode: 0o700 });
    madeRunUser = true;
  }
  chmodSync(RUN_USER, 0o700);
  w = await startWorld();
  ss = await startSecretService({ busPath: BUS });
  // The user's desktop session: its bus is /run/user/UID/bus, as systemd-logind sets it.
  env = userEnv(w, ss.env);
  const s = await deviceSignIn(w, env, setupArgs(w, NAME, 'device', ['--clients', 'mbsync']));
  expect(s.code, s.out).toBe(0);
}, 120_000);
afterAll(async () => {
  await ss?.stop();
  await w?.stop();
  if (madeRunUser) rmSync(RUN_USER, { recursive: true, force: true });
  else rmSync(join(RUN_USER, 'mailoauth', NAME), { force: true });
});

/** What cron gives a job, as `env -i` arguments. */
function cronEnv(extra: Record<string, string> = {}): string[] {
  const vars = { HOME: env.HOME, LOGNAME: userInfo().username, SHELL: '/bin/sh', PATH: '/usr/bin:/bin', NODE_EXTRA_CA_CERTS: w.ca.caFile, ...extra };
  return Object.entries(vars).map(([k, v]) => `${k}=${v}`);
}

/** `env -i CRON_VARS argv...`, bounded. */
const underCron = (argv: string[], extra: Record<string, string> = {}, timeoutSec = 60) => runTool('env', ['-i', ...cronEnv(extra), ...argv], env, { timeoutSec });

/**
 * What 56 minutes do: the keychain's access record has 4 minutes left, and the runtime caches that
 * mirror it (the session's and the one a cron job may have filled in /run/user/UID) are gone.
 */
function ageStoredToken(): string {
  const rec = storedAccess(env, NAME);
  const r = spawnSync('secret-tool', ['store', '--label', 'aged by the test', 'service', 'mailoauth', 'username', NAME], {
    env: { ...env }, input: JSON.stringify({ ...rec, expiresAt: Date.now() + 4 * 60_000 }), encoding: 'utf8', timeout: 10_000,
  });
  if (r.status !== 0) throw new Error(`secret-tool store: ${r.stderr}`);
  for (const dir of [env.XDG_RUNTIME_DIR!, RUN_USER]) rmSync(join(dir, 'mailoauth', NAME), { force: true });
  return rec.accessToken;
}

describe.skipIf(skip)('journey: cron and timers, with the keychain on the user\'s bus at /run/user/UID/bus', () => {
  it('`mailoauth token` under env -i finds the user\'s bus and prints the stored token', async () => {
    const r = await underCron([w.cli, 'token', NAME, '--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(storedAccess(env, NAME).accessToken);
    expect(r.stderr).toContain(`session bus: unix:path=${BUS} (DBUS_SESSION_BUS_ADDRESS unset; found at /run/user/UID/bus)`);
    proved(`cron-like token (env -i, no DBUS_SESSION_BUS_ADDRESS, no XDG_RUNTIME_DIR): keychain found at ${BUS}`);
  });

  it('a systemd timer\'s environment: the bus at $XDG_RUNTIME_DIR/bus; then the memory cache answers without any bus', async () => {
    // A user service gets XDG_RUNTIME_DIR (a memory directory); here its `bus` is the user's bus.
    const rt = runtimeDir();
    symlinkSync(BUS, join(rt, 'bus'));
    const stored = storedAccess(env, NAME).accessToken;
    const first = await underCron([w.cli, 'token', NAME, '--debug'], { XDG_RUNTIME_DIR: rt });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(stored);
    expect(first.stderr).toContain(`session bus: unix:path=${rt}/bus (DBUS_SESSION_BUS_ADDRESS unset; found at $XDG_RUNTIME_DIR/bus)`);
    // The token is fresh: a dead bus does not matter, the runtime cache has it.
    const dead = { XDG_RUNTIME_DIR: rt, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
    const cached = await underCron([w.cli, 'token', NAME, '--debug'], dead);
    expect(cached.code, cached.stderr).toBe(0);
    expect(cached.stdout.trim()).toBe(stored);
    expect(cached.stderr).toMatch(/: token: cache$/m);
    expect(cached.stderr).not.toMatch(/session bus/);
    expect((await underCron([w.cli, 'token', NAME], dead)).stdout.trim()).toBe(stored);
    // Without that cache the same dead bus is the end of it (exit 5): the cache is what answered.
    const without = await underCron([w.cli, 'token', NAME], { ...dead, XDG_RUNTIME_DIR: '/nonexistent-runtime-dir' });
    expect(without.code, without.stderr).toBe(5);
  });

  it('also when a refresh is due: a new token, the rotated refresh token stored in the keychain', async () => {
    const old = ageStoredToken();
    const rt0 = storedRefreshToken(env, NAME);
    w.idp.resetCounts();
    const r = await underCron([w.cli, 'token', NAME]);
    expect(r.code, r.stderr).toBe(0);
    const token = r.stdout.trim();
    expect(token).not.toBe(old);
    expect(w.idp.isValidAccessToken(token)).toBeTruthy();
    expect(refreshes(w.idp)).toBe(1);
    expect(storedRefreshToken(env, NAME)).not.toBe(rt0);
    expect(storedRefreshToken(env, NAME)).toBe(w.idp.lastRefreshToken());
    expect(storedAccess(env, NAME).accessToken).toBe(token);
  });

  it('`mbsync -a` under env -i syncs from Dovecot, its PassCmd refreshing the token', async () => {
    ageStoredToken();
    await w.dovecot.deliver(USER, { subject: 'Fetched by cron' });
    w.idp.resetCounts();
    const r = await underCron(['mbsync', '-a']);
    expect(r.code, r.out).toBe(0);
    expect(maildirSubjects(join(mbsyncMaildir(env, NAME), 'INBOX'))).toContain('Fetched by cron');
    expect(refreshes(w.idp)).toBe(1);
    proved('mbsync -a under env -i (cron\'s variables only): synced from Dovecot with a token refreshed through the keychain on /run/user/UID/bus');
  });

  it('the crontab line of `schedule --print --cron`, run as cron runs it, refreshes every account, silently', async () => {
    const p = await mailoauth(w, ['schedule', '--print', '--cron'], env);
    expect(p.code, p.stderr).toBe(0);
    const line = p.stdout.trim();
    const m = /^(\d+) (\d+) \* \* \* (.+)$/.exec(line);
    expect(m, line).toBeTruthy();
    // cron: the command goes to /bin/sh -c, with `\%` made `%` (an unescaped % would start stdin).
    const command = m![3]!.replace(/\\%/g, '%');
    expect(m![3]).not.toMatch(/(^|[^\\])%/);
    const old = ageStoredToken();
    w.idp.resetCounts();
    const r = await underCron(['/bin/sh', '-c', command]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toBe(''); // --quiet: cron mails nothing when all is well
    expect(refreshes(w.idp)).toBe(1);
    expect(storedAccess(env, NAME).accessToken).not.toBe(old);
    proved(`crontab line run by /bin/sh under env -i: ${line.slice(0, 40)}... refreshed, printed nothing`);
  });

  it('the systemd units pass `systemd-analyze --user verify`, and their ExecStart under env -i refreshes', async () => {
    const p = await mailoauth(w, ['schedule', '--print', '--systemd'], env);
    expect(p.code, p.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'mailoauth-units-'));
    const files = p.stdout.split(/^# (.+)\n/m).slice(1);
    const units: Record<string, string> = {};
    for (let i = 0; i < files.length; i += 2) units[files[i]!.split('/').pop()!] = files[i + 1]!.replace(/\n$/, '');
    expect(Object.keys(units).sort()).toEqual(['mailoauth-refresh.service', 'mailoauth-refresh.timer']);
    for (const [name, text] of Object.entries(units)) writeFileSync(join(dir, name), text);
    const verify = (paths: string[]) => spawnSync('systemd-analyze', ['--user', 'verify', ...paths], { env: { ...process.env, XDG_RUNTIME_DIR: dir }, encoding: 'utf8', timeout: 30_000 });
    const v = verify(Object.keys(units).map((n) => join(dir, n)));
    expect(v.status, v.stderr).toBe(0);
    expect(v.stderr).toBe('');

    // systemd's own parser reads the quoting: a Node reached through a path full of specials is found.
    const odd = join(dirname(w.cli), 'node %h 100% $HOME; &(x)');
    symlinkSync(process.execPath, odd);
    const oddUnit = join(dir, 'odd.service');
    const { serviceUnit, scheduleInput } = await import('../../src/schedule/units.js');
    writeFileSync(oddUnit, serviceUnit(scheduleInput(odd, w.cli, {})));
    const ok = verify([oddUnit]);
    expect(ok.status, ok.stderr).toBe(0);
    // ... and the check can fail: with `%h` left undoubled, systemd makes it the home directory.
    writeFileSync(oddUnit, serviceUnit(scheduleInput(odd, w.cli, {})).replace('node %%h', 'node %h'));
    expect(verify([oddUnit]).stderr).toMatch(/is not executable/);

    const service = units['mailoauth-refresh.service']!;
    const words = (s: string) => [...s.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]!.replace(/\\(.)/g, '$1').replace(/%%/g, '%').replace(/\$\$/g, '$'));
    // The executable: specifiers only (a `$` is itself there); the arguments: specifiers and variables.
    const exec = /^ExecStart="([^"]*)" (.*)$/m.exec(service)!;
    const argv = [exec[1]!.replace(/%%/g, '%'), ...words(exec[2]!)];
    expect(argv.slice(0, 2)).toEqual([process.execPath, w.cli]);
    expect(argv.slice(2)).toEqual(['refresh', '--all', '--quiet']);
    const environment = Object.fromEntries([...service.matchAll(/^Environment=(.*)$/gm)].map((x) => words(x[1]!)[0]!.split(/=(.*)/s).slice(0, 2) as [string, string]));
    expect(environment).toEqual({ XDG_CONFIG_HOME: env.XDG_CONFIG_HOME });
    expect(units['mailoauth-refresh.timer']).toMatch(/^OnCalendar=daily$/m);
    const old = ageStoredToken();
    w.idp.resetCounts();
    const r = await underCron(argv, environment);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toBe('');
    expect(refreshes(w.idp)).toBe(1);
    expect(storedAccess(env, NAME).accessToken).not.toBe(old);
    expect(keychainItem(env, `${NAME}/msal`)).toContain(w.idp.lastRefreshToken()!);
    proved('systemd-analyze --user verify: service and timer clean; ExecStart under env -i refreshed');
  });
});
