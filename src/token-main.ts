import { realDeps } from './deps.js';
import { exitWhenFlushed, report } from './report.js';
import type { tokenInvocation } from './token-invocation.js';

/** `mailoauth token` beyond a runtime-cache hit: the store, a refresh, alerts, --debug. */
export function runToken(inv: NonNullable<ReturnType<typeof tokenInvocation>>): void {
  import('./commands/token.js')
    .then(({ tokenCommand }) => tokenCommand(realDeps(inv.debug), inv.name, inv))
    .then(() => 0, (e: unknown) => report(e, process.stderr, inv.debug))
    .then(exitWhenFlushed);
}
