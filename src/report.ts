import { ExitCode, UserError } from './errors.js';
import { terminalSafe } from './ui/terminal-text.js';

/**
 * The one place an error becomes text on stderr and an exit code. Messages carry what servers said
 * (error descriptions, IMAP/SMTP replies, user names): nothing in them may steer the terminal.
 */
export function report(e: unknown, stderr: NodeJS.WritableStream, debug: boolean): number {
  const safe = (s: string) => terminalSafe(s, { multiline: true });
  if (e instanceof UserError) {
    stderr.write(safe(`mailoauth: ${e.message}\n${e.fix ? `  next: ${e.fix}\n` : ''}`));
    return e.exitCode;
  }
  const err = e as Error;
  if (err?.name === 'ExitPromptError') {
    // Every write mailoauth makes is atomic: a cancel leaves what was done whole and nothing half-done.
    stderr.write('mailoauth: cancelled.\n');
    return ExitCode.Usage;
  }
  stderr.write(safe(`mailoauth: unexpected error: ${err?.message ?? String(e)}\n`));
  if (debug && err?.stack) stderr.write(safe(`${err.stack}\n`));
  stderr.write('  next: rerun with --debug and report it\n');
  return ExitCode.Unexpected;
}

/** Exit as soon as stdout is flushed: a keychain D-Bus connection or an idle socket must not keep a mail client waiting. */
export function exitWhenFlushed(code: number): void {
  process.stdout.write('', () => process.exit(code));
}
