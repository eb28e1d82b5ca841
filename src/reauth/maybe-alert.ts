import type { Account } from '../account.js';
import type { Deps } from '../deps.js';
import { UserError } from '../errors.js';
import { alertFor } from './alert.js';

/**
 * After `token` or `refresh` for `account` (with the error it ended in, if any): alert when a
 * sign-in ended or is days from ending. The decision is pure and cheap; the sending code loads only
 * when there is something to send, and a failure to alert never changes the command's outcome.
 */
export async function maybeAlert(d: Deps, account: Account, failure: unknown, o: { notifyCmd?: string; log?: (line: string) => void } = {}): Promise<void> {
  const alert = alertFor(account, d.now(), failure instanceof UserError ? failure : undefined);
  if (!alert) return;
  try {
    const { sendAlert } = await import('./send-alert.js');
    await sendAlert(alert, { env: d.env, now: d.now, stderr: d.stderr, log: o.log, notifyCmd: o.notifyCmd, notify: d.tuning.notify });
  } catch (e) {
    o.log?.(`could not alert for ${account.name}: ${(e as Error).message}`);
  }
}
