import { removeAccount } from '../accounts/remove.js';
import type { Deps } from '../deps.js';

/** `mailoauth remove ACCOUNT [--dry-run] [--yes]` (src/accounts/remove.ts). */
export async function removeCommand(d: Deps, name: string, o: { dryRun?: boolean; yes?: boolean }): Promise<void> {
  await removeAccount(d, name, { dryRun: Boolean(o.dryRun), yes: Boolean(o.yes) });
}
