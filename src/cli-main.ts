import { runCli } from './cli.js';
import { realDeps } from './real-deps.js';
import { exitWhenFlushed } from './report.js';

/** commands.cjs: every command but a well-formed `token` call (src/main.ts). Bare `mailoauth` on a terminal starts the wizard. */
const args = process.argv.slice(2);
runCli(args.length === 0 && process.stdin.isTTY ? ['setup'] : args, realDeps()).then(exitWhenFlushed);
