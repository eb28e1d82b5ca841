import type { Deps } from '../deps.js';
import { printAppHelp, runDoctor } from '../diagnose/doctor.js';
import { checkCloud } from '../providers/clouds.js';
import { timeoutFlag } from '../verify/flags.js';

export interface DoctorOptions {
  appHelp?: boolean;
  /** With --app-help: the Microsoft cloud to register the app in (default: the account's). */
  cloud?: string;
  timeoutMs?: string;
  json?: boolean;
}

/** `mailoauth doctor [ACCOUNT] [--timeout-ms MS] [--json]`, or `--app-help [--cloud C]` (src/diagnose/doctor.ts). */
export async function doctorCommand(d: Deps, name: string | undefined, o: DoctorOptions): Promise<void> {
  if (o.appHelp) return printAppHelp(d, name, o.cloud === undefined ? undefined : checkCloud(o.cloud));
  await runDoctor(d, name, { timeoutMs: timeoutFlag(o.timeoutMs, d.tuning.verifyTimeoutMs), json: Boolean(o.json) });
}
