import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decideIdentity, type IdentityExpectation, type SignedInIdentity } from '../../src/auth/identity.js';
import { settleIdentity } from '../../src/setup/identity-check.js';
import type { Deps } from '../../src/deps.js';
import { UserError } from '../../src/errors.js';
import { providerById } from '../../src/providers/table.js';
import { scriptedPrompter } from '../helpers/scripted-prompter.js';

const M365 = providerById('microsoft365')!;
const OUTLOOK = providerById('outlook.com')!;
const T = '11111111-2222-3333-4444-555555555555';
const want = (o: Partial<IdentityExpectation> = {}): IdentityExpectation => ({ asked: 'ann@contoso.com', shared: false, ...o });

describe('decideIdentity: who signed in against who was asked for', () => {
  it.each<[string, typeof M365, IdentityExpectation, SignedInIdentity, object]>([
    ['the same (case aside)', M365, want(), { user: 'Ann@Contoso.com' }, { kind: 'same' }],
    ['someone else', M365, want(), { user: 'bob@contoso.com' }, { kind: 'other-user', signedIn: 'bob@contoso.com' }],
    ['someone else, named by --expect-user: the login user stays the mailbox', M365, want({ expectUser: 'ann@contoso.onmicrosoft.com' }), { user: 'ann@contoso.onmicrosoft.com' }, { kind: 'expected', loginUser: 'ann@contoso.com' }],
    ['another tenant than the one asked for', M365, want({ tenant: T }), { user: 'ann@contoso.com', tenant: '99999999-2222-3333-4444-555555555555' }, { kind: 'other-tenant' }],
    ['the tenant asked for', M365, want({ tenant: T }), { user: 'ann@contoso.com', tenant: T.toUpperCase() }, { kind: 'same' }],
    ['nobody said', M365, want(), {}, { kind: 'unknown' }],
    ['Outlook.com alias: the sign-in name is the login', OUTLOOK, want({ asked: 'kim.w@outlook.com' }), { user: 'kim@example.org' }, { kind: 'use-sign-in-name', loginUser: 'kim@example.org' }],
    ['Outlook.com alias named by --expect-user', OUTLOOK, want({ asked: 'kim.w@outlook.com', expectUser: 'KIM@example.org' }), { user: 'kim@example.org' }, { kind: 'expected', loginUser: 'kim@example.org' }],
    ['shared mailbox: the delegate is who must sign in', M365, want({ asked: 'bob@contoso.com', shared: true }), { user: 'eve@contoso.com' }, { kind: 'other-user' }],
  ])('%s', (_, row, w, got, out) => expect(decideIdentity(row, w, got)).toMatchObject(out));
});

function deps(answers: Record<string, unknown>) {
  const prompt = scriptedPrompter(answers);
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (b: Buffer) => (text += b.toString()));
  const d = { stderr, prompt } as unknown as Deps;
  return { d, prompt, stderr: () => text };
}

describe('settleIdentity: shown, asked, or refused — never stored silently', () => {
  const check = (got: SignedInIdentity, interactive: boolean, row = M365, w = want()) => ({ row, account: { name: 'work', email: w.asked }, want: w, got, interactive });

  it('--yes and someone else: refused (exit 3), naming --expect-user; nothing asked', async () => {
    const { d, prompt } = deps({});
    const e = await settleIdentity(d, check({ user: 'bob@contoso.com' }, false)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(3);
    expect((e as UserError).message).toMatch(/The sign-in was for bob@contoso\.com, not ann@contoso\.com\. Nothing was stored\./);
    expect((e as UserError).fix).toMatch(/add --expect-user bob@contoso\.com/);
    expect(prompt.asked).toEqual([]);
  });

  it('a person: shown and asked (default no); yes stores it for the planned login user, no refuses', async () => {
    const yes = deps({ identity: true });
    await expect(settleIdentity(yes.d, check({ user: 'bob@contoso.com' }, true))).resolves.toBe('ann@contoso.com');
    expect((yes.prompt.seen.identity as { default: boolean }).default).toBe(false);
    expect(yes.stderr()).toMatch(/Warning: the sign-in was for bob@contoso\.com, not ann@contoso\.com/);
    const no = deps({ identity: false });
    await expect(settleIdentity(no.d, check({ user: 'bob@contoso.com' }, true))).rejects.toThrow(/Nothing was stored/);
  });

  it('Outlook.com alias with a person: asked (default yes), then the sign-in name is the login', async () => {
    const { d, prompt } = deps({ identity: true });
    await expect(settleIdentity(d, check({ user: 'kim@example.org' }, true, OUTLOOK, want({ asked: 'kim.w@outlook.com' })))).resolves.toBe('kim@example.org');
    expect((prompt.seen.identity as { default: boolean }).default).toBe(true);
  });

  it('a user name with terminal controls is shown inert', async () => {
    const { d, stderr } = deps({ identity: false });
    await settleIdentity(d, check({ user: 'x\u001b[2J\u001b[31m@evil.example' }, true)).catch(() => undefined);
    expect(stderr()).not.toContain('\u001b');
    expect(stderr()).toContain('x\\x1B[2J\\x1B[31m@evil.example');
  });
});

describe('a provider that never says who signed in', () => {
  it('is unverifiable (not unknown): setup goes on, saying the IMAP login will check it', async () => {
    const yahoo = providerById('yahoo')!;
    expect(decideIdentity(yahoo, want({ asked: 'a@yahoo.com' }), {})).toEqual({ kind: 'unverifiable' });
    expect(decideIdentity(providerById('google')!, want({ asked: 'a@gmail.com' }), {})).toEqual({ kind: 'unknown' });
    const { d, stderr } = deps({});
    await expect(settleIdentity(d, { row: yahoo, account: { name: 'y', email: 'a@yahoo.com' }, want: want({ asked: 'a@yahoo.com' }), got: {}, interactive: false })).resolves.toBe('a@yahoo.com');
    expect(stderr()).toMatch(/Yahoo Mail does not say who signed in; the IMAP login checks it/);
  });
});
