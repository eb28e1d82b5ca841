import { debugLog } from '../debug-log.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { maybeAlert } from '../reauth/maybe-alert.js';
import { findAccount, readAccounts } from '../store/accounts.js';
import { accessRecordFor, type TokenOutcome } from './access.js';
import { formatToken, type TokenOptions } from './format.js';

/**
 * `mailoauth token ACCOUNT`: the hot path, run by mail clients on every connect. After the token is
 * out (or the refresh was refused for good), the user is alerted, once a day, when the account's
 * sign-in ended or ends within days (src/reauth/). With --debug the last line names the outcome.
 */
export async function printToken(d: Deps, name: string, o: TokenOptions): Promise<TokenOutcome['kind']> {
  const log = debugLog(d);
  const account = findAccount(readAccounts(d.env), name);
  let outcome: TokenOutcome;
  try {
    outcome = await accessRecordFor(d, account, log);
  } catch (e) {
    if (e instanceof UserError && e.exitCode === ExitCode.ReloginNeeded) await maybeAlert(d, account, e, { log });
    throw e;
  }
  d.stdout.write(formatToken(outcome.rec, account.email, account.name, o) + '\n');
  log?.(`token: ${outcome.kind}`);
  await maybeAlert(d, account, undefined, { log });
  return outcome.kind;
}
