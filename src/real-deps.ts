import { isatty } from 'node:tty';
import type { Deps } from './deps.js';
import { networkDetectIo } from './providers/detect-io.js';
import { tuningFrom } from './tuning.js';
import { inquirerPrompter } from './ui/prompter.js';

/**
 * THE COMPOSITION ROOT: the one place the process's environment, streams, clock and argv become
 * Deps (cli.ts and the token path's entry call it). Nothing below reads `process.env`.
 */
export function realDeps(debug = false): Deps {
  const tuning = tuningFrom(process.env);
  // process.stdin is made on first use (a stream: ~7 ms); only the paste step and the prompts read it.
  const stdin = () => process.stdin;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin,
    canPrompt: isatty(0) && isatty(2),
    env: process.env,
    tuning,
    now: () => Date.now(),
    selfPath: process.argv[1] ?? 'mailoauth',
    debug,
    prompt: inquirerPrompter(stdin, process.stderr),
    detectIo: networkDetectIo({ dnsServers: tuning.dnsServers }),
  };
}
