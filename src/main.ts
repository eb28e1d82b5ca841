import { realDeps } from './deps.js';
import { exitWhenFlushed, report } from './report.js';
import { tokenInvocation } from './token-invocation.js';

/**
 * The executable's entry. `mailoauth token ACCOUNT [--xoauth2|--json] [--debug]`, run by mail clients
 * on every connect, is recognised first so a cache hit never loads commander; anything else,
 * including a malformed token call, goes to the commander wiring, which owns help and usage errors.
 */
const fast = tokenInvocation(process.argv.slice(2));
if (fast) {
  const { tokenCommand } = await import('./commands/token.js');
  const code = await tokenCommand(realDeps(fast.debug), fast.name, fast).then(
    () => 0,
    (e: unknown) => report(e, process.stderr, fast.debug),
  );
  exitWhenFlushed(code);
} else {
  await import('./cli.js');
}
