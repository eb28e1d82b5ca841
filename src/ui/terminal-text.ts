/**
 * Characters that make a terminal do something instead of showing something: C0 controls (ESC starts
 * colour, cursor and screen-clearing sequences; CR rewrites a line), DEL, and the C1 range (U+0080–U+009F;
 * some terminals take U+009B as ESC [). Tab and newline stay when the text may span lines.
 */
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text that came from elsewhere (a server's reply, a token's claim, a file another user could write),
 * made safe to show: each control character becomes a visible `\xHH` (`\u{HHHH}` above 0xFF does not occur
 * in these ranges). `--json` output never passes through here: it stays exact.
 */
export function terminalSafe(text: string, o: { multiline?: boolean } = {}): string {
  return text.replace(o.multiline ? CONTROL_MULTILINE : CONTROL_ONE_LINE, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}
