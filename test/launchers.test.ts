/**
 * Self-tests of the end-to-end launchers: a real Dovecot validating bearer tokens through an
 * introspection endpoint, and the XOAUTH2-only SMTP server. Clients: imapflow and nodemailer.
 */
import { startIntrospectionStub } from './fixtures/introspection-stub.js';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from './fixtures/dovecot.js';
import { portAccepts } from './fixtures/ports.js';
import { MS_SMTP_AUTH_DISABLED, startSmtp, type SmtpTestServer } from './fixtures/smtp.js';
import { makeTestCa, type TestCa } from './fixtures/tls.js';
import { skipWithout } from './helpers/tools.js';

const skipDovecot = skipWithout('dovecot launcher self-test', ['dovecot', 'openssl']);
const skipSmtp = skipWithout('smtp launcher self-test', ['openssl']);

const ALICE = 'alice@contoso.example';
const BOB = 'bob@contoso.example';
const TOKENS: Record<string, string> = { 'tok-alice-1': ALICE, 'tok-bob-1': BOB };

let tmp: string;
let ca: TestCa;
let caPem: Buffer;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mailoauth-launchers-'));
  ca = await makeTestCa(join(tmp, 'tls'));
  caPem = readFileSync(ca.caFile);
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The identity platform's introspection, answering for the tokens in TOKENS; `seen` lists every check. */
async function startIntrospection(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const stub = await startIntrospectionStub((token) => TOKENS[token], (token) => seen.push(token));
  return { url: stub.url, seen, close: stub.stop };
}

function imap(port: number, user: string, accessToken: string, secure = true): ImapFlow {
  return new ImapFlow({
    host: 'localhost',
    port,
    secure,
    doSTARTTLS: secure ? undefined : true,
    auth: { user, accessToken },
    tls: { ca: caPem },
    logger: false,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
}

/** The first line the server sends on a plain connection (the IMAP greeting). */
function firstLine(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host: '127.0.0.1' });
    let buf = '';
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no greeting on ${port}`)); }, 5_000);
    sock.on('data', (c: Buffer) => {
      buf += c.toString('latin1');
      const nl = buf.indexOf('\r\n');
      if (nl >= 0) {
        clearTimeout(timer);
        sock.end('x LOGOUT\r\n');
        resolve(buf.slice(0, nl));
      }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Log lines are written by Dovecot's log process, asynchronously: poll, bounded. */
async function eventually<T>(read: () => T, ok: (v: T) => boolean, ms = 3_000): Promise<T> {
  const deadline = Date.now() + ms;
  let v = read();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    v = read();
  }
  return v;
}

describe.skipIf(skipDovecot)('dovecot launcher', () => {
  let idp: Awaited<ReturnType<typeof startIntrospection>>;
  let dovecot: DovecotServer;
  let failed = false;
  const timing: Record<string, number> = {};

  beforeEach((ctx) => {
    ctx.onTestFailed(() => {
      failed = true;
    });
  });

  beforeAll(async () => {
    idp = await startIntrospection();
    const t0 = Date.now();
    dovecot = await startDovecot({
      introspectUrl: idp.url,
      tls: ca,
      users: [ALICE, BOB],
      seed: {
        [ALICE]: [
          { subject: 'Welcome to Contoso', seen: true },
          { subject: 'Quarterly report', from: 'CFO <cfo@contoso.example>', body: 'Numbers attached.' },
          { subject: 'Grüße aus Zürich' },
        ],
      },
    });
    timing.start = Date.now() - t0;
  });

  afterAll(async () => {
    if (!dovecot) return;
    const t0 = Date.now();
    await dovecot.stop({ keep: failed }); // a no-op when the last test stopped it
    timing.stop ??= Date.now() - t0;
    await idp?.close();
    console.info(`dovecot launcher timing: start ${timing.start} ms, stop ${timing.stop} ms`);
  });

  it('lays out a private instance under its temp dir', () => {
    const conf = readFileSync(join(dovecot.dir, 'dovecot.conf'), 'utf8');
    expect(conf).toContain('listen = 127.0.0.1');
    expect(conf).toContain(`base_dir = ${dovecot.dir}/run`);
    expect(existsSync(join(dovecot.dir, 'run', 'master.pid'))).toBe(true);
    expect(dovecot.imapPort).not.toBe(dovecot.imapsPort);
    expect(dovecot.log()).toMatch(/starting up for imap/);
  });

  it('logs in over implicit TLS with XOAUTH2 and sees the seeded mailbox', async () => {
    const client = imap(dovecot.imapsPort, ALICE, 'tok-alice-1');
    await client.connect();
    try {
      const st = await client.status('INBOX', { messages: true, unseen: true });
      expect(st).toMatchObject({ messages: 3, unseen: 2 });
      const lock = await client.getMailboxLock('INBOX');
      try {
        const subjects: string[] = [];
        for await (const m of client.fetch('1:*', { envelope: true, flags: true })) {
          subjects.push(`${m.envelope?.subject ?? ''}${m.flags?.has('\\Seen') ? ' (seen)' : ''}`);
        }
        expect(subjects).toEqual(['Welcome to Contoso (seen)', 'Quarterly report', 'Grüße aus Zürich']);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
    expect(idp.seen).toContain('tok-alice-1');
    expect(await eventually(() => dovecot.loginsFor(ALICE), (n) => n === 1)).toBe(1);
    expect(dovecot.log()).toMatch(/Login: user=<alice@contoso\.example>, method=XOAUTH2, rip=127\.0\.0\.1/);
    expect(dovecot.loginsFor(BOB)).toBe(0);
  });

  it('offers STARTTLS on the plain port (and an empty INBOX for a user without seed)', async () => {
    // The plain port greets in the clear and offers STARTTLS …
    const greeting = await firstLine(dovecot.imapPort);
    expect(greeting).toMatch(/^\* OK \[CAPABILITY [^\]]*STARTTLS/);
    const client = imap(dovecot.imapPort, BOB, 'tok-bob-1', false);
    await client.connect();
    try {
      expect(client.secureConnection).toBe(true); // … and imapflow upgraded before authenticating
      const st = await client.status('INBOX', { messages: true, unseen: true });
      expect(st).toMatchObject({ messages: 0, unseen: 0 });
    } finally {
      await client.logout();
    }
    expect(await eventually(() => dovecot.loginsFor(BOB), (n) => n === 1)).toBe(1);
    // Dovecot marks the login line of a TLS session.
    expect(dovecot.log()).toMatch(/Login: user=<bob@contoso\.example>, method=XOAUTH2, rip=127\.0\.0\.1.*TLS/);
  });

  it('delivers a message that a new session sees', async () => {
    await dovecot.deliver(ALICE, { subject: 'Late arrival' });
    const client = imap(dovecot.imapsPort, ALICE, 'tok-alice-1');
    await client.connect();
    try {
      expect(await client.status('INBOX', { messages: true, unseen: true })).toMatchObject({ messages: 4, unseen: 3 });
    } finally {
      await client.logout();
    }
    expect(await eventually(() => dovecot.loginsFor(ALICE), (n) => n === 2)).toBe(2);
  });

  it('rejects a token the identity platform calls inactive, and a token for another user', async () => {
    for (const [user, token] of [[ALICE, 'tok-revoked'], [BOB, 'tok-alice-1']] as const) {
      const client = imap(dovecot.imapsPort, user, token);
      const err = await client.connect().then(() => undefined, (e: unknown) => e as Record<string, unknown>);
      client.close();
      expect(err, `login as ${user} with ${token}`).toBeDefined();
      expect(err?.authenticationFailed).toBe(true);
      expect(String(err?.responseText ?? err?.response ?? '')).toMatch(/AUTHENTICATIONFAILED|Authentication failed/);
    }
    expect(await eventually(() => dovecot.authFailuresFor(ALICE), (n) => n === 1)).toBe(1);
    expect(await eventually(() => dovecot.authFailuresFor(BOB), (n) => n === 1)).toBe(1);
    expect(dovecot.loginsFor(ALICE)).toBe(2);
    expect(dovecot.loginsFor(BOB)).toBe(1);
  });

  it('does not slow down the next login after failures (no auth penalty from loopback)', async () => {
    const t0 = Date.now();
    const client = imap(dovecot.imapsPort, ALICE, 'tok-alice-1');
    await client.connect();
    await client.logout();
    // With the penalty on, this login would wait 2–4 s after the two failures above.
    expect(Date.now() - t0).toBeLessThan(1_500);
  });

  it('stops: the process group is gone and the ports are closed', async () => {
    const { imapsPort, imapPort, dir } = dovecot;
    const pid = Number(readFileSync(join(dir, 'run', 'master.pid'), 'utf8').trim());
    const t0 = Date.now();
    await dovecot.stop({ keep: failed });
    timing.stop = Date.now() - t0;
    expect(() => process.kill(pid, 0)).toThrow();
    expect(await portAccepts(imapsPort)).toBe(false);
    expect(await portAccepts(imapPort)).toBe(false);
    if (!failed) expect(existsSync(dir)).toBe(false);
  });
});

describe.skipIf(skipDovecot)('dovecot launcher options', () => {
  it('offers OAUTHBEARER when asked (imapflow then prefers it)', async () => {
    const idp = await startIntrospection();
    const dovecot = await startDovecot({
      introspectUrl: idp.url, tls: ca, users: [ALICE], mechanisms: ['xoauth2', 'oauthbearer'],
    });
    let ok = false;
    try {
      const client = imap(dovecot.imapsPort, ALICE, 'tok-alice-1');
      expect(await firstLine(dovecot.imapPort)).toMatch(/AUTH=XOAUTH2 AUTH=OAUTHBEARER/);
      await client.connect();
      await client.logout();
      expect(await eventually(() => dovecot.log(), (l) => /method=OAUTHBEARER/.test(l))).toMatch(
        /Login: user=<alice@contoso\.example>, method=OAUTHBEARER/,
      );
      ok = true;
    } finally {
      await dovecot.stop({ keep: !ok });
      await idp.close();
    }
  });

  it('keeps the real per-IP auth penalty when asked (authPenalty: true)', async () => {
    const idp = await startIntrospection();
    const dovecot = await startDovecot({ introspectUrl: idp.url, tls: ca, users: [ALICE], authPenalty: true });
    let ok = false;
    try {
      const bad = imap(dovecot.imapsPort, ALICE, 'tok-revoked');
      await expect(bad.connect()).rejects.toMatchObject({ authenticationFailed: true });
      bad.close();
      const t0 = Date.now();
      const good = imap(dovecot.imapsPort, ALICE, 'tok-alice-1');
      await good.connect();
      await good.logout();
      // Dovecot's first penalty step is 2 s (measured against whole seconds, so at least ~1 s).
      expect(Date.now() - t0).toBeGreaterThan(900);
      ok = true;
    } finally {
      await dovecot.stop({ keep: !ok });
      await idp.close();
    }
  });

  it('fails clearly (with the log tail) when Dovecot cannot start', async () => {
    const err = await startDovecot({
      introspectUrl: 'http://127.0.0.1:9/introspect',
      tls: { certFile: join(tmp, 'missing-cert.pem'), keyFile: join(tmp, 'missing-key.pem') },
      users: [ALICE],
      startTimeoutMs: 5_000,
    }).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/Dovecot did not become ready/);
    expect(err?.message).toMatch(/missing-cert\.pem/);
    const kept = /kept (\S+)/.exec(err?.message ?? '')?.[1];
    if (kept) await rm(kept, { recursive: true, force: true });
  });
});

describe.skipIf(skipSmtp)('smtp launcher', () => {
  const validate = (user: string, token: string) => TOKENS[token] === user;

  function transport(server: SmtpTestServer, user: string, accessToken: string, implicit = false) {
    return nodemailer.createTransport({
      host: server.host,
      port: server.port,
      secure: implicit,
      requireTLS: !implicit,
      tls: { ca: caPem },
      auth: { type: 'OAuth2', user, accessToken },
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 10_000,
    });
  }

  it('accepts XOAUTH2 after STARTTLS and stores the message', async () => {
    const smtp = await startSmtp({ tls: ca, validate });
    try {
      const info = await transport(smtp, ALICE, 'tok-alice-1').sendMail({
        from: ALICE, to: ['carol@example.org', 'dave@example.org'], subject: 'Hello over XOAUTH2', text: 'It works.',
      });
      expect(info.response).toMatch(/^250 /);
      expect(smtp.messages).toHaveLength(1);
      const m = smtp.messages[0];
      expect(m).toMatchObject({ from: ALICE, to: ['carol@example.org', 'dave@example.org'], user: ALICE });
      expect(m?.raw).toMatch(/^Subject: Hello over XOAUTH2\r?$/m);
      expect(m?.raw).toContain('It works.');
      expect(smtp.authAttempts).toEqual([{ user: ALICE, ok: true }]);
    } finally {
      await smtp.stop();
    }
  });

  it('answers a bad token like Exchange Online: 535 5.7.3, nothing stored', async () => {
    const smtp = await startSmtp({ tls: ca, validate });
    try {
      const err = await transport(smtp, ALICE, 'tok-bob-1')
        .sendMail({ from: ALICE, to: 'carol@example.org', subject: 'x', text: 'x' })
        .then(() => undefined, (e: unknown) => e as { responseCode?: number; response?: string });
      expect(err?.responseCode).toBe(535);
      expect(err?.response).toBe('535 5.7.3 Authentication unsuccessful');
      expect(smtp.messages).toHaveLength(0);
      expect(smtp.authAttempts).toEqual([{ user: ALICE, ok: false }]);
    } finally {
      await smtp.stop();
    }
  });

  it('simulates SMTP AUTH disabled for the mailbox (5.7.139), switchable at run time', async () => {
    const smtp = await startSmtp({ tls: ca, validate, rejectWith: MS_SMTP_AUTH_DISABLED });
    try {
      const send = () => transport(smtp, ALICE, 'tok-alice-1')
        .sendMail({ from: ALICE, to: 'carol@example.org', subject: 'x', text: 'x' })
        .then(() => undefined, (e: unknown) => e as { responseCode?: number; response?: string });
      const err = await send();
      expect(err?.responseCode).toBe(535);
      expect(err?.response).toBe(MS_SMTP_AUTH_DISABLED);
      smtp.setRejectWith(undefined);
      expect(await send()).toBeUndefined();
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await smtp.stop();
    }
  });

  it('refuses AUTH before STARTTLS', async () => {
    const smtp = await startSmtp({ tls: ca, validate });
    try {
      const err = await nodemailer.createTransport({
        host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true,
        auth: { type: 'OAuth2', user: ALICE, accessToken: 'tok-alice-1' },
        connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000,
      }).sendMail({ from: ALICE, to: 'carol@example.org', subject: 'x', text: 'x' })
        .then(() => undefined, (e: unknown) => e as { responseCode?: number });
      expect(err?.responseCode).toBe(538);
      expect(smtp.authAttempts).toHaveLength(0);
      expect(smtp.messages).toHaveLength(0);
    } finally {
      await smtp.stop();
    }
  });

  it('works with implicit TLS too, and stops', async () => {
    const smtp = await startSmtp({ tls: ca, validate, mode: 'implicit' });
    const { port } = smtp;
    try {
      await transport(smtp, BOB, 'tok-bob-1', true)
        .sendMail({ from: BOB, to: 'carol@example.org', subject: 'Implicit', text: 'TLS from the first byte.' });
      expect(smtp.messages.map((m) => m.user)).toEqual([BOB]);
    } finally {
      await smtp.stop();
    }
    expect(await portAccepts(port)).toBe(false);
  });
});
