import { detectEol, regexLiteral, splitFile } from './block.js';

/**
 * The one edit mailoauth makes outside a managed block: the account's name in offlineimap's
 * `[general] accounts =` list, which every account shares, so it can't live in anyone's block.
 * Edits are the smallest byte change that does it: `, NAME` after the last entry, and removing takes
 * exactly those bytes out again. A `[general]` section or `accounts` line that had to be created is
 * dropped again when its last entry goes, so add-then-remove gives the original file back (the one
 * exception: a `[general]` section that held nothing else, or an empty `accounts =`, goes too).
 *
 * The reading follows Python's ConfigParser, which offlineimap uses: indented lines continue a value,
 * comment lines inside a value are skipped, and offlineimap splits the value on "," (init.py
 * _get_activeaccounts).
 */

interface FileLine { text: string; eol: '' | '\n' | '\r\n' }

/** One line's share of the value: the line index and where the value starts in it. */
interface Segment { line: number; start: number }

interface General {
  header: number;
  /** First line after the section (next header or end of file). */
  end: number;
  /** The `accounts` key line first, then its continuation lines. */
  accounts?: Segment[];
}

const SECTION = /^\[(.+)\]/;
const KEY = /^\s*([^=:\s][^=:]*?)\s*[=:]/;
const isComment = (t: string) => /^\s*[#;]/.test(t);
const isBlank = (t: string) => t.trim() === '';

function findGeneral(lines: FileLine[]): General | undefined {
  const header = lines.findIndex((l) => SECTION.exec(l.text)?.[1] === 'general');
  if (header === -1) return undefined;
  let end = header + 1;
  while (end < lines.length && !SECTION.test(lines[end]!.text)) end++;
  let current: Segment[] | undefined; // segments of the key being read
  let accounts: Segment[] | undefined;
  for (let i = header + 1; i < end; i++) {
    const t = lines[i]!.text;
    if (isComment(t) || isBlank(t)) continue;
    if (current && /^\s/.test(t)) {
      current.push({ line: i, start: 0 });
      continue;
    }
    const m = KEY.exec(t);
    current = m ? [{ line: i, start: m[0].length }] : undefined;
    if (m && m[1]!.toLowerCase() === 'accounts' && !accounts) accounts = current;
  }
  return { header, end, accounts };
}

const join = (lines: FileLine[]) => lines.map((l) => l.text + l.eol).join('');
const segText = (lines: FileLine[], s: Segment) => lines[s.line]!.text.slice(s.start);

export const listedAccounts = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
const valueOf = (lines: FileLine[], segs: Segment[]) => segs.map((s) => segText(lines, s)).join('\n');

/** Add `name` to `[general] accounts`, creating the line or the section when missing. */
export function addAccount(text: string, name: string): string {
  const eol = detectEol(text);
  const lines = splitFile(text);
  const g = findGeneral(lines);
  if (!g) {
    // A new [general] goes first, where offlineimap's own sample config has it.
    return join([{ text: '[general]', eol }, { text: `accounts = ${name}`, eol }, ...lines]);
  }
  if (!g.accounts) {
    const header = lines[g.header]!;
    const added: FileLine = { text: `accounts = ${name}`, eol: header.eol };
    return join([...lines.slice(0, g.header), { ...header, eol: header.eol || eol }, added,
      ...lines.slice(g.header + 1)]);
  }
  if (listedAccounts(valueOf(lines, g.accounts)).includes(name)) return text;
  // After the last character of the value, on the last line that carries part of it.
  const last = [...g.accounts].reverse().find((s) => !isBlank(segText(lines, s))) ?? g.accounts[0]!;
  const line = lines[last.line]!;
  const value = line.text.slice(last.start);
  const content = value.trimEnd();
  const added = content.trim() === ''
    ? `${value}${value === '' || !/\s$/.test(value) ? ' ' : ''}${name}`
    : `${content}, ${name}${value.slice(content.length)}`;
  lines[last.line] = { ...line, text: line.text.slice(0, last.start) + added };
  return join(lines);
}

/**
 * Take `name` out of `[general] accounts`; drop the line (and an emptied section) when nothing is left.
 * `undefined` when the list is laid out in a way this can't edit without guessing (an entry alone on a
 * continuation line): the caller asks the user to do it.
 */
export function removeAccount(text: string, name: string): string | undefined {
  const lines = splitFile(text);
  const g = findGeneral(lines);
  if (!g?.accounts) return text;
  const entries = listedAccounts(valueOf(lines, g.accounts));
  if (!entries.includes(name)) return text;

  if (entries.length === 1 && g.accounts.length === 1) return dropAccountsLine(lines, g);

  const n = regexLiteral(name);
  const edits = [
    // "prev, NAME": back to the end of the previous entry, the inverse of addAccount.
    { re: new RegExp(`(\\S)\\s*,\\s*${n}(?=\\s*(,|$))`), to: '$1' },
    // "NAME, next" at the start of a line: up to the next entry, keeping the line's indentation.
    { re: new RegExp(`(^|\\s)${n}\\s*,\\s*(?=\\S)`), to: '$1' },
  ];
  for (const s of g.accounts) {
    const value = segText(lines, s);
    for (const { re, to } of edits) {
      const next = value.replace(re, to);
      if (next !== value) {
        const line = lines[s.line]!;
        lines[s.line] = { ...line, text: line.text.slice(0, s.start) + next };
        return join(lines);
      }
    }
  }
  return undefined;
}

/** Remove the accounts line; then the [general] header too when its section holds nothing else. */
function dropAccountsLine(lines: FileLine[], g: General): string {
  const at = g.accounts![0]!.line;
  const removeLine = (ls: FileLine[], i: number) => {
    const out = [...ls.slice(0, i), ...ls.slice(i + 1)];
    // A last line without newline: the line before it becomes the last, without newline too.
    if (ls[i]!.eol === '' && i === ls.length - 1 && i > 0) out[i - 1] = { ...out[i - 1]!, eol: '' };
    return out;
  };
  let out = removeLine(lines, at);
  const rest = out.slice(g.header + 1, g.end - 1);
  if (rest.every((l) => isBlank(l.text))) out = removeLine(out, g.header);
  return join(out);
}
