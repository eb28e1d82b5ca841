import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
  it('on a terminal: draws frames with the label, erases the line when stopped', async () => {
    const s = sink();
    const sp = startSpinner(s.w, true, 'IMAP: logging in');
    await new Promise((r) => setTimeout(r, 200));
    sp.text('SMTP: logging in');
    await new Promise((r) => setTimeout(r, 100));
    sp.stop();
    sp.stop();
    const out = s.text();
    expect(out).toMatch(/^\r\x1b\[2K. IMAP: logging in/);
    expect(out).toContain('SMTP: logging in');
    expect(out.endsWith('\r\x1b[2K')).toBe(true);
    const after = out.length;
    await new Promise((r) => setTimeout(r, 120));
    expect(s.text().length).toBe(after);
  });
});
