import { debugLog } from '../debug-log.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { maybeAlert } from '../reauth/maybe-alert.js';
import { reauthDate } from '../reauth/reauth-date.js';
import { findAccount, readAccounts } from '../store/accounts.js';
import type { LockedRefresh } from '../auth/refresh.js';
import { refreshNow } from './access.js';

export interface RefreshOptions {
  /** Nothing on stderr when everything worked (cron mails whatever a job prints). */
  quiet: boolean;
  json: boolean;
  notifyCmd?: string;
}

export type RefreshResult =
  | { account: string; ok: true; outcome: LockedRefresh['kind']; expiresAt: string; reauthBy: string | null }
  | { account: string; ok: false; exit: number; error: string; fix?: string };

/**
 * `mailoauth refresh [ACCOUNT|--all]`: trade each refresh token for a new access token now, however
 * long the current one has left, so a refresh token nobody used for weeks does not reach the
 * provider's idle limit. Each account under its refresh lock, exactly as `token` refreshes (a
 * process that refreshed meanwhile is trusted instead), with the same exit codes; with --all the
 * other accounts are still refreshed after one fails, and the exit code is the first failure's.
 */
export async function refreshAccounts(d: Deps, name: string | undefined, o: RefreshOptions): Promise<void> {
  const file = readAccounts(d.env);
  const accounts = name ? [findAccount(file, name)] : file.accounts;
  if (accounts.length === 0 && !o.quiet) d.stderr.write('No accounts to refresh. Set one up with: mailoauth setup\n');
  const log = debugLog(d);
  const results: RefreshResult[] = [];
  const failures: UserError[] = [];
  for (const a of accounts) {
    try {
      const { kind: outcome, rec } = await refreshNow(d, a, log);
      // accounts.json now holds this refresh's time: the date is the one after it.
      const fresh = findAccount(readAccounts(d.env), a.name);
      const by = reauthDate(fresh).by;
      results.push({ account: a.name, ok: true, outcome, expiresAt: new Date(rec.expiresAt).toISOString(), reauthBy: by === null ? null : new Date(by).toISOString() });
      if (!o.quiet) d.stderr.write(`refreshed ${a.name}${outcome === 'peer-refreshed' ? ' (by another mailoauth process, just now)' : ''}: access token valid until ${new Date(rec.expiresAt).toISOString()}; sign in again by ${by === null ? 'an unknown date' : new Date(by).toISOString().slice(0, 10)}\n`);
      await maybeAlert(d, fresh, undefined, { log, notifyCmd: o.notifyCmd });
    } catch (e) {
      const err = e instanceof UserError ? e : new UserError(ExitCode.Unexpected, `unexpected error: ${(e as Error)?.message ?? String(e)}`, 'Rerun with --debug and report it');
      failures.push(err);
      results.push({ account: a.name, ok: false, exit: err.exitCode, error: err.message, ...(err.fix ? { fix: err.fix } : {}) });
      if (accounts.length > 1) d.stderr.write(`mailoauth: ${a.name}: ${err.message}\n${err.fix ? `  next: ${err.fix}\n` : ''}`);
      await maybeAlert(d, a, err, { log, notifyCmd: o.notifyCmd });
    }
  }
  if (o.json) d.stdout.write(JSON.stringify(results, null, 2) + '\n');
  const first = failures[0];
  if (!first) return;
  if (accounts.length === 1) throw first;
  throw new UserError(first.exitCode, `${failures.length} of ${accounts.length} accounts could not be refreshed (above).`);
}
