/**
 * Just enough of the D-Bus wire format (little-endian) to send one method call and read which reply
 * answers it: no library, no daemon, nothing loaded unless a notification is due. Values are the
 * basic types a Notify call needs; see the D-Bus specification, "Message Protocol".
 */
export type Value =
  | { t: 'y'; v: number }
  | { t: 'u' | 'i'; v: number }
  | { t: 's' | 'o' | 'g'; v: string }
  | { t: 'as'; v: string[] }
  /** a{sv}, each value a basic type. */
  | { t: 'a{sv}'; v: Array<[string, Value]> };

class Writer {
  private readonly parts: Buffer[] = [];
  length = 0;

  private push(b: Buffer) {
    this.parts.push(b);
    this.length += b.length;
  }

  align(n: number) {
    const pad = (n - (this.length % n)) % n;
    if (pad) this.push(Buffer.alloc(pad));
  }

  byte(v: number) {
    this.push(Buffer.from([v]));
  }

  u32(v: number, signed = false) {
    this.align(4);
    const b = Buffer.alloc(4);
    if (signed) b.writeInt32LE(v);
    else b.writeUInt32LE(v);
    this.push(b);
  }

  string(s: string) {
    const bytes = Buffer.from(s, 'utf8');
    this.u32(bytes.length);
    this.push(Buffer.concat([bytes, Buffer.from([0])]));
  }

  signature(s: string) {
    this.byte(s.length);
    this.push(Buffer.from(`${s}\0`, 'ascii'));
  }

  /** An array: its byte length is only known once the elements are written. */
  array(elementAlign: number, write: () => void) {
    this.u32(0);
    const at = this.parts.length - 1;
    this.align(elementAlign);
    const start = this.length;
    write();
    this.parts[at]!.writeUInt32LE(this.length - start);
  }

  value(x: Value) {
    switch (x.t) {
      case 'y': return this.byte(x.v);
      case 'u': return this.u32(x.v);
      case 'i': return this.u32(x.v, true);
      case 's': case 'o': return this.string(x.v);
      case 'g': return this.signature(x.v);
      case 'as': return this.array(4, () => x.v.forEach((s) => this.string(s)));
      case 'a{sv}': return this.array(8, () => x.v.forEach(([k, v]) => {
        this.align(8);
        this.string(k);
        this.variant(v);
      }));
    }
  }

  variant(x: Value) {
    this.signature(x.t);
    this.value(x);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface MethodCall {
  serial: number;
  destination: string;
  path: string;
  iface: string;
  member: string;
  body: Value[];
}

/** Header field codes (D-Bus specification, "Header Fields"). */
const FIELD = { path: 1, interface: 2, member: 3, errorName: 4, replySerial: 5, destination: 6, signature: 8 } as const;

export function methodCall(m: MethodCall): Buffer {
  const body = new Writer();
  for (const v of m.body) body.value(v);
  const head = new Writer();
  head.byte('l'.charCodeAt(0));
  head.byte(1); // METHOD_CALL
  head.byte(0);
  head.byte(1); // protocol version
  head.u32(body.length);
  head.u32(m.serial);
  const fields: Array<[number, Value]> = [
    [FIELD.path, { t: 'o', v: m.path }],
    [FIELD.interface, { t: 's', v: m.iface }],
    [FIELD.member, { t: 's', v: m.member }],
    [FIELD.destination, { t: 's', v: m.destination }],
  ];
  const signature = m.body.map((v) => v.t).join('');
  if (signature) fields.push([FIELD.signature, { t: 'g', v: signature }]);
  head.array(8, () => fields.forEach(([code, v]) => {
    head.align(8);
    head.byte(code);
    head.variant(v);
  }));
  head.align(8);
  return Buffer.concat([head.bytes(), body.bytes()]);
}

export interface Incoming {
  /** 1 call, 2 return, 3 error, 4 signal. */
  type: number;
  replySerial?: number;
  errorName?: string;
  /** Bytes this message took. */
  size: number;
}

/** The next whole message at the start of `buf`, or undefined when more bytes are needed. */
export function readMessage(buf: Buffer): Incoming | undefined {
  if (buf.length < 16) return undefined;
  const le = buf[0] === 'l'.charCodeAt(0);
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const fieldsLen = u32(12);
  const size = align(16 + fieldsLen, 8) + u32(4);
  if (buf.length < size) return undefined;
  const msg: Incoming = { type: buf[1]!, size };
  let at = 16;
  const end = 16 + fieldsLen;
  while (at < end) {
    at = align(at, 8);
    const code = buf[at]!;
    const sigLen = buf[at + 1]!;
    const sig = buf.toString('ascii', at + 2, at + 2 + sigLen);
    at += 3 + sigLen;
    if (sig === 'u') {
      at = align(at, 4);
      if (code === FIELD.replySerial) msg.replySerial = u32(at);
      at += 4;
    } else if (sig === 's' || sig === 'o') {
      at = align(at, 4);
      const n = u32(at);
      if (code === FIELD.errorName) msg.errorName = buf.toString('utf8', at + 4, at + 4 + n);
      at += 4 + n + 1;
    } else if (sig === 'g') {
      at += 1 + buf[at]! + 1;
    } else {
      break; // a field type no reply to us carries; the rest is not needed
    }
  }
  return msg;
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;
