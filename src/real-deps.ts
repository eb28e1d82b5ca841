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
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // process.stdin is made on first use (a stream: ~7 ms); only the paste step and the prompts read it.
    stdin: () => process.stdin,
    canPrompt: isatty(0) && isatty(2),
    env: process.env,
    tuning,
    now: () => Date.now(),
    selfPath: process.argv[1] ?? 'mailoauth',
    debug,
    prompt: inquirerPrompter(() => process.stdin, process.stderr),
    detectIo: networkDetectIo({ dnsServers: tuning.dnsServers }),
  };
}
