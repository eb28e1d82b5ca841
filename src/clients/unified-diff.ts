/**
 * A line-based unified diff (the `diff -u` format `patch` applies), so the wizard can show exactly what
 * it will change in someone's dotfile without shelling out to a `diff` that may not exist (Windows,
 * minimal containers). Myers' O(ND) algorithm after trimming the common prefix and suffix: config
 * edits are small, so D stays tiny even in long files.
 */

interface Line {
  /** The line without its `\n` (a `\r` stays: CRLF files show as such). */
  text: string;
  /** False only for a last line with no newline after it. */
  complete: boolean;
}

function splitLines(s: string): Line[] {
  if (s === '') return [];
  const parts = s.split('\n');
  const last = parts.pop()!;
  const lines = parts.map((text) => ({ text, complete: true }));
  if (last !== '') lines.push({ text: last, complete: false });
  return lines;
}

const same = (x: Line, y: Line) => x.text === y.text && x.complete === y.complete;

type Op = 'eq' | 'del' | 'ins';

/** Shortest edit script between a and b (Myers 1986), as one op per line. */
function editScript(a: Line[], b: Line[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && same(a[pre]!, b[pre]!)) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre
    && same(a[a.length - 1 - suf]!, b[b.length - 1 - suf]!)) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  let found = n === 0 && m === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && same(A[x]!, B[y]!)) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) { found = true; break; }
    }
  }
  // Walk the saved frontiers backwards to recover the path.
  const middle: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { middle.push('eq'); x--; y--; }
    if (d > 0) middle.push(down ? 'ins' : 'del');
    x = prevX;
    y = prevY;
  }
  middle.reverse();
  return [...Array<Op>(pre).fill('eq'), ...middle, ...Array<Op>(suf).fill('eq')];
}

function rangeHeader(start: number, len: number): string {
  // diff -u: 1-based start; an empty range names the line before it; a length of 1 is implied.
  if (len === 0) return `${start},0`;
  return len === 1 ? `${start + 1}` : `${start + 1},${len}`;
}

function emit(prefix: string, line: Line, out: string[]): void {
  out.push(`${prefix}${line.text}\n`);
  if (!line.complete) out.push('\\ No newline at end of file\n');
}

/** `diff -u`-style text turning `a` into `b`; the empty string when they are equal. */
export function unifiedDiff(a: string, b: string, labelA: string, labelB: string, context = 3): string {
  if (a === b) return '';
  const la = splitLines(a);
  const lb = splitLines(b);
  const ops = editScript(la, lb);

  // Positions (in ops) of changes, grouped into hunks whose context windows touch.
  const changes: number[] = [];
  ops.forEach((op, i) => { if (op !== 'eq') changes.push(i); });
  const groups: Array<[number, number]> = [];
  for (const i of changes) {
    const g = groups[groups.length - 1];
    if (g && i - g[1] <= 2 * context + 1) g[1] = i;
    else groups.push([i, i]);
  }

  // Line numbers in a and b before each op.
  const ai: number[] = [];
  const bi: number[] = [];
  let x = 0;
  let y = 0;
  for (const op of ops) {
    ai.push(x);
    bi.push(y);
    if (op !== 'ins') x++;
    if (op !== 'del') y++;
  }
  ai.push(x);
  bi.push(y);

  const out = [`--- ${labelA}\n`, `+++ ${labelB}\n`];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length, last + context + 1);
    const aLen = ai[to]! - ai[from]!;
    const bLen = bi[to]! - bi[from]!;
    out.push(`@@ -${rangeHeader(ai[from]!, aLen)} +${rangeHeader(bi[from]!, bLen)} @@\n`);
    // Within a run of changes, removals first then additions, as diff -u prints them.
    let i = from;
    while (i < to) {
      if (ops[i] === 'eq') { emit(' ', la[ai[i]!]!, out); i++; continue; }
      let j = i;
      while (j < to && ops[j] !== 'eq') j++;
      for (let k = i; k < j; k++) if (ops[k] === 'del') emit('-', la[ai[k]!]!, out);
      for (let k = i; k < j; k++) if (ops[k] === 'ins') emit('+', lb[bi[k]!]!, out);
      i = j;
    }
  }
  return out.join('');
}
