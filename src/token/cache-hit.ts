import { readFileSync } from 'node:fs';
import { alertFor } from '../reauth/alert.js';
import { findAccount, parseAccounts } from '../store/accounts.js';
import { accountsFile, configDir } from '../store/paths.js';
import { decideToken } from '../store/records.js';
import { RuntimeCache, runtimeCacheDir } from '../store/runtime-cache.js';
import { formatToken } from './format.js';
import type { tokenInvocation } from './invocation.js';

type Invocation = NonNullable<ReturnType<typeof tokenInvocation>>;

/**
 * What `mailoauth token` prints on a runtime-cache hit, decided without loading the rest of the
 * program: accounts.json names the account, the runtime cache (runtime-cache.ts) holds a token
 * outside the refresh margin, and no alert is due. Anything else — --debug, an account named by its
 * email, no cache, a token to refresh, an alert to send, any error — is undefined: the full `token`
 * command then runs and decides (and explains) exactly as it always does.
 */
export function cacheHitOutput(inv: Invocation, env: NodeJS.ProcessEnv, now: number): string | undefined {
  if (inv.debug) return undefined;
  try {
    const where = runtimeCacheDir(env);
    if (!where.ok) return undefined;
    const path = accountsFile(env);
    const account = findAccount(parseAccounts(readFileSync(path, 'utf8'), path), inv.name);
    if (account.name !== inv.name) return undefined;
    const hit = new RuntimeCache(where.dir, configDir(env)).read(account.name);
    const decision = decideToken(hit && { v: 1, ...hit }, now);
    if (!('use' in decision) || alertFor(account, now)) return undefined;
    return formatToken(decision.use, account.email, account.name, inv);
  } catch {
    return undefined;
  }
}
