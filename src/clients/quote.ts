import { isAccountName } from '../account-name.js';
import { ExitCode, UserError } from '../errors.js';

/**
 * Quoting for every language a managed block is written in, and the checks that decide what may be
 * quoted at all. Each value takes two layers: first the language that runs it (POSIX shell, Python),
 * then the config file's own string syntax (muttrc, mbsyncrc, INI). The checks come first so that
 * every quoting function below only ever sees text it can represent exactly.
 */

/**
 * Characters no path or login may contain: quotes (msmtp has no escape for `"`, and a quote is the
 * usual start of an injection), C0/C1 controls and DEL (a newline ends a config line; others are
 * invisible in a diff), and the Unicode line/paragraph separators some parsers split on.
 */
const UNQUOTABLE = /["'\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function describe(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (ch === '"' || ch === "'") return `a quote (${ch})`;
  if (code === 0x0a) return 'a newline';
  return `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function assertAccountName(name: string): void {
  // The account-name rule (src/account-name.ts): letters, digits and . _ - @ +, nothing any target syntax treats specially.
  if (!isAccountName(name)) {
    throw new UserError(ExitCode.Usage,
      `The account name ${JSON.stringify(name)} can't be written into a mail client's config: ` +
      'names may use only letters, digits and . _ - @ +.',
      'Pick a shorter name with --name, e.g. --name work');
  }
}

/** A file-system path written into a config: absolute (or `~/` where the client expands it) and quotable. */
export function assertSafePath(path: string, what: string, opts: { allowTilde?: boolean } = {}): void {
  const bad = UNQUOTABLE.exec(path);
  if (bad) {
    throw new UserError(ExitCode.Usage,
      `The ${what} path ${JSON.stringify(path)} contains ${describe(bad[0])}; ` +
      'mailoauth refuses to write it into a config file where it could not be quoted safely.',
      `Use a ${what} path without quotes, newlines or control characters (move or symlink the file).`);
  }
  const absolute = path.startsWith('/') || (opts.allowTilde === true && path.startsWith('~/'));
  if (!absolute) {
    throw new UserError(ExitCode.Usage,
      `The ${what} path ${JSON.stringify(path)} is not absolute; a mail client started from another ` +
      'directory would not find it.',
      `Give the full path, starting with /${opts.allowTilde ? ' or ~/' : ''}.`);
  }
}

/**
 * For programs that pass a path through Python's os.path.expandvars (offlineimap, getmail): `$NAME`
 * would be replaced and there is no escape, so a path with `$` is refused.
 */
export function assertNoExpandvars(program: string, paths: Record<string, string | undefined>): void {
  for (const [what, path] of Object.entries(paths)) {
    if (path?.includes('$')) {
      throw new UserError(ExitCode.Usage,
        `${program} expands $VARIABLES in the ${what} path ${JSON.stringify(path)} and has no way to escape a "$", ` +
        'so mailoauth won\'t write it there.', `Use a ${what} path without "$" (a symlink to it will do).`);
    }
  }
}

// Host and port: one rule for flags, accounts.json and every block (account-name.ts).
export { assertHost, assertPort } from '../account-name.js';

/** The login: real addresses may hold `'`, `#`, `%`…; only what no syntax could carry is refused. */
const LOGIN = /^[^\s"\\@\u0000-\u001f\u007f-\u009f]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

export function assertLogin(email: string): void {
  if (!LOGIN.test(email)) {
    throw new UserError(ExitCode.Usage,
      `The login ${JSON.stringify(email)} can't be written into a mail client's config ` +
      '(spaces, double quotes, backslashes and control characters are refused).',
      'Check the address given with --email.');
  }
}

/** Backstop for the quoting functions: callers validate first, so reaching this is a bug. */
function assertNoControl(s: string, lang: string): void {
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s)) {
    throw new Error(`refusing to quote a control character for ${lang}: ${JSON.stringify(s)}`);
  }
}

/**
 * POSIX shell word. Words made only of characters no shell treats specially stay bare, so the common
 * `/usr/local/bin/mailoauth token work` reads naturally; anything else is single-quoted, where the shell
 * interprets nothing, and an embedded `'` becomes `'\''`.
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_/.,:@%+=-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** A Python 3 str literal that evaluates to exactly `s`. */
export function pythonStr(s: string): string {
  assertNoControl(s, 'Python');
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A Python list of str literals: an argv that never passes through a shell. */
export function pythonList(items: string[]): string {
  return `[${items.map(pythonStr).join(', ')}]`;
}

/**
 * A muttrc double-quoted string (mutt and neomutt). Inside `"..."` mutt still expands `$var` and
 * `` `cmd` `` and treats `\` as an escape, so those three and `"` are backslash-escaped.
 */
export function muttString(s: string): string {
  assertNoControl(s, 'muttrc');
  return `"${s.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

/** An mbsyncrc argument: `"..."` with `\` and `"` escaped (isync's config parser, see mbsync(1) UserCmd). */
export function mbsyncString(s: string): string {
  assertNoControl(s, 'mbsyncrc');
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * An msmtprc argument. msmtp only strips one pair of surrounding double quotes and has no escapes,
 * so a `"` inside can't be represented: validation refuses it before we get here.
 */
export function msmtpArg(s: string): string {
  assertNoControl(s, 'msmtprc');
  if (s.includes('"')) throw new Error(`msmtprc cannot carry a double quote: ${JSON.stringify(s)}`);
  return `"${s}"`;
}

/**
 * An INI value as offlineimap reads it: its parser is Python's ConfigParser with `%` interpolation,
 * so a literal `%` must be doubled.
 */
export function iniValue(s: string): string {
  assertNoControl(s, 'INI');
  return s.replace(/%/g, '%%');
}

/** The user part of a URL (`smtp://USER@host/`): everything but RFC 3986 unreserved characters encoded. */
export function urlUserinfo(s: string): string {
  return Array.from(new TextEncoder().encode(s), (b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9._~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** A Python tuple of str literals (getmail's `password_command`, which it eval()s): never through a shell. */
export function pythonTuple(items: string[]): string {
  return `(${items.map(pythonStr).join(', ')},)`;
}

/**
 * A value in aerc's accounts.conf, read by go-ini 1.63: a value starting with a backquote is taken
 * raw up to the line's last backquote, so nothing inside is special; unquoted, `#` or `;` would start
 * a comment anywhere in the line.
 */
export function goIniRaw(s: string): string {
  assertNoControl(s, 'accounts.conf');
  return `\`${s}\``;
}

/** A git-config value: double-quoted, with `\` and `"` escaped (git-config(1) "Syntax"); `#` and `;` are literal inside. */
export function gitConfigString(s: string): string {
  assertNoControl(s, 'git config');
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * An s-nail argument in shell-style ("wysh") quoting: double quotes, inside which `$`, `` ` ``, `"`
 * and `\` are escaped with `\` (s-nail(1), "Shell-style argument quoting").
 */
export function snailString(s: string): string {
  assertNoControl(s, 's-nail');
  return `"${s.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}
