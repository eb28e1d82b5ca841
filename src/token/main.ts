import { realDeps } from '../real-deps.js';
import { exitWhenFlushed, report } from '../report.js';
import type { tokenInvocation } from './invocation.js';

/** `mailoauth token` beyond a runtime-cache hit (token.cjs): the store, a refresh, alerts, --debug. */
export function runToken(inv: NonNullable<ReturnType<typeof tokenInvocation>>): void {
  import('./print.js')
    .then(({ printToken }) => printToken(realDeps(inv.debug), inv.name, inv))
    .then(() => 0, (e: unknown) => report(e, process.stderr, inv.debug))
    .then(exitWhenFlushed);
}
