import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { refreshAccounts } from '../token/refresh-accounts.js';

export interface RefreshOptions {
  all?: boolean;
  quiet?: boolean;
  json?: boolean;
  notifyCmd?: string;
}

/** `mailoauth refresh [ACCOUNT|--all] [--quiet] [--json] [--notify-cmd CMD]` (src/token/refresh-accounts.ts). */
export async function refreshCommand(d: Deps, name: string | undefined, o: RefreshOptions): Promise<void> {
  if (Boolean(name) === Boolean(o.all)) {
    throw new UserError(ExitCode.Usage, name ? 'Give an account or --all, not both.' : 'Say which account to refresh, or --all.', 'mailoauth refresh ACCOUNT, or: mailoauth refresh --all');
  }
  await refreshAccounts(d, name, { quiet: Boolean(o.quiet), json: Boolean(o.json), notifyCmd: o.notifyCmd });
}
