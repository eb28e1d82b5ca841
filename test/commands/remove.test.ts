import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { readAccounts } from '../../src/store/accounts.js';
import { fileStoreDir } from '../../src/store/paths.js';
import { fileStoreAccount, runIn, testDeps } from '../helpers/test-deps.js';

describe('mailoauth remove (in-process)', () => {
  it('without --yes and no one to ask: exit 2, nothing removed', async () => {
    const d = testDeps();
    await fileStoreAccount(d);
    const r = await runIn(d, ['remove', 'work']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(/Not removing work without confirmation.*\n {2}next: mailoauth remove work --yes/);
    expect(readAccounts(d.env).accounts.map((a) => a.name)).toEqual(['work']);
  });

  it('asks a person, who says no: nothing removed', async () => {
    const d = testDeps({ canPrompt: true, answers: { remove: false } });
    await fileStoreAccount(d);
    expect(await runIn(d, ['remove', 'work'])).toEqual({ code: 0, stdout: '', stderr: 'Nothing removed.\n' });
    expect(d.prompt.asked).toEqual(['remove']);
    expect(readAccounts(d.env).accounts).toHaveLength(1);
  });

  it('--dry-run: the diff of each managed block on stdout, nothing changed', async () => {
    const d = testDeps();
    await fileStoreAccount(d);
    expect((await runIn(testDeps({ env: d.env }), ['config', 'work', '--client', 'msmtp', '--write'])).code).toBe(0);
    const rc = join(d.env.HOME!, '.msmtprc');
    const before = readFileSync(rc, 'utf8');
    const r = await runIn(d, ['remove', 'work', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-# >>> mailoauth work >>>$/m);
    expect(r.stderr).toMatch(/dry run: would also delete the keychain items and the metadata of work/);
    expect(readFileSync(rc, 'utf8')).toBe(before);
  });

  it('--yes: the block, the secrets and the metadata go; the user\'s own lines stay', async () => {
    const d = testDeps();
    await fileStoreAccount(d);
    const rc = join(d.env.HOME!, '.msmtprc');
    writeFileSync(rc, 'defaults\nlogfile ~/.msmtp.log\n', { mode: 0o600 });
    expect((await runIn(testDeps({ env: d.env }), ['config', 'work', '--client', 'msmtp', '--write'])).code).toBe(0);
    const r = await runIn(d, ['remove', 'work', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Removed the msmtp block from .*\.msmtprc \(backup: .*\)\nRemoved work\.\n$/m);
    expect(readFileSync(rc, 'utf8')).toBe('defaults\nlogfile ~/.msmtp.log\n');
    expect(readAccounts(d.env).accounts).toEqual([]);
    expect(existsSync(join(fileStoreDir(d.env), 'work'))).toBe(false);
  });
});
