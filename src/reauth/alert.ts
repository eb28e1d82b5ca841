import type { Account } from '../account.js';
import { ExitCode, type UserError } from '../errors.js';
import { providerById } from '../providers/table.js';
import { NOTIFY_DAYS, reauthDate } from './reauth-date.js';

/** What the user is told when a sign-in ended, or is about to. */
export interface Alert {
  account: string;
  kind: 'failed' | 'due';
  summary: string;
  body: string;
  /** The one command to run. */
  fix: string;
  /** Epoch ms of the re-auth date, when known. */
  reauthBy: number | null;
}

/** The command that renews a sign-in, with the way that works from a phone when the provider allows it. */
export function reauthCommand(a: Pick<Account, 'name' | 'provider'>): string {
  const deviceCode = !providerById(a.provider)?.unsupportedFlows?.device;
  return `mailoauth setup --reauth ${a.name}${deviceCode ? ' (add --flow device to finish on a phone)' : ''}`;
}

/**
 * Pure: whether `token`/`refresh` should alert for this account now. A refresh refused with exit 3
 * always does; otherwise only when the re-auth date is NOTIFY_DAYS or fewer away.
 */
export function alertFor(a: Account, now: number, failure?: UserError): Alert | undefined {
  const fix = reauthCommand(a);
  const r = reauthDate(a);
  if (failure?.exitCode === ExitCode.ReloginNeeded) {
    return { account: a.name, kind: 'failed', summary: `mailoauth: ${a.name} must be signed in again`, body: `${failure.message}\nRun: ${fix}`, fix, reauthBy: r.by };
  }
  if (failure || r.by === null || r.by - now > NOTIFY_DAYS * 86_400_000) return undefined;
  const when = r.by <= now ? 'now' : `by ${new Date(r.by).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return { account: a.name, kind: 'due', summary: `mailoauth: sign in to ${a.name} again ${when}`, body: `${r.why}.\nRun: ${fix}`, fix, reauthBy: r.by };
}
