/**
 * `read()` once `ok` holds, or its last value after `ms` (bounded: it never throws, so the assertion
 * that follows shows what was there). For facts that arrive after the action that caused them, e.g.
 * Dovecot's log: its log process writes a login's line when it gets to it, which can be after the
 * client already has the server's answer and the program has exited.
 */
export async function eventually<T>(read: () => T, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  let v = read();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    v = read();
  }
  return v;
}
