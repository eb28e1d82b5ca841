import { realDeps } from './deps.js';
import { exitWhenFlushed, report } from './report.js';
import { tokenInvocation } from './token-invocation.js';

/**
 * The executable's entry. `mailoauth token ACCOUNT [--xoauth2|--json] [--debug]`, run by mail clients
 * on every connect, is recognised first so a cache hit never loads commander; anything else,
 * including a malformed token call, goes to the commander wiring, which owns help and usage errors.
 * (No top-level await: the bundle is CommonJS, see tsup.config.ts.)
 */
const fast = tokenInvocation(process.argv.slice(2));
if (fast) {
  import('./commands/token.js')
    .then(({ tokenCommand }) => tokenCommand(realDeps(fast.debug), fast.name, fast))
    .then(() => 0, (e: unknown) => report(e, process.stderr, fast.debug))
    .then(exitWhenFlushed);
} else {
  void import('./cli.js');
}
