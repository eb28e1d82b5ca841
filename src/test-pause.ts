/**
 * TEST-ONLY hook for the crash tests (test/reliability/crash.test.ts): with
 * `MAILOAUTH_TEST_PAUSE_AT=<point>` a refresh stops at that point, says `paused:<point>` on stderr and
 * waits, so a test can `kill -9` it exactly there. Called only on the refresh path, never on a cache
 * hit; unset, it costs one comparison (the knob is read once, into Tuning).
 *
 * Points, in the order a refresh passes them:
 *  - before-request     refresh token read, MSAL about to ask the identity platform
 *  - after-response     the platform answered; nothing stored yet
 *  - after-refresh-token  the rotated refresh token stored; the access record not yet
 *  - after-store        access record stored; the token not yet printed
 */
export type PausePoint = 'before-request' | 'after-response' | 'after-refresh-token' | 'after-store';

export async function testPause(at: PausePoint | undefined, point: PausePoint): Promise<void> {
  if (at !== point) return;
  process.stderr.write(`paused:${point}\n`);
  // A pending timer keeps the process alive (a bare unresolved promise would let Node exit); bounded
  // so a forgotten paused process ends by itself.
  await new Promise((resolve) => setTimeout(resolve, 10 * 60_000));
}
