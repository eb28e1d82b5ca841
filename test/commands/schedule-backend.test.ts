import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { scheduleCommand } from '../../src/commands/schedule.js';
import { chooseBackend, type Systemctl } from '../../src/schedule/install.js';
import { tuningFrom } from '../../src/tuning.js';
import type { Deps } from '../../src/deps.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { scriptedPrompter } from '../helpers/scripted-prompter.js';
import { userError } from '../helpers/user-error.js';

describe('chooseBackend', () => {
  it.each([
    [{}, true, 'systemd'],
    [{}, false, 'cron'],
    [{ cron: true }, true, 'cron'],
    [{ systemd: true }, false, 'systemd'],
  ])('%j, user manager running: %s → %s', (o, runs, want) => expect(chooseBackend(o, runs)).toBe(want));
  it('both flags: usage error', () => expect(userError(() => chooseBackend({ cron: true, systemd: true }, true)).exitCode).toBe(ExitCode.Usage));
});

describe('scheduleCommand: what it writes and which systemctl calls it makes', () => {
  function world(answers: Record<string, { status: number; stderr?: string } | null> = {}) {
    const home = mkdtempSync(join(tmpdir(), 'mailoauth-schedule-'));
    const out = { stdout: '', stderr: '' };
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.on('data', (b: Buffer) => (out.stdout += b.toString()));
    stderr.on('data', (b: Buffer) => (out.stderr += b.toString()));
    const d: Deps = {
      stdout, stderr, stdin: () => new PassThrough(), canPrompt: false, env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') }, tuning: tuningFrom({}), now: () => 0,
      selfPath: '/opt/mailoauth/dist/cli.cjs', debug: false, prompt: scriptedPrompter({}), detectIo: { mx: async () => [], openid: async () => undefined } as unknown as Deps['detectIo'],
    };
    const calls: string[][] = [];
    const systemctl: Systemctl = (args) => {
      calls.push(args);
      const a = answers[args.join(' ')];
      return a === null ? null : { status: a?.status ?? 0, stderr: a?.stderr ?? '' };
    };
    const unitDir = join(home, '.config', 'systemd', 'user');
    return { d, out, calls, systemctl, unitDir };
  }

  it('--install with a running user manager: both units in ~/.config/systemd/user, reloaded, timer enabled and started', async () => {
    const { d, calls, systemctl, unitDir, out } = world();
    await scheduleCommand(d, { install: true }, systemctl);
    expect(calls).toEqual([['show-environment'], ['daemon-reload'], ['enable', '--now', 'mailoauth-refresh.timer']]);
    const service = readFileSync(join(unitDir, 'mailoauth-refresh.service'), 'utf8');
    expect(service).toContain(`ExecStart="${process.execPath}" "/opt/mailoauth/dist/cli.cjs" "refresh" "--all" "--quiet"\n`);
    expect(service).toContain(`Environment="XDG_CONFIG_HOME=${d.env.XDG_CONFIG_HOME}"`);
    expect(readFileSync(join(unitDir, 'mailoauth-refresh.timer'), 'utf8')).toMatch(/OnCalendar=daily\nRandomizedDelaySec=1h\nPersistent=true/);
    expect(out.stderr).toMatch(/Enabled mailoauth-refresh\.timer/);
  });

  it('--install where enabling fails: exit 1 saying what failed and what to run', async () => {
    const { d, systemctl } = world({ 'enable --now mailoauth-refresh.timer': { status: 1, stderr: 'Failed to connect to bus: No medium found\n' } });
    const e = await scheduleCommand(d, { install: true, systemd: true }, systemctl).then(() => undefined, (x: unknown) => x as UserError);
    expect(e?.exitCode).toBe(ExitCode.Unexpected);
    expect(e?.message).toBe('systemctl --user enable --now mailoauth-refresh.timer failed: Failed to connect to bus: No medium found.');
    expect(e?.fix).toMatch(/loginctl enable-linger/);
  });

  it('no user manager: --install prints the crontab line and where it goes, and touches no file', async () => {
    const { d, calls, systemctl, unitDir, out } = world({ 'show-environment': { status: 1 } });
    await scheduleCommand(d, { install: true }, systemctl);
    expect(calls).toEqual([['show-environment']]);
    expect(out.stdout).toMatch(/^\d+ 12 \* \* \* XDG_CONFIG_HOME=\S+ \S+node \/opt\/mailoauth\/dist\/cli\.cjs refresh --all --quiet\n$/);
    expect(out.stderr).toMatch(/crontab -e/);
    expect(existsSync(unitDir)).toBe(false);
  });

  it('--remove: timer stopped and disabled, both files gone, reloaded; twice is harmless', async () => {
    const { d, calls, systemctl, unitDir, out } = world();
    await scheduleCommand(d, { install: true }, systemctl);
    calls.length = 0;
    await scheduleCommand(d, { remove: true }, systemctl);
    expect(calls).toEqual([['show-environment'], ['disable', '--now', 'mailoauth-refresh.timer'], ['daemon-reload']]);
    expect(existsSync(join(unitDir, 'mailoauth-refresh.service'))).toBe(false);
    expect(existsSync(join(unitDir, 'mailoauth-refresh.timer'))).toBe(false);
    await scheduleCommand(d, { remove: true }, systemctl);
    expect(out.stderr).toMatch(/Nothing to remove/);
  });

  it('exactly one of --install, --remove, --print', async () => {
    const { d, systemctl } = world();
    for (const o of [{}, { install: true, print: true }]) {
      const e = await scheduleCommand(d, o, systemctl).then(() => undefined, (x: unknown) => x as UserError);
      expect(e?.exitCode).toBe(ExitCode.Usage);
    }
  });
});
