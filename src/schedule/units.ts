import { ExitCode, UserError } from '../errors.js';

/** What the scheduled job runs: this Node and this CLI by absolute path (cron's PATH may hold neither). */
export interface ScheduleInput {
  node: string;
  cli: string;
  /** Environment the job needs to find the same accounts and keys (set only when the user set them). */
  env: Array<[string, string]>;
  notifyCmd?: string;
}

export const UNIT = 'mailoauth-refresh';

/** The variables copied into the job when set: where accounts.json and the GPG keyring are. */
export const CARRIED_ENV = ['XDG_CONFIG_HOME', 'GNUPGHOME', 'MAILOAUTH_NOTIFY_CMD'] as const;

export function scheduleInput(node: string, cli: string, env: NodeJS.ProcessEnv, notifyCmd?: string): ScheduleInput {
  return {
    node,
    cli,
    env: CARRIED_ENV.flatMap((k) => (env[k] ? [[k, env[k]] as [string, string]] : [])),
    ...(notifyCmd ? { notifyCmd } : {}),
  };
}

export function refreshArgs(i: ScheduleInput): string[] {
  return ['refresh', '--all', '--quiet', ...(i.notifyCmd ? ['--notify-cmd', i.notifyCmd] : [])];
}

const CONTROL = /[\u0000-\u001f\u007f]/;

function refuseControl(values: string[]) {
  const bad = values.find((v) => CONTROL.test(v));
  if (bad !== undefined) throw new UserError(ExitCode.Usage, `${JSON.stringify(bad)} holds a control character: it cannot go into a unit file or crontab.`, 'Use paths and commands without newlines or control characters');
}

/**
 * A systemd unit-file argument: double-quoted, `\\` and `"` escaped; `%` doubled (specifier) and `$`
 * doubled (variable expansion), so the program receives exactly `s` (systemd.service, "Command lines").
 */
export function systemdWord(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/**
 * The executable of a command line: specifiers are expanded there but variables are not (a `$` is
 * itself), and systemd refuses an executable path holding quotes or backslashes (checked with
 * systemd-analyze verify, systemd 252: "Executable name contains special characters").
 */
export function systemdExecutable(path: string): string {
  if (/["'\\]/.test(path)) {
    throw new UserError(ExitCode.Usage, `systemd cannot run a program whose path holds quotes or backslashes: ${path}`, 'Install Node under a path without them, or use cron: mailoauth schedule --print --cron');
  }
  return `"${path.replace(/%/g, '%%')}"`;
}

/** A POSIX shell word. */
export function shWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function serviceUnit(i: ScheduleInput): string {
  refuseControl([i.node, i.cli, ...i.env.flat(), i.notifyCmd ?? '']);
  return [
    '[Unit]',
    'Description=mailoauth: refresh OAuth2 tokens so unused sign-ins do not expire',
    '',
    '[Service]',
    'Type=oneshot',
    ...i.env.map(([k, v]) => `Environment=${systemdWord(`${k}=${v}`)}`),
    // Unattended: gpg must not raise a pinentry on a screen nobody watches.
    'UnsetEnvironment=DISPLAY WAYLAND_DISPLAY',
    `ExecStart=${[systemdExecutable(i.node), ...[i.cli, ...refreshArgs(i)].map(systemdWord)].join(' ')}`,
    '',
  ].join('\n');
}

export function timerUnit(): string {
  return [
    '[Unit]',
    'Description=mailoauth: refresh OAuth2 tokens daily',
    '',
    '[Timer]',
    'OnCalendar=daily',
    'RandomizedDelaySec=1h',
    // A machine that was off at midnight runs it at the next boot.
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

/** The command part of the crontab line: `%` is a newline to cron unless escaped. */
export function cronCommand(i: ScheduleInput): string {
  refuseControl([i.node, i.cli, ...i.env.flat(), i.notifyCmd ?? '']);
  const words = [...i.env.map(([k, v]) => `${k}=${shWord(v)}`), ...[i.node, i.cli, ...refreshArgs(i)].map(shWord)];
  return words.join(' ').replace(/%/g, '\\%');
}

/**
 * Daily at noon-ish local time (a laptop is more likely on at noon than at night), the minute
 * spread by `seed` so that many users do not refresh in the same second.
 */
export function crontabLine(i: ScheduleInput, seed: string): string {
  let h = 0;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `${h % 60} 12 * * * ${cronCommand(i)}`;
}
