import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { startSpinner } from '../../src/ui/spinner.js';

describe('spinner', () => {
  const sink = () => {
    let text = '';
    const w = new Writable({ write(c, _e, cb) { text += c.toString(); cb(); } });
    return { w, text: () => text };
  };
  it('silent when stderr is not a terminal', () => {
    const s = sink();
    const sp = startSpinner(s.w, false, 'waiting');
    sp.stop();
    expect(s.text()).toBe('');
  });
  it('on a terminal: draws frames with the label, erases the line when stopped (the spinner\'s clock is faked)', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const s = sink();
      const sp = startSpinner(s.w, true, 'IMAP: logging in');
      vi.advanceTimersByTime(200);
      sp.text('SMTP: logging in');
      vi.advanceTimersByTime(100);
      sp.stop();
      sp.stop();
      const out = s.text();
      expect(out).toMatch(/^\r\x1b\[2K. IMAP: logging in/);
      expect(out.match(/IMAP: logging in/g)).toHaveLength(3); // at once, then every 80 ms
      expect(out).toContain('SMTP: logging in');
      expect(out.endsWith('\r\x1b[2K')).toBe(true);
      const after = out.length;
      vi.advanceTimersByTime(1000);
      expect(s.text().length).toBe(after);
    } finally {
      vi.useRealTimers();
    }
  });
});
