/**
 * The Google stand-in's own rules, each matching what Google does (docs/real-services.md): refusals of
 * the authorization request are shown on Google's page (the browser is not sent back), except the
 * user's own "Cancel" (access_denied), which goes back to the app.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GMAIL_SCOPE, TB_CLIENT, startGoogleIdp, type GoogleIdp } from './fixtures/google-idp.js';
import { makeTestCa } from './fixtures/tls.js';

let dir: string;
let agent: Agent;
let g: GoogleIdp;

function get(url: string): Promise<{ status: number; location?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, text: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const authorize = (q: Record<string, string>) => get(`${g.origin}/o/oauth2/v2/auth?${new URLSearchParams({
  client_id: TB_CLIENT.id, redirect_uri: 'http://127.0.0.1:5555', response_type: 'code', scope: GMAIL_SCOPE, state: 's',
  code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', ...q,
}).toString()}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mailoauth-gidp-'));
  const ca = await makeTestCa(join(dir, 'tls'));
  agent = new Agent({ ca: await readFile(ca.caFile), keepAlive: false });
  g = await startGoogleIdp({ tls: ca, users: ['someone@gmail.com'] });
});
afterAll(async () => {
  await g?.stop();
  agent?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Google stand-in: where authorization errors are shown', () => {
  it.each([
    ['invalid_scope', { scope: 'https://www.googleapis.com/auth/nothing' }, 'Error 400: invalid_scope'],
    ['redirect_uri_mismatch', { redirect_uri: 'https://app.example/cb' }, 'Error 400: redirect_uri_mismatch'],
    ['invalid_client', { client_id: 'nobody.apps.googleusercontent.com' }, 'Error 401: invalid_client'],
  ])('%s: on Google\'s own page, never a redirect', async (_, q, title) => {
    const r = await authorize(q);
    expect(r.location).toBeUndefined();
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.text).toContain(title);
  });

  it('a loopback redirect on any port is accepted; the user\'s Cancel (access_denied) goes back to the app', async () => {
    const ok = await authorize({ redirect_uri: 'http://127.0.0.1:61234' });
    expect(ok.status).toBe(302);
    expect(ok.location).toMatch(/^http:\/\/127\.0\.0\.1:61234\/\?code=/);
    g.addFault({ endpoint: 'authorize', times: 1, redirectError: 'access_denied' });
    const no = await authorize({});
    expect(no.location).toMatch(/^http:\/\/127\.0\.0\.1:5555\/\?error=access_denied&state=s$/);
  });
});
