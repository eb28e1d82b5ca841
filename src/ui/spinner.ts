import type { Writable } from 'node:stream';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Spinner {
  /** Change the text after the frame. */
  text(s: string): void;
  /** Erase the line and stop; idempotent. */
  stop(): void;
}

/**
 * One progress line on stderr while the network is waited on: only on a terminal (elsewhere it
 * would be noise in a log), erased when done, never on stdout. The timer is unref'd so a spinner
 * never keeps the process alive.
 */
export function startSpinner(out: Writable, isTTY: boolean, initial: string): Spinner {
  if (!isTTY) return { text() {}, stop() {} };
  let label = initial;
  let i = 0;
  const draw = () => out.write(`\r\x1b[2K${FRAMES[i++ % FRAMES.length]} ${label}`);
  draw();
  const timer = setInterval(draw, 80);
  timer.unref();
  let stopped = false;
  return {
    text(s) {
      label = s;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      out.write('\r\x1b[2K');
    },
  };
}

/** `work` with a spinner showing `label` meanwhile. */
export async function spinWhile<T>(d: { stderr: Writable; canPrompt: boolean }, label: string, work: () => Promise<T>): Promise<T> {
  const s = startSpinner(d.stderr, d.canPrompt, label);
  try {
    return await work();
  } finally {
    s.stop();
  }
}
