import type { Readable, Writable } from 'node:stream';
import type { DetectIo } from './providers/detect-io.js';
import type { Tuning } from './tuning.js';
import type { Prompter } from './ui/prompter.js';

/**
 * The edges of the program, built once by the composition root (real-deps.ts) and passed down:
 * tests build it from temp dirs and local servers (test/helpers/test-deps.ts) instead of mocking our
 * own code. Only types here, so any module may import it without pulling the root in.
 */
export interface Deps {
  stdout: Writable;
  stderr: Writable;
  /** A function: touching process.stdin costs a few ms, which only the paste step needs. */
  stdin(): Readable;
  /** stdin and stderr are terminals: a person can be asked (prompts), and spinners may draw. */
  canPrompt: boolean;
  /** HOME, XDG_*, DBUS_SESSION_BUS_ADDRESS, BROWSER...: where things are. The MAILOAUTH_* knobs are in `tuning`. */
  env: NodeJS.ProcessEnv;
  tuning: Tuning;
  now(): number;
  /** Absolute path of the running mailoauth executable (written into client configs). */
  selfPath: string;
  debug: boolean;
  /** The wizard's questions (inquirer in a terminal; scripted in tests). */
  prompt: Prompter;
  /** MX and OpenID lookups for provider detection. */
  detectIo: DetectIo;
}
