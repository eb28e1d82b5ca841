import { becomeHomeOwner } from './home-owner.js';
import { exitWhenFlushed, report } from './report.js';
import { cacheHitOutput } from './token/cache-hit.js';
import { tokenInvocation } from './token/invocation.js';

/**
 * The executable's entry. `mailoauth token ACCOUNT [--xoauth2|--json] [--debug]`, run by mail clients
 * on every connect, is recognised first. A runtime-cache hit is answered right here, from a file in
 * memory (token/cache-hit.ts): this bundle holds little else, so that costs barely more than
 * starting Node. Any other token call loads the token command (token.cjs); anything else, including
 * a malformed token call, the commander wiring (commands.cjs), which owns help and usage errors.
 * (No top-level await: the bundle is CommonJS, see tsup.config.ts.)
 */
try {
  becomeHomeOwner(process.env);
} catch (e) {
  process.exitCode = report(e, process.stderr, false);
  process.exit();
}
const inv = tokenInvocation(process.argv.slice(2));
const hit = inv ? cacheHitOutput(inv, process.env, Date.now()) : undefined;
if (hit !== undefined) {
  process.stdout.write(`${hit}\n`);
  exitWhenFlushed(0);
} else if (inv) {
  // require, not import(): a dynamic import() of token.cjs would start Node's ESM loader (~30 ms). The
  // bundle's own require (tsup.config.ts keeps these two paths as they are): node:module's createRequire
  // costs a module load on every call.
  (require('./token.cjs') as typeof import('./token/main.js')).runToken(inv);
} else {
  // require too: commands.cjs (src/cli-main.ts) runs the command line when loaded. import() started the ESM
  // loader: --help took 207 ms instead of 151 (10 runs each; node -e 0: 110).
  require('./commands.cjs');
}
