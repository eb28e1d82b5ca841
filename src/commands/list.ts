import { listAccounts } from '../accounts/list.js';
import type { Deps } from '../deps.js';

/** `mailoauth list [--json]` (src/accounts/list.ts). */
export async function listCommand(d: Deps, o: { json?: boolean }): Promise<void> {
  await listAccounts(d, { json: Boolean(o.json) });
}
