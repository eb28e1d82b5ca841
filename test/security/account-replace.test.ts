/**
 * Reusing an account's name for another mailbox must not silently replace that account and its
 * refresh token (issue 13, finding 3). The same mailbox again is a new sign-in of the same account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import { deviceSignIn } from '../e2e/harness.js';
import { TOOLS, USER, accountsJson, keychainItem, startWorld, storedRefreshToken, type World } from '../reliability/world.js';

const skip = skipWithout('security: account names', TOOLS);

let w: World;
beforeAll(async () => {
  if (!skip) w = await startWorld();
});
afterAll(async () => {
  await w?.stop();
});

describe.skipIf(skip)('setup with a name another mailbox already has', () => {
  it('is refused before any request (exit 2), saying what would be replaced; --force replaces it; the same mailbox signs in again', async () => {
    const e = w.env();
    expect((await w.signIn(e, 'work')).code).toBe(0);
    const before = accountsJson(e);
    const rt = await storedRefreshToken(e, 'work');
    w.idp.resetCounts();

    const r = await w.run(['setup', '--yes', '--email', 'someone-else@contoso.example', '--name', 'work', '--flow', 'device', '--authority', w.idp.authority(), '--no-verify'], e);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`An account named "work" already exists for ${USER} (microsoft365). Setting up someone-else@contoso.example under that name would replace it and its stored sign-in.`);
    expect(r.stderr).toMatch(/--name NEW.*mailoauth setup --reauth work.*--force/);
    expect(w.idp.counts()).toEqual({});
    expect(accountsJson(e)).toBe(before);
    expect(await storedRefreshToken(e, 'work')).toBe(rt);

    // The same mailbox under its name again: a new sign-in of that account, as --reauth would be.
    expect((await w.signIn(e, 'work')).code).toBe(0);
    expect(await storedRefreshToken(e, 'work')).not.toBe(rt);

    // --force: the user says to replace it.
    const f = await deviceSignIn(w, e, ['setup', '--yes', '--email', 'someone-else@contoso.example', '--name', 'work', '--flow', 'device', '--authority', w.idp.authority(), '--no-verify', '--force'],
      { answer: { as: 'someone-else@contoso.example' } });
    expect(f.code, f.stderr).toBe(0);
    expect(JSON.parse(accountsJson(e)!).accounts).toMatchObject([{ name: 'work', email: 'someone-else@contoso.example' }]);
  });
});

describe.skipIf(skip)('an account named like an internal item', () => {
  it('"mailoauth-probe" keeps its access record when a store probe runs (the probe has a name no account can have)', async () => {
    const e = w.env();
    expect((await w.signIn(e, 'mailoauth-probe')).code).toBe(0);
    const before = await keychainItem(e, 'mailoauth-probe');
    expect(before).toMatch(/accessToken/);
    // setup probes the keychain before it signs in: another account's setup runs the probe.
    expect((await w.signIn(e, 'other')).code).toBe(0);
    expect(await keychainItem(e, 'mailoauth-probe')).toBe(before);
  });
});
