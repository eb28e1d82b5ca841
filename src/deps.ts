import type { Readable, Writable } from 'node:stream';
import { dnsServersFromEnv, networkDetectIo, type DetectIo } from './providers/detect.js';
import { inquirerPrompter, type Prompter } from './ui/prompter.js';

/**
 * The edges of the program, built once in cli.ts and passed down: tests build it from temp dirs and
 * local servers instead of mocking our own code.
 */
export interface Deps {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** stdin and stderr are terminals (prompts, spinners). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  now(): number;
  /** Absolute path of the running mailoauth executable (written into client configs). */
  selfPath: string;
  debug: boolean;
  /** The wizard's questions (inquirer in a terminal; scripted in tests). */
  prompt: Prompter;
  /** MX and OpenID lookups for provider detection. */
  detectIo: DetectIo;
}

export function realDeps(debug = false): Deps {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    env: process.env,
    now: () => Date.now(),
    selfPath: process.argv[1] ?? 'mailoauth',
    debug,
    prompt: inquirerPrompter(process.stdin, process.stderr),
    detectIo: networkDetectIo({ dnsServers: dnsServersFromEnv(process.env) }),
  };
}

/** Milliseconds from an env knob (tests shorten timeouts this way), else the default. */
export function envMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
