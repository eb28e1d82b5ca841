/**
 * verify's logins choose their SASL mechanism, not the libraries: against a real Dovecot offering
 * both XOAUTH2 and OAUTHBEARER, and one offering only OAUTHBEARER (as Yahoo's IMAP documentation
 * shows), each on IMAP and on Dovecot's own submission service (which relays accepted mail to a local
 * relay). Dovecot's log says which mechanism each login used. The checks run in-process (checkLogin),
 * with tokens an introspection stub vouches for.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { checkLogin, loginFinding, type LoginResult } from '../../src/verify/login.js';
import type { SmtpCheckOptions } from '../../src/verify/smtp.js';
import { startDovecot, type DovecotServer, type LoginService } from '../fixtures/dovecot.js';
import { startIntrospectionStub, type IntrospectionStub } from '../fixtures/introspection-stub.js';
import { startSmtp, type SmtpTestServer } from '../fixtures/smtp.js';
import { makeTestCa } from '../fixtures/tls.js';
import { skipWithout } from '../helpers/tools.js';

const skip = skipWithout('verify SASL mechanisms against Dovecot (IMAP and submission)', ['dovecot', 'openssl', '/usr/lib/dovecot/submission']);
const ALICE = 'alice@contoso.example';
const TOKEN = 'tok-alice-sasl';

let dir: string;
let stub: IntrospectionStub;
let relay: SmtpTestServer;
/** Offers XOAUTH2 and OAUTHBEARER, like Gmail. */
let both: DovecotServer;
/** Offers OAUTHBEARER only, like Yahoo. */
let bearerOnly: DovecotServer;
let ca: Buffer;

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'mailoauth-sasl-'));
  const tls = await makeTestCa(dir);
  ca = readFileSync(tls.caFile);
  stub = await startIntrospectionStub((t) => (t === TOKEN ? ALICE : undefined));
  relay = await startSmtp({ tls, relay: true, validate: () => false });
  const submission = { relayHost: '127.0.0.1', relayPort: relay.port };
  both = await startDovecot({ introspectUrl: stub.url, tls, users: [ALICE], mechanisms: ['xoauth2', 'oauthbearer'], submission });
  bearerOnly = await startDovecot({ introspectUrl: stub.url, tls, users: [ALICE], mechanisms: ['oauthbearer'], submission });
}, 60_000);
afterAll(async () => {
  await both?.stop();
  await bearerOnly?.stop();
  await relay?.stop();
  await stub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function account(d: DovecotServer, sasl?: Account['sasl']): Account {
  return {
    name: 'work', email: ALICE, provider: 'oidc', clientId: 'c', tenant: '', authority: 'https://id.example', scopes: [],
    imap: { host: 'localhost', port: d.imapsPort, tls: 'implicit' }, smtp: { host: 'localhost', port: d.submissionPort!, tls: 'starttls' },
    store: 'file', createdAt: '2025-01-01T00:00:00Z', ...(sasl ? { sasl } : {}),
  };
}

const opts = (o: Partial<SmtpCheckOptions> = {}): SmtpCheckOptions => ({ timeoutMs: 10_000, ca, ...o });
const login = (protocol: 'imap' | 'smtp', a: Account, o: Partial<SmtpCheckOptions> = {}, token = TOKEN) =>
  checkLogin(protocol, a, token, undefined, opts(o), {});
/** The mechanisms of ALICE's logins to one service, and those after the first `from` (waited for: the log can lag the login). */
const methods = (d: DovecotServer, service: LoginService) => d.loginMechanisms(ALICE, service);
const methodsAfter = (d: DovecotServer, service: LoginService, from: number) => d.loginsAfter(ALICE, from, { service });

function expectOk(r: LoginResult): asserts r is LoginResult & { ok: true } {
  if (!r.ok) throw new Error(`${r.protocol} login failed: ${r.diagnosis.cause} (${r.diagnosis.said})`);
}
const used = (r: LoginResult & { ok: true }) => (r.protocol === 'imap' ? r.imap.sasl : r.smtp.sasl);

describe.skipIf(skip)('verify logs in with the mechanism the configs use', () => {
  it('a server offering both: an account without "sasl" logs in with XOAUTH2 (imapflow alone would take OAUTHBEARER)', async () => {
    const before = { imap: methods(both, 'imap-login').length, smtp: methods(both, 'submission-login').length };
    const imap = await login('imap', account(both));
    const smtp = await login('smtp', account(both));
    expectOk(imap);
    expectOk(smtp);
    expect(used(imap)).toEqual({ mechanism: 'xoauth2', offered: ['XOAUTH2', 'OAUTHBEARER'] });
    expect(used(smtp)).toEqual({ mechanism: 'xoauth2', offered: ['XOAUTH2', 'OAUTHBEARER'] });

    expect(await methodsAfter(both, 'imap-login', before.imap)).toEqual(['XOAUTH2']);
    expect(await methodsAfter(both, 'submission-login', before.smtp)).toEqual(['XOAUTH2']);
    expect(loginFinding(imap).detail).toMatch(/: 1 folder, INBOX 0 \/ unseen 0\n {8}AUTH XOAUTH2 ok; the server offers XOAUTH2 OAUTHBEARER$/);
    expect(loginFinding(smtp).detail).toMatch(/\(STARTTLS\): AUTH XOAUTH2 ok\n {8}the server offers XOAUTH2 OAUTHBEARER$/);
  });

  it('an account that records OAUTHBEARER logs in with OAUTHBEARER on both servers', async () => {
    const before = { imap: methods(both, 'imap-login').length, smtp: methods(both, 'submission-login').length };
    const a = account(both, { imap: 'oauthbearer', smtp: 'oauthbearer' });
    const imap = await login('imap', a);
    const smtp = await login('smtp', a);
    expectOk(imap);
    expectOk(smtp);
    expect(used(imap).mechanism).toBe('oauthbearer');
    expect(loginFinding(smtp).detail).toMatch(/AUTH OAUTHBEARER ok\n/);
    expect(await methodsAfter(both, 'imap-login', before.imap)).toEqual(['OAUTHBEARER']);
    expect(await methodsAfter(both, 'submission-login', before.smtp)).toEqual(['OAUTHBEARER']);
  });

  it('OAUTHBEARER only: setup\'s choice (no requirement) takes it, and --send-test goes through the submission service', async () => {
    const imap = await login('imap', account(bearerOnly), { sasl: {} });
    expectOk(imap);
    expect(used(imap)).toEqual({ mechanism: 'oauthbearer', offered: ['OAUTHBEARER'] });
    const subject = 'mailoauth test message';
    const smtp = await login('smtp', account(bearerOnly), { sasl: {}, sendTest: 'bob@example.org' });
    expectOk(smtp);
    expect(used(smtp)).toEqual({ mechanism: 'oauthbearer', offered: ['OAUTHBEARER'] });
    expect(smtp.protocol === 'smtp' && smtp.smtp.sent?.to).toBe('bob@example.org');
    const got = relay.messages.at(-1);
    expect(got?.to).toEqual(['bob@example.org']);
    expect(got?.raw).toContain(`Subject: ${subject}`);
    expect(got?.raw.replace(/=\r?\n/g, '')).toContain('with OAuth2 (OAUTHBEARER).'); // quoted-printable soft breaks
    expect(await methodsAfter(bearerOnly, 'submission-login', 0)).toContain('OAUTHBEARER');
  });

  it('OAUTHBEARER only, and the account\'s configs use XOAUTH2: "does not offer XOAUTH2", exit 6, the re-setup fix; no login attempted', async () => {
    const failures = bearerOnly.authFailuresFor(ALICE);
    for (const protocol of ['imap', 'smtp'] as const) {
      const r = await login(protocol, account(bearerOnly));
      if (r.ok) throw new Error(`${protocol} should have been refused`);
      expect(r.diagnosis).toMatchObject({ id: 'sasl-not-offered', exit: 6, said: 'the server offers OAUTHBEARER', fromServer: false });
      expect(r.diagnosis.cause).toBe(`The ${protocol.toUpperCase()} server localhost:${r.endpoint.port} does not offer XOAUTH2, the SASL mechanism work's mail-client configs use for ${protocol.toUpperCase()}; it offers OAUTHBEARER.`.replace(/^The /, ''));
      expect(r.diagnosis.fix).toMatch(/^mailoauth setup --reauth work --clients PROGRAMS \(without --sasl\)/);
    }
    expect(bearerOnly.authFailuresFor(ALICE)).toBe(failures);
  });

  it('a server with no OAuth2 mechanism at all (the relay offers no AUTH): "offers no OAuth2 mechanism", exit 6', async () => {
    const a = { ...account(both), smtp: { host: 'localhost', port: relay.port, tls: 'starttls' as const } };
    const r = await login('smtp', a, { sasl: {} });
    if (r.ok) throw new Error('should have been refused');
    expect(r.diagnosis).toMatchObject({ id: 'sasl-none', exit: 6 });
    expect(r.diagnosis.cause).toMatch(/offers no OAuth2 mechanism \(neither XOAUTH2 nor OAUTHBEARER\)/);
  });

  it('a refused token over OAUTHBEARER: the error challenge (334 + JSON) is answered, so the server\'s final 535 comes back', async () => {
    const a = account(bearerOnly, { imap: 'oauthbearer', smtp: 'oauthbearer' });
    const imap = await login('imap', a, { timeoutMs: 8_000 }, 'tok-revoked');
    const smtp = await login('smtp', a, { timeoutMs: 8_000 }, 'tok-revoked');
    if (imap.ok || smtp.ok) throw new Error('a revoked token was accepted');
    expect(imap.diagnosis).toMatchObject({ id: 'imap-auth-failed', exit: 6, fromServer: true });
    expect(smtp.diagnosis).toMatchObject({ exit: 6, fromServer: true });
    expect(smtp.diagnosis.said).toMatch(/^535 5\.7\.8 /);
  });
});
