/**
 * Secrets: every path run with --debug — sign-in by device code and by browser, cache hit, refresh,
 * platform failure, revoked refresh token, list, export, a refused IMAP login — and then no access or
 * refresh token the platform issued may appear in a file under the test HOMEs or in any output
 * (stdout of `token` excepted: printing one is its job). The keychain and the explicit export file
 * (kept outside HOME) are where tokens belong; the scanner is shown to find a token in the export.
 * Every other reliability file ends with the same check over its own runs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import { makeTestCa } from '../fixtures/tls.js';
import { ageAccess, startWorld, TOOLS, USER, type Env, type World } from './world.js';

const skip = skipWithout('reliability: secrets', TOOLS);

let w: World;
let e: Env;
let imap: Server;
let imapPort: number;
const imapSeen: string[] = [];

beforeAll(async () => {
  if (skip) return;
  w = await startWorld();
  e = w.env();
  // An IMAP server that offers XOAUTH2 and refuses every login: verify's failure path, with the
  // server's words, is where a token could be echoed.
  const tlsDir = mkdtempSync(join(tmpdir(), 'mailoauth-imap-'));
  const ca = await makeTestCa(tlsDir);
  imap = createTlsServer({ cert: readFileSync(ca.certFile), key: readFileSync(ca.keyFile) }, (s) => {
    s.on('error', () => {});
    s.write('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] test server ready\r\n');
    let buf = '';
    s.on('data', (b: Buffer) => {
      buf += b.toString();
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        imapSeen.push(line);
        const [tag, cmd] = line.split(' ');
        if (/^CAPABILITY$/i.test(cmd ?? '')) s.write(`* CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2\r\n${tag} OK done\r\n`);
        else if (/^AUTHENTICATE$/i.test(cmd ?? '')) s.write(`${tag} NO [AUTHENTICATIONFAILED] AUTHENTICATE failed.\r\n`);
        else if (/^LOGOUT$/i.test(cmd ?? '')) s.end(`* BYE\r\n${tag} OK bye\r\n`);
        else if (tag) s.write(`${tag} BAD unknown\r\n`);
      }
    });
  });
  // The IMAP certificate comes from a second test CA: trust both.
  e.NODE_EXTRA_CA_CERTS = join(tlsDir, 'both.pem');
  writeFileSync(e.NODE_EXTRA_CA_CERTS, readFileSync(w.ca.caFile, 'utf8') + readFileSync(ca.caFile, 'utf8'));
  await new Promise<void>((r) => imap.listen(0, '127.0.0.1', r));
  imapPort = (imap.address() as { port: number }).port;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((r) => (imap ? imap.close(() => r()) : r()));
  await w?.stop();
});

describe.skipIf(skip)('no token leaks from --debug runs or into files', () => {
  it('runs every path with --debug', async () => {
    const out: Array<[string, number | null]> = [];
    const run = async (args: string[], env: NodeJS.ProcessEnv = e) => {
      const r = await w.run(args, env);
      out.push([args.slice(0, 2).join(' '), r.code]);
      return r;
    };
    // Sign in by device code, with 4-minute tokens so the next call refreshes.
    w.idp.setAccessTokenLifetime(240);
    const s = await w.signIn(e, 'leaky', ['--debug']);
    expect(s.stderr).toMatch(/mailoauth/);
    w.idp.setAccessTokenLifetime(3600);
    // Browser flow through a stand-in browser.
    const browser = await run(['setup', '--debug', '--yes', '--email', USER, '--name', 'leaky-web', '--flow', 'browser', '--redirect-uri', 'http://127.0.0.1',
      '--authority', w.idp.authority(), '--no-verify'], { ...e, BROWSER: `${process.execPath} ${resolve(import.meta.dirname, '../fixtures/fake-browser.mjs')}` });
    expect(browser.code, browser.stderr).toBe(0);
    // Refresh, then cache hits in every format.
    const refreshed = await run(['token', 'leaky', '--debug']);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(refreshed.stderr).toMatch(/stored the refresh token/);
    for (const fmt of [[], ['--json'], ['--xoauth2']]) expect((await run(['token', 'leaky', '--debug', ...fmt])).code).toBe(0);
    // The platform failing, after it answered with a body.
    w.idp.addFault({ endpoint: 'token', grantType: 'refresh_token', status: 500, body: '{"error":"server_error"}' });
    await ageAccess(e, 'leaky', Date.now() + 60_000, 'aged');
    expect((await run(['token', 'leaky', '--debug'], { ...e, MAILOAUTH_HTTP_TIMEOUT_MS: '500' })).code).toBe(4);
    w.idp.clearFaults();
    // A revoked refresh token.
    w.idp.revokeRefreshTokens(USER);
    const revoked = await run(['token', 'leaky', '--debug']);
    expect(revoked.code, revoked.stderr).toBe(3);
    // list, and an explicit export (outside HOME: that file is meant to hold the token).
    expect((await run(['list', '--debug'])).code).toBe(0);
    expect((await run(['list', '--json', '--debug'])).code).toBe(0);
    const exportFile = join(mkdtempSync(join(tmpdir(), 'mailoauth-export-')), 'imapsync-token');
    const exp = await run(['export', 'leaky-web', '--imapsync', exportFile, '--debug']);
    expect(exp.code, exp.stderr).toBe(0);
    expect(w.leaksIn([exportFile])).toEqual([exportFile]); // the scanner does find a token where one is
    // A refused IMAP login: verify reports the server's answer and the token's claims, never the token.
    const v = await run(['verify', 'leaky-web', '--imap', '--imap-host', '127.0.0.1', '--imap-port', String(imapPort), '--debug']);
    expect(v.code, v.stderr).toBe(6);
    expect(imapSeen.some((l) => /AUTHENTICATE XOAUTH2 \S{40,}/.test(l))).toBe(true); // it did send the token, to the server
    console.log(`secrets: --debug runs ${out.map(([a, c]) => `${a}=${c}`).join(', ')}`);
  });

  it('no issued token in any file under the test HOMEs or in any output', async () => {
    const scanned = await w.expectNoLeaks();
    console.log(`secrets: ${scanned.tokens} tokens checked against ${scanned.files} files and ${scanned.runs} runs`);
  });
});
