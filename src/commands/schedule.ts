import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { chooseBackend, realSystemctl, schedule, type ScheduleAction, type Systemctl } from '../schedule/install.js';

export interface ScheduleOptions {
  install?: boolean;
  remove?: boolean;
  print?: boolean;
  systemd?: boolean;
  cron?: boolean;
  notifyCmd?: string;
}

/** `mailoauth schedule --install|--remove|--print [--systemd|--cron] [--notify-cmd CMD]` (src/schedule/install.ts). */
export async function scheduleCommand(d: Deps, o: ScheduleOptions, systemctl: Systemctl = realSystemctl(d.env)): Promise<void> {
  const actions = (['install', 'remove', 'print'] as const).filter((a) => o[a]);
  if (actions.length !== 1) throw new UserError(ExitCode.Usage, 'Say what to do: --install, --remove or --print.', 'mailoauth schedule --print (see it first), then mailoauth schedule --install');
  const action: ScheduleAction = actions[0]!;
  const backend = o.systemd || o.cron ? chooseBackend(o, false) : undefined;
  await schedule(d, { action, backend, notifyCmd: o.notifyCmd }, systemctl);
}
