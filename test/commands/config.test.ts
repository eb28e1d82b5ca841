import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { fileStoreAccount, runIn, testDeps } from '../helpers/test-deps.js';

describe('mailoauth config (in-process)', () => {
  it('prints the block (the default) on stdout, naming this mailoauth by absolute path; writes nothing', async () => {
    const d = testDeps({ selfPath: '/opt/mailoauth/bin/mailoauth' });
    await fileStoreAccount(d);
    const r = await runIn(d, ['config', 'work', '--client', 'msmtp']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# >>> mailoauth work >>>\n/);
    expect(r.stdout).toContain('passwordeval "/opt/mailoauth/bin/mailoauth token work"');
    expect(existsSync(join(d.env.HOME!, '.msmtprc'))).toBe(false);
  });

  it('--write --dry-run: the diff on stdout; --write: the file (0600), then "nothing to do"', async () => {
    const d = testDeps();
    await fileStoreAccount(d);
    const dry = await runIn(d, ['config', 'work', '--client', 'mbsync', '--write', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^\+IMAPAccount work$/m);
    expect(dry.stderr).toMatch(/dry run: .*\.mbsyncrc not written/);
    const path = join(d.env.HOME!, '.mbsyncrc');
    expect(existsSync(path)).toBe(false);

    const w = testDeps({ env: d.env });
    expect((await runIn(w, ['config', 'work', '--client', 'mbsync', '--write'])).code).toBe(0);
    expect(w.err()).toMatch(/^Wrote .*\.mbsyncrc$/m);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = testDeps({ env: d.env });
    expect((await runIn(again, ['config', 'work', '--client', 'mbsync', '--write'])).code).toBe(0);
    expect(again.err()).toMatch(/already has this block; nothing to do/);
    expect(readFileSync(path, 'utf8')).toMatch(/^IMAPAccount work$/m);
  });

  it.each([
    [['config', 'work', '--client', 'thunderbird'], /Unknown client "thunderbird"/],
    [['config', 'work'], /required option '--client <name>' not specified/],
    [['config', 'work', '--client', 'msmtp', '--print', '--write'], /Choose --print or --write/],
    [['config', 'nobody', '--client', 'msmtp'], /No account named "nobody"/],
  ])('%j: usage error (exit 2)', async (args, said) => {
    const d = testDeps();
    await fileStoreAccount(d);
    const r = await runIn(d, args);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(said);
    expect(r.stdout).toBe('');
  });
});
