import { connect } from 'node:net';
import { methodCall, readMessage } from './dbus-wire.js';

export type DesktopResult =
  | { kind: 'shown' }
  /** The bus answered with an error: usually ServiceUnknown, no notification service runs. */
  | { kind: 'refused'; error: string }
  | { kind: 'unreachable'; detail: string };

export interface DesktopNote {
  summary: string;
  body: string;
}

/**
 * One desktop notification through org.freedesktop.Notifications (the Desktop Notifications
 * Specification's Notify method) on the session bus at `socket`: AUTH EXTERNAL, Hello, Notify, and
 * the reply to Notify; bounded by `timeoutMs`.
 */
export function notifyDesktop(socket: string, note: DesktopNote, timeoutMs: number, uid = process.getuid?.() ?? 0): Promise<DesktopResult> {
  return new Promise((resolve) => {
    const s = connect(socket);
    let buf = Buffer.alloc(0);
    let authed = false;
    const done = (r: DesktopResult) => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ kind: 'unreachable', detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
    s.on('error', (e) => done({ kind: 'unreachable', detail: e.message }));
    s.on('close', () => done({ kind: 'unreachable', detail: 'the bus closed the connection' }));
    s.on('connect', () => s.write(`\0AUTH EXTERNAL ${Buffer.from(String(uid)).toString('hex')}\r\n`));
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!authed) {
        const eol = buf.indexOf('\r\n');
        if (eol < 0) return;
        const line = buf.toString('ascii', 0, eol);
        buf = buf.subarray(eol + 2);
        if (!line.startsWith('OK ')) return done({ kind: 'unreachable', detail: `the bus refused authentication (${line.slice(0, 40)})` });
        authed = true;
        s.write(Buffer.concat([Buffer.from('BEGIN\r\n'), hello(), notify(note)]));
      }
      for (let m = readMessage(buf); m; m = readMessage(buf)) {
        buf = buf.subarray(m.size);
        if (m.replySerial !== NOTIFY_SERIAL) continue;
        return done(m.type === 2 ? { kind: 'shown' } : { kind: 'refused', error: m.errorName ?? 'an error' });
      }
    });
  });
}

const NOTIFY_SERIAL = 2;

const hello = () =>
  methodCall({ serial: 1, destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', iface: 'org.freedesktop.DBus', member: 'Hello', body: [] });

const notify = (n: DesktopNote) =>
  methodCall({
    serial: NOTIFY_SERIAL,
    destination: 'org.freedesktop.Notifications',
    path: '/org/freedesktop/Notifications',
    iface: 'org.freedesktop.Notifications',
    member: 'Notify',
    body: [
      { t: 's', v: 'mailoauth' }, // app_name
      { t: 'u', v: 0 }, // replaces_id
      { t: 's', v: 'dialog-warning' }, // app_icon
      { t: 's', v: n.summary },
      { t: 's', v: n.body },
      { t: 'as', v: [] }, // actions
      { t: 'a{sv}', v: [['urgency', { t: 'y', v: 1 }]] }, // normal
      { t: 'i', v: -1 }, // the server's default timeout
    ],
  });
