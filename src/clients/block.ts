import { createHash } from 'node:crypto';
import { unifiedDiff } from './unified-diff.js';

/**
 * The managed-block mechanics every client shares: find the block for one account, replace it,
 * append it, remove it — and never touch a byte outside it.
 *
 * A block looks like
 *
 *     # >>> mailoauth work >>>
 *     # Managed by mailoauth (sha256:0123456789abcdef). Edit outside these markers; changes inside are refused.
 *     ...body...
 *     # <<< mailoauth work <<<
 *
 * Hand edits are detected with the checksum of the body in the second line, not by comparing with a
 * fresh render: a fresh render differs whenever mailoauth moved (new absolute path) or its templates
 * improved, and those blocks must be replaced silently; only a body that no longer matches the
 * checksum mailoauth wrote was changed by someone else.
 */

export const beginMarker = (name: string) => `# >>> mailoauth ${name} >>>`;
export const endMarker = (name: string) => `# <<< mailoauth ${name} <<<`;

const CHECKSUM_LINE = /^# Managed by mailoauth \(sha256:([0-9a-f]{16})\)\./;

export type MergeResult =
  | { text: string; changed: boolean }
  | { conflict: string; reason: string };

export function isConflict(r: MergeResult): r is { conflict: string; reason: string } {
  return 'conflict' in r;
}

/** Hash of the body with LF line ends, so a file converted to CRLF does not count as a hand edit. */
function checksum(bodyLines: string[]): string {
  return createHash('sha256').update(bodyLines.join('\n')).digest('hex').slice(0, 16);
}

/**
 * The block for `name` around `body` (LF line ends, no trailing newline: the file decides the last one).
 * Only the body's final newline is dropped: blank lines at its edges are meaningful (mbsync ends a
 * section at an empty line).
 */
export function wrapBlock(name: string, body: string): string {
  const lines = (body.endsWith('\n') ? body.slice(0, -1) : body).split('\n');
  return [
    beginMarker(name),
    `# Managed by mailoauth (sha256:${checksum(lines)}). Edit outside these markers; changes inside are refused.`,
    ...lines,
    endMarker(name),
  ].join('\n');
}

/** A file as lines, each with the exact bytes of its terminator, so joining them gives the file back. */
interface FileLine {
  text: string;
  eol: '' | '\n' | '\r\n';
}

export function splitFile(s: string): FileLine[] {
  const out: FileLine[] = [];
  let start = 0;
  while (start < s.length) {
    const nl = s.indexOf('\n', start);
    if (nl === -1) {
      out.push({ text: s.slice(start), eol: '' });
      break;
    }
    const cr = nl > start && s[nl - 1] === '\r';
    out.push({ text: s.slice(start, cr ? nl - 1 : nl), eol: cr ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return out;
}

const joinFile = (lines: FileLine[]) => lines.map((l) => l.text + l.eol).join('');

/** The file's line ending: whatever its first line uses (LF for a file with none). */
export function detectEol(s: string): '\n' | '\r\n' {
  const nl = s.indexOf('\n');
  return nl > 0 && s[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** A marker line, tolerating trailing blanks an editor may have added. */
const isLine = (l: FileLine, marker: string) => l.text.trimEnd() === marker;

export type Located =
  | { kind: 'absent' }
  | { kind: 'found'; begin: number; end: number }
  | { kind: 'malformed'; reason: string };

/** Where the block for `name` is, by line index (begin and end marker lines, inclusive). */
export function locate(lines: FileLine[], name: string): Located {
  const begins: number[] = [];
  const ends: number[] = [];
  lines.forEach((l, i) => {
    if (isLine(l, beginMarker(name))) begins.push(i);
    if (isLine(l, endMarker(name))) ends.push(i);
  });
  if (begins.length === 0 && ends.length === 0) return { kind: 'absent' };
  if (begins.length === 1 && ends.length === 1 && begins[0]! < ends[0]!) {
    return { kind: 'found', begin: begins[0]!, end: ends[0]! };
  }
  const reason = begins.length !== 1 || ends.length !== 1
    ? `found ${begins.length} "${beginMarker(name)}" and ${ends.length} "${endMarker(name)}" lines; expected one of each`
    : `"${endMarker(name)}" comes before "${beginMarker(name)}"`;
  return { kind: 'malformed', reason };
}

/** Was the block between these lines written by mailoauth and left alone since? */
function untouched(lines: FileLine[], begin: number, end: number): boolean {
  const m = CHECKSUM_LINE.exec(lines[begin + 1]?.text ?? '');
  if (!m || begin + 1 >= end) return false;
  return checksum(lines.slice(begin + 2, end).map((l) => l.text)) === m[1];
}

/** The existing block's text (LF), for equality checks and the conflict diff. */
const blockText = (lines: FileLine[], begin: number, end: number) =>
  lines.slice(begin, end + 1).map((l) => l.text).join('\n');

/**
 * Put `block` (from wrapBlock) for `name` into `existing`: replace the block in place, or append it.
 * Bytes outside the block never change, except one line ending added before an appended block when
 * the file did not end with one (the block then ends without one, as the file did, so `unmergeBlock`
 * gives the original back). The block takes the file's line ending.
 */
export function mergeBlock(existing: string, name: string, block: string,
  opts: { force?: boolean; label?: string; definedOutside?: RegExp[] } = {}): MergeResult {
  const eol = detectEol(existing);
  const blockLines = block.split('\n');
  const lines = splitFile(existing);
  const where = locate(lines, name);
  if (where.kind === 'malformed') {
    return { conflict: '', reason: `The mailoauth markers for ${name} are damaged (${where.reason}). ` +
      'Fix or delete them by hand, then run mailoauth again.' };
  }
  const clash = definedElsewhere(existing, name, opts.definedOutside ?? []);
  if (clash !== undefined) {
    return { conflict: '', reason: `${opts.label ?? 'The config'} already defines ${JSON.stringify(clash)} outside ` +
      `mailoauth's block; a second definition would break it. Remove or rename yours, or pick another name with --name.` };
  }
  if (where.kind === 'absent') {
    const add = blockLines.map((text) => ({ text, eol } as FileLine));
    const last = lines[lines.length - 1];
    if (last && last.eol === '') {
      // Keep the file's "no newline at end" shape: the separator we need belongs to the block.
      last.eol = eol;
      add[add.length - 1]!.eol = '';
    }
    return { text: joinFile([...lines, ...add]), changed: true };
  }
  const { begin, end } = where;
  if (blockText(lines, begin, end) === blockLines.join('\n')) return { text: existing, changed: false };
  if (!opts.force && !untouched(lines, begin, end)) {
    const label = opts.label ?? 'config';
    return {
      reason: `The mailoauth block for ${name} in ${label} was edited by hand; mailoauth will not overwrite it ` +
        'without --force. Move your changes outside the markers first.',
      conflict: unifiedDiff(`${blockText(lines, begin, end)}\n`, `${block}\n`,
        `${label} (block as edited)`, `${label} (block from mailoauth)`),
    };
  }
  const replaced: FileLine[] = blockLines.map((text, i) => ({
    text,
    // The last line keeps the end marker's own terminator (or its absence) byte for byte.
    eol: i === blockLines.length - 1 ? lines[end]!.eol : lineEolAt(lines, begin, eol),
  }));
  return { text: joinFile([...lines.slice(0, begin), ...replaced, ...lines.slice(end + 1)]), changed: true };
}

/** Inside a block, keep the ending the block already used (a file mixing CRLF and LF stays as it was). */
function lineEolAt(lines: FileLine[], begin: number, fallback: '\n' | '\r\n'): '\n' | '\r\n' {
  const e = lines[begin]!.eol;
  return e === '' ? fallback : e;
}

/**
 * Remove the block for `name`. The inverse of an append by mergeBlock: a block that ends the file
 * without a newline also takes the newline before it, which mergeBlock added.
 * A hand-edited block is removed all the same: `remove` is an explicit request, and the writer backs
 * the file up first.
 */
export function unmergeBlock(existing: string, name: string): MergeResult {
  const lines = splitFile(existing);
  const where = locate(lines, name);
  if (where.kind === 'absent') return { text: existing, changed: false };
  if (where.kind === 'malformed') {
    return { conflict: '', reason: `The mailoauth markers for ${name} are damaged (${where.reason}). ` +
      'Delete the block by hand.' };
  }
  const { begin, end } = where;
  const before = lines.slice(0, begin);
  if (lines[end]!.eol === '' && end === lines.length - 1 && before.length > 0) {
    before[before.length - 1] = { ...before[before.length - 1]!, eol: '' };
  }
  return { text: joinFile([...before, ...lines.slice(end + 1)]), changed: true };
}

/** The first line outside the block for `name` matching one of `patterns` (a same-named definition). */
function definedElsewhere(existing: string, name: string, patterns: RegExp[]): string | undefined {
  if (patterns.length === 0) return undefined;
  for (const { text } of splitFile(outsideBlock(existing, name))) {
    if (patterns.some((p) => p.test(text))) return text.trim();
  }
  return undefined;
}

/** Every well-formed managed block in a file: its account name and the text between its marker lines. */
export function managedBlocks(existing: string): Array<{ name: string; body: string }> {
  const lines = splitFile(existing);
  const names = new Set(lines.flatMap((l) => /^# >>> mailoauth (\S+) >>>\s*$/.exec(l.text)?.[1] ?? []));
  return [...names].flatMap((name) => {
    const where = locate(lines, name);
    if (where.kind !== 'found') return [];
    return [{ name, body: lines.slice(where.begin + 1, where.end).map((l) => l.text).join('\n') }];
  });
}

/** `s` as a literal inside a RegExp (account names hold `.` and `+`). */
export const regexLiteral = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text outside the block for `name` (before, after), for checks that must ignore the block. */
export function outsideBlock(existing: string, name: string): string {
  const lines = splitFile(existing);
  const where = locate(lines, name);
  if (where.kind !== 'found') return existing;
  return joinFile([...lines.slice(0, where.begin), ...lines.slice(where.end + 1)]);
}
