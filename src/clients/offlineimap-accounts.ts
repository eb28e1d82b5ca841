import { detectEol, splitFile } from './block.js';

/**
 * The one edit mailoauth makes outside a managed block: the account's name in offlineimap's
 * `[general] accounts =` list, which every account shares, so it can't live in anyone's block.
 * Edits are the smallest byte change that does it: `, NAME` after the last entry; removing takes
 * exactly those bytes out again. A `[general]` section or `accounts` line that mailoauth had to create
 * is dropped again when its last entry goes, so add-then-remove gives the original file back.
 *
 * offlineimap splits the value on "," and strips only leading blanks (init.py _get_activeaccounts),
 * and Python's ConfigParser joins indented continuation lines, so entries may span lines.
 */

interface FileLine { text: string; eol: '' | '\n' | '\r\n' }

interface AccountsLine {
  /** Line indexes: the key line and its continuation lines. */
  first: number;
  last: number;
  /** Offset of the value within the key line's text (just after the `=` or `:`). */
  valueStart: number;
}

interface General {
  header: number;
  /** First line after the section (next header or end of file). */
  end: number;
  accounts?: AccountsLine;
}

const SECTION = /^\[([^\]]*)\]/;
const ACCOUNTS_KEY = /^(accounts)\s*[=:]/i;
const isContinuation = (t: string) => /^[ \t]/.test(t) && t.trim() !== '';

function findGeneral(lines: FileLine[]): General | undefined {
  const header = lines.findIndex((l) => SECTION.exec(l.text)?.[1] === 'general');
  if (header === -1) return undefined;
  let end = header + 1;
  while (end < lines.length && !SECTION.test(lines[end]!.text)) end++;
  for (let i = header + 1; i < end; i++) {
    const m = ACCOUNTS_KEY.exec(lines[i]!.text);
    if (!m) continue;
    let last = i;
    while (last + 1 < end && isContinuation(lines[last + 1]!.text)) last++;
    return { header, end, accounts: { first: i, last, valueStart: m[0].length } };
  }
  return { header, end };
}

/** The value as one string (lines joined with "\n", as ConfigParser does) and where each line starts in it. */
function valueOf(lines: FileLine[], a: AccountsLine): string {
  const parts = [lines[a.first]!.text.slice(a.valueStart)];
  for (let i = a.first + 1; i <= a.last; i++) parts.push(lines[i]!.text);
  return parts.join('\n');
}

/** Put the edited value back over the same lines (line count may shrink, never grow). */
function setValue(lines: FileLine[], a: AccountsLine, value: string): FileLine[] {
  const head = lines[a.first]!.text.slice(0, a.valueStart);
  const parts = value.split('\n');
  const eols = lines.slice(a.first, a.last + 1).map((l) => l.eol);
  const replaced = parts.map((t, i) => ({ text: i === 0 ? head + t : t, eol: eols[i] ?? eols[eols.length - 1]! }));
  // Fewer lines than before: the last kept line takes the block's last terminator.
  replaced[replaced.length - 1]!.eol = eols[eols.length - 1]!;
  return [...lines.slice(0, a.first), ...replaced, ...lines.slice(a.last + 1)];
}

const join = (lines: FileLine[]) => lines.map((l) => l.text + l.eol).join('');

export const listedAccounts = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

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
    const headerEol = header.eol === '' ? eol : header.eol;
    const added: FileLine = { text: `accounts = ${name}`, eol: header.eol === '' ? '' : headerEol };
    return join([...lines.slice(0, g.header), { ...header, eol: headerEol }, added, ...lines.slice(g.header + 1)]);
  }
  const value = valueOf(lines, g.accounts);
  if (listedAccounts(value).includes(name)) return text;
  const content = value.trimEnd();
  const next = content.trim() === ''
    ? `${value}${/\s$/.test(value) ? '' : ' '}${name}`
    : `${content}, ${name}${value.slice(content.length)}`;
  return join(setValue(lines, g.accounts, next));
}

/** Take `name` out of `[general] accounts`; drop the line (and an emptied section) when nothing is left. */
export function removeAccount(text: string, name: string): string {
  const lines = splitFile(text);
  const g = findGeneral(lines);
  if (!g?.accounts) return text;
  const value = valueOf(lines, g.accounts);
  // Entries with their spans: [start, end) of the trimmed name.
  const entries: Array<{ start: number; end: number; name: string }> = [];
  let pos = 0;
  for (const raw of value.split(',')) {
    const lead = raw.length - raw.trimStart().length;
    entries.push({ start: pos + lead, end: pos + raw.trimEnd().length, name: raw.trim() });
    pos += raw.length + 1;
  }
  const i = entries.findIndex((e) => e.name === name);
  if (i === -1) return text;
  const e = entries[i]!;
  let next: string;
  if (i > 0) {
    // ", NAME" back to the end of the previous entry: the inverse of addAccount's append.
    next = value.slice(0, entries[i - 1]!.end) + value.slice(e.end);
  } else if (entries.length > 1) {
    next = value.slice(0, e.start) + value.slice(entries[1]!.start);
  } else {
    next = value.slice(0, e.start) + value.slice(e.end);
  }
  if (listedAccounts(next).length > 0) return join(setValue(lines, g.accounts, next));

  // Nothing left: remove the accounts line; then the [general] header too if its section is now empty.
  const a = g.accounts;
  let out = [...lines.slice(0, a.first), ...lines.slice(a.last + 1)];
  if (a.last === lines.length - 1 && lines[a.last]!.eol === '' && a.first > 0) {
    out[a.first - 1] = { ...out[a.first - 1]!, eol: '' };
  }
  const end = g.end - (a.last - a.first + 1);
  const rest = out.slice(g.header + 1, end);
  if (rest.every((l) => l.text.trim() === '')) {
    const headerLine = out[g.header]!;
    out = [...out.slice(0, g.header), ...out.slice(g.header + 1)];
    if (headerLine.eol === '' && g.header > 0) out[g.header - 1] = { ...out[g.header - 1]!, eol: '' };
  }
  return join(out);
}
