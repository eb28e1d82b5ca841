import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { fileStoreAccount, runIn, testDeps } from '../helpers/test-deps.js';

describe('mailoauth export (in-process)', () => {
  it('--imapsync FILE: line 1 the access token, mode 0600; the imapsync command on stderr, nothing on stdout', async () => {
    const d = testDeps();
    await fileStoreAccount(d, 'work', { accessToken: 'AT-X' });
    const file = join(d.env.HOME!, 'tokens.txt');
    const r = await runIn(d, ['export', 'work', '--imapsync', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe('AT-X\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(r.stderr).toMatch(/imapsync command:\n {2}imapsync .*--oauthaccesstoken1 /);
  });

  it('without --imapsync: exit 2 with the command to run', async () => {
    const d = testDeps();
    await fileStoreAccount(d);
    const r = await runIn(d, ['export', 'work']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(/Say what to export: --imapsync FILE\.\n {2}next: mailoauth export work --imapsync/);
  });
});
