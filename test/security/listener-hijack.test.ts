/**
 * The browser sign-in's loopback listener, attacked by another local process that read the authorize
 * URL (state and PKCE challenge included) from the process list (issue 13, finding 2):
 *  - a request naming another Host (DNS rebinding) is refused and changes nothing;
 *  - a code for the attacker's own account, delivered with the right state, reaches the listener,
 *    but the identity check refuses to store it (--yes), and nothing is written.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import { TOOLS, USER, accountsJson, keychainItems, startWorld, type World } from '../reliability/world.js';

const skip = skipWithout('security: loopback listener', TOOLS);
const HOSTILE = `${process.execPath} ${resolve(import.meta.dirname, '../fixtures/hostile-browser.mjs')}`;
const ATTACKER = 'mallory@contoso.example';

describe.skipIf(skip)('the loopback listener against another local process', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    w.idp.addUser({ upn: ATTACKER });
  });
  afterAll(async () => {
    await w?.stop();
  });
  const setup = (name: string) => ['setup', '--yes', '--email', USER, '--name', name, '--flow', 'browser', '--authority', w.idp.authority(), '--no-verify'];
  const steps = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: string; status: number });

  it('a request under a foreign Host is refused (421) and ignored; the real one then completes the sign-in', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'mailoauth-hostile-')), 'log.jsonl');
    const e = w.env({ BROWSER: HOSTILE, HOSTILE_MODE: 'rebind', HOSTILE_LOG: logFile, MAILOAUTH_BROWSER_TIMEOUT_MS: '30000' });
    const r = await w.run(setup('rebind'), e, 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(steps(logFile)).toEqual([{ step: 'foreign-host', status: 421 }, { step: 'deliver', status: 200 }]);
  });

  it("the attacker's own code, with the right state: reaches the listener, refused by the identity check (exit 3), nothing stored", async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'mailoauth-hostile-')), 'log.jsonl');
    const e = w.env({ BROWSER: HOSTILE, HOSTILE_MODE: 'swap-user', HOSTILE_UPN: ATTACKER, HOSTILE_LOG: logFile, MAILOAUTH_BROWSER_TIMEOUT_MS: '30000' });
    const r = await w.run(setup('victim'), e, 60_000);
    expect(steps(logFile)).toEqual([{ step: 'deliver', status: 200 }]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`The sign-in was for ${ATTACKER}, not ${USER}. Nothing was stored.`);
    expect(accountsJson(e)).toBeUndefined();
    expect(Object.keys(await keychainItems(e)).filter((k) => k.startsWith('victim'))).toEqual([]);
    expect(existsSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'))).toBe(false);
  });
});
