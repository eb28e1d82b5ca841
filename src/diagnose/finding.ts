import { ExitCode } from '../errors.js';
import { terminalSafe } from '../ui/terminal-text.js';

export type Level = 'ok' | 'warn' | 'fail';

/**
 * One checked fact, as data: doctor prints a list of these, verify folds them into its report.
 * `detail` names what was seen (never a token); `fix` is the next thing to do when it is not ok.
 */
export interface Finding {
  level: Level;
  /** Short name of the check: "keychain", "token audience", "IMAP login", ... */
  check: string;
  detail: string;
  fix?: string;
  /** Exit code a failure maps to (README "Exit codes", src/errors.ts); only meaningful for `fail`. */
  exit?: ExitCode;
}

/** The exit code of the first failure (checks are ordered cause before effect), else 0. */
export function exitFor(findings: readonly Finding[]): ExitCode {
  const f = findings.find((x) => x.level === 'fail');
  return f ? (f.exit ?? ExitCode.Unexpected) : ExitCode.Ok;
}

const MARK: Record<Level, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/** `ok   check: detail` lines, the fix indented below anything that is not ok. Details quote servers: made terminal-safe. */
export function formatFindings(findings: readonly Finding[]): string {
  return terminalSafe(findings
    .map((f) => `${MARK[f.level]}  ${f.check}: ${f.detail}\n${f.fix && f.level !== 'ok' ? `        fix: ${f.fix}\n` : ''}`)
    .join(''), { multiline: true });
}
