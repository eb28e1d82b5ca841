import { spawnSync } from 'node:child_process';
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { configDir } from '../store/paths.js';
import { xdgConfigHome } from '../xdg.js';
import { crontabLine, scheduleInput, serviceUnit, timerUnit, UNIT, type ScheduleInput } from './units.js';

export type ScheduleAction = 'install' | 'remove' | 'print';
export type Backend = 'systemd' | 'cron';

export interface ScheduleRequest {
  action: ScheduleAction;
  /** --systemd or --cron; undefined: systemd where the user's service manager answers, cron elsewhere. */
  backend?: Backend;
  notifyCmd?: string;
}

/** systemctl's answer; null when systemctl is not installed. */
export type Systemctl = (args: string[]) => { status: number | null; stderr: string } | null;

export function realSystemctl(env: NodeJS.ProcessEnv): Systemctl {
  return (args) => {
    const r = spawnSync('systemctl', ['--user', ...args], { env, encoding: 'utf8', timeout: 20_000 });
    return r.error ? null : { status: r.status, stderr: r.stderr };
  };
}

/** Pure: a flag decides; else systemd where the user's service manager answers, cron elsewhere. */
export function chooseBackend(o: { systemd?: boolean; cron?: boolean }, userManagerRuns: boolean): Backend {
  if (o.systemd && o.cron) throw new UserError(ExitCode.Usage, 'Choose --systemd or --cron, not both.');
  return o.systemd ? 'systemd' : o.cron ? 'cron' : userManagerRuns ? 'systemd' : 'cron';
}

/** Where systemd looks for the user's own units (systemd.unit(5): $XDG_CONFIG_HOME/systemd/user). */
export function unitDir(env: NodeJS.ProcessEnv): string {
  return join(xdgConfigHome(env), 'systemd', 'user');
}

/**
 * `mailoauth schedule`: a daily `mailoauth refresh --all` as a systemd user timer (service + timer in
 * ~/.config/systemd/user, enabled), or, where no systemd user manager runs, the crontab line to add.
 * The job runs this Node and this CLI by absolute path, so cron's bare PATH (/usr/bin:/bin) is enough.
 */
export async function schedule(d: Deps, r: ScheduleRequest, systemctl: Systemctl): Promise<void> {
  const backend = r.backend ?? (systemctl(['show-environment'])?.status === 0 ? 'systemd' : 'cron');
  const o = { install: r.action === 'install', print: r.action === 'print' };
  const input = scheduleInput(process.execPath, d.selfPath, d.env, r.notifyCmd);
  const dir = unitDir(d.env);
  const files = [
    { path: join(dir, `${UNIT}.service`), text: serviceUnit(input) },
    { path: join(dir, `${UNIT}.timer`), text: timerUnit() },
  ];
  if (backend === 'cron') return cronAdvice(d, o, input);
  if (o.print) {
    d.stdout.write(files.map((f) => `# ${f.path}\n${f.text}`).join('\n'));
    return;
  }
  if (o.install) {
    for (const f of files) writeFileAtomic(f.path, f.text, 0o644);
    d.stderr.write(`Wrote ${files.map((f) => f.path).join(' and ')}\n`);
    runSystemctl(systemctl, ['daemon-reload'], `systemctl --user daemon-reload && systemctl --user enable --now ${UNIT}.timer`);
    runSystemctl(systemctl, ['enable', '--now', `${UNIT}.timer`], `systemctl --user enable --now ${UNIT}.timer`);
    d.stderr.write(`Enabled ${UNIT}.timer: \`mailoauth refresh --all\` runs daily (see: systemctl --user list-timers ${UNIT}.timer; logs: journalctl --user -u ${UNIT})\n`);
    return;
  }
  const present = files.filter((f) => existsSync(f.path));
  if (present.length === 0) {
    d.stderr.write(`Nothing to remove: no ${UNIT} units in ${dir}.\n`);
    return;
  }
  // Not enabled or not loaded is fine here: the files go either way.
  systemctl(['disable', '--now', `${UNIT}.timer`]);
  for (const f of present) unlinkSync(f.path);
  runSystemctl(systemctl, ['daemon-reload'], 'systemctl --user daemon-reload');
  d.stderr.write(`Removed ${present.map((f) => f.path).join(' and ')}; the daily refresh is off.\n`);
}

function runSystemctl(systemctl: Systemctl, args: string[], fix: string) {
  const r = systemctl(args);
  if (r?.status === 0) return;
  const why = r === null ? 'systemctl is not installed' : r.stderr.trim().split('\n')[0]?.replace(/[\u0000-\u001f\u007f]/g, '') || `exit ${r.status}`;
  throw new UserError(ExitCode.Unexpected, `systemctl --user ${args.join(' ')} failed: ${why}.`, `Once your user's systemd runs (log in, or loginctl enable-linger $USER): ${fix}; or use cron: mailoauth schedule --print --cron`);
}

/** No systemd user manager: mailoauth does not edit crontabs; it prints the line and says where it goes. */
function cronAdvice(d: Deps, o: { install: boolean; print: boolean }, input: ScheduleInput) {
  const line = crontabLine(input, configDir(d.env));
  d.stdout.write(`${line}\n`);
  if (o.print) return;
  d.stderr.write(o.install
    ? 'No systemd user manager runs here. Add the line above to your crontab (crontab -e): it runs `mailoauth refresh --all` daily, silent unless something fails (cron mails you the output then).\n'
    : 'Remove the line running `refresh --all` from your crontab (crontab -e).\n');
}
