import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { planSetup } from '../../src/setup/plan.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { gpgOutcome, gpgRunner } from '../../src/store/gpg-run.js';
import { GpgStore } from '../../src/store/gpg-store.js';
import { checkGpgRecipient } from '../../src/store/gpg-recipient.js';
import { startGpgHome, type GpgHome } from '../fixtures/gpg.js';
import { skipWithout } from '../helpers/tools.js';
import { userError } from '../helpers/user-error.js';

const skip = skipWithout('gpg store', ['gpg', 'gpg-agent', 'gpgconf']);

describe('gpgOutcome: read from status keywords, never from messages', () => {
  const r = (code: number, status: string[], extra = {}) => ({ code, stdout: '', stderr: 'gpg: some translated text', status, ...extra });
  it.each([
    ['decrypted', r(0, ['ENC_TO 56A3E7A7F691267C 1 0', 'DECRYPTION_OKAY', 'END_DECRYPTION']), { kind: 'ok' }],
    ['no secret key / locked without pinentry', r(2, ['ENC_TO DE407B4E36E5CA30 1 0', 'BEGIN_DECRYPTION', 'DECRYPTION_FAILED', 'END_DECRYPTION']), { kind: 'cannot-decrypt', keyIds: ['DE407B4E36E5CA30'] }],
    ['unknown recipient', r(2, ['INV_RECP 1 nobody@example.invalid', 'FAILURE encrypt 9']), { kind: 'bad-recipient', reason: 'no public key for it in your keyring' }],
    ['untrusted recipient', r(2, ['INV_RECP 10 x']), { kind: 'bad-recipient', reason: expect.stringMatching(/not trusted/) }],
    ['exit 2 without a keyword we know', r(2, ['FAILURE encrypt 1']), { kind: 'failed', detail: 'gpg: some translated text' }],
    ['not installed', r(-1, [], { failure: 'not-installed' }), { kind: 'not-installed' }],
    ['deadline', r(-1, [], { failure: 'timeout' }), { kind: 'timeout' }],
  ])('%s', (_, result, want) => expect(gpgOutcome(result)).toEqual(want));

  it.each<[string, true | RegExp]>([
    ['you@example.com', true],
    ['0xDEADBEEF12345678', true],
    ['', /needs --gpg-recipient/],
    ['--homedir=/tmp', /not a GPG key/],
    ['a\nb', /not a GPG key/],
  ])('recipient %j', (r, want) => {
    if (want === true) expect(checkGpgRecipient(r)).toBe(r);
    else expect(userError(() => checkGpgRecipient(r)).message).toMatch(want);
  });
});

describe('setup plans the gpg store', () => {
  it('--store gpg needs --gpg-recipient; the recipient is kept, and a --reauth keeps it', () => {
    expect(userError(() => planSetup({ email: 'a@contoso.example', store: 'gpg', yes: true }, {}, 'linux')).message).toMatch(/needs --gpg-recipient/);
    const plan = planSetup({ email: 'a@contoso.example', store: 'gpg', gpgRecipient: 'a@example.org', yes: true }, {}, 'linux');
    expect(plan.account).toMatchObject({ store: 'gpg', gpgRecipient: 'a@example.org' });
    const again = planSetup({ reauth: 'a@contoso.example' }, {}, 'linux', { ...plan.account, createdAt: '2025-01-01T00:00:00Z' } as Account);
    expect(again.account).toMatchObject({ store: 'gpg', gpgRecipient: 'a@example.org' });
    expect(planSetup({ email: 'a@contoso.example', yes: true }, {}, 'linux').account.gpgRecipient).toBeUndefined();
  });
});

describe.skipIf(skip)('GpgStore with a real gpg and agent', () => {
  let g: GpgHome;
  beforeAll(async () => {
    g = await startGpgHome();
  }, 60_000);
  afterAll(() => g?.stop());

  const store = (recipient: string, mayPrompt = false, program = 'gpg') => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mailoauth-gpgstore-')), 'gpg');
    return { dir, s: new GpgStore(dir, { recipient, run: gpgRunner({ ...process.env, ...g.env }, program), mayPrompt, timeoutMs: 10_000 }) };
  };
  const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as UserError);

  it('encrypts each item to the recipient in a 0600 armored file (0700 directory), and reads it back', async () => {
    const { dir, s } = store(g.open);
    await s.probe();
    await s.set('work/msal', '{"RefreshToken":{"k":{"secret":"RT-PLAINTEXT-MUST-NOT-APPEAR"}}}');
    expect(await s.get('work/msal')).toBe('{"RefreshToken":{"k":{"secret":"RT-PLAINTEXT-MUST-NOT-APPEAR"}}}');
    const file = join(dir, 'work%2Fmsal.asc');
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    expect(readFileSync(file, 'utf8')).not.toMatch(/RT-PLAINTEXT/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['work%2Fmsal.asc']); // the probe cleaned up, no temp files
    expect(await s.get('absent')).toBeNull();
    expect(await s.delete('work/msal')).toBe(true);
    expect(await s.delete('work/msal')).toBe(false);
  });

  it('a locked key where no one can be asked (cron): exit 5 at once, with the fix, and the file left as it was', async () => {
    const { dir, s } = store(g.locked);
    await s.set('work', 'secret-value');
    const before = readFileSync(join(dir, 'work.asc'), 'utf8');
    await g.forget();
    const e = await failure(s.get('work'));
    expect(e).toBeInstanceOf(UserError);
    expect(e!.exitCode).toBe(ExitCode.KeychainUnavailable);
    expect(e!.message).toMatch(/gpg-agent could not decrypt .*work\.asc .*locked and no one can be asked/);
    expect(e!.fix).toMatch(/gpg-preset-passphrase|default-cache-ttl/);
    expect(readFileSync(join(dir, 'work.asc'), 'utf8')).toBe(before);
    // The same key once its passphrase is in the agent (typed into pinentry earlier, or preset).
    await g.unlock();
    expect(await s.get('work')).toBe('secret-value');
  });

  it('setup\'s probe fails the same way for a locked key, before anything is stored', async () => {
    await g.forget();
    const { dir, s } = store(g.locked);
    expect((await failure(s.probe()))?.exitCode).toBe(ExitCode.KeychainUnavailable);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('a recipient not in the keyring: exit 5 naming it; never looked up on the network', async () => {
    const { dir, s } = store('nobody@example.invalid');
    const e = await failure(s.set('work', 'x'));
    expect(e?.exitCode).toBe(ExitCode.KeychainUnavailable);
    expect(e?.message).toMatch(/cannot encrypt to nobody@example\.invalid: no public key/);
    expect(existsSync(join(dir, 'work.asc'))).toBe(false);
  });

  it('no gpg installed: exit 5 saying so', async () => {
    const { s } = store(g.open, false, 'gpg-not-installed-here');
    const e = await failure(s.set('work', 'x'));
    expect(e?.exitCode).toBe(ExitCode.KeychainUnavailable);
    expect(e?.message).toMatch(/gpg is not installed/);
  });
});
