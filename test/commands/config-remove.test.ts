import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, testEnv } from '../helpers/cli.js';

/** An account as setup leaves it, with the explicit file store (these commands need no sign-in). */
function withAccount(name = 'work') {
  const e = testEnv({});
  const dir = join(e.XDG_CONFIG_HOME, 'mailoauth');
  mkdirSync(join(dir, 'secrets'), { recursive: true });
  const account = {
    name, email: 'ann@contoso.example', provider: 'microsoft365', clientId: '9e5f94bc-e8a4-4e73-b8be-63364c29d753',
    tenant: 'organizations', authority: 'https://login.microsoftonline.com/organizations',
    scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access'],
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
    store: 'file', createdAt: '2026-11-01T00:00:00.000Z',
  };
  writeFileSync(join(dir, 'accounts.json'), JSON.stringify({ version: 1, accounts: [account] }), { mode: 0o600 });
  writeFileSync(join(dir, 'secrets', name), '{"v":1,"accessToken":"x","expiresAt":1,"scopes":[]}', { mode: 0o600 });
  writeFileSync(join(dir, 'secrets', `${name}%2Fmsal`), '{}', { mode: 0o600 });
  return e;
}

describe('mailoauth config', () => {
  it('--print puts the block on stdout, calling this mailoauth by absolute path', async () => {
    const e = withAccount();
    const r = await run(['config', 'work', '--client', 'msmtp'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# >>> mailoauth work >>>$/m);
    expect(r.stdout).toMatch(/^# <<< mailoauth work <<<$/m);
    expect(r.stdout).toMatch(/passwordeval .*\/dist\/cli\.cjs.* token work/);
    expect(existsSync(join(e.HOME, '.msmtprc'))).toBe(false);
  });

  it('--write creates the file 0600 and a rerun changes nothing; --dry-run shows the diff on stdout only', async () => {
    const e = withAccount();
    const dry = await run(['config', 'work', '--client', 'mbsync', '--write', '--dry-run'], e);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^\+IMAPAccount work$/m);
    expect(existsSync(join(e.HOME, '.mbsyncrc'))).toBe(false);
    const w = await run(['config', 'work', '--client', 'mbsync', '--write'], e);
    expect(w.code, w.stderr).toBe(0);
    const path = join(e.HOME, '.mbsyncrc');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const first = readFileSync(path, 'utf8');
    const again = await run(['config', 'work', '--client', 'mbsync', '--write'], e);
    expect(again.stderr).toMatch(/already has this block; nothing to do/);
    expect(readFileSync(path, 'utf8')).toBe(first);
  });

  it('keeps the user\'s own lines, backs the file up once, and refuses a hand-edited block unless --force', async () => {
    const e = withAccount();
    const path = join(e.HOME, '.msmtprc');
    const mine = 'defaults\r\nlogfile ~/.msmtp.log\r\n\r\naccount personal\r\nhost mail.example.org\r\n';
    writeFileSync(path, mine, { mode: 0o600 });
    expect((await run(['config', 'work', '--client', 'msmtp', '--write'], e)).code).toBe(0);
    const written = readFileSync(path, 'utf8');
    expect(written.startsWith(mine)).toBe(true);
    expect(written).toContain('\r\naccount work\r\n');
    const backups = (await import('node:fs')).readdirSync(e.HOME).filter((f) => f.startsWith('.msmtprc.mailoauth-bak-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(e.HOME, backups[0]!), 'utf8')).toBe(mine);

    writeFileSync(path, written.replace('\r\nport 587\r\n', '\r\nport 2525\r\n'));
    const refused = await run(['config', 'work', '--client', 'msmtp', '--write'], e);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/edited by hand|changed/i);
    expect(refused.stderr).toMatch(/--force/);
    const forced = await run(['config', 'work', '--client', 'msmtp', '--write', '--force'], e);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(written);
  });

  it.each([
    [['config', 'work', '--client', 'thunderbird'], /Unknown client "thunderbird"/],
    [['config', 'nobody', '--client', 'msmtp'], /No account named "nobody"/],
  ])('%j → exit 2', async (args, msg) => {
    const r = await run(args, withAccount());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });
});

describe('mailoauth remove', () => {
  it('asks unless --yes: without a terminal it refuses, exit 2, nothing removed', async () => {
    const e = withAccount();
    const r = await run(['remove', 'work'], e);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    expect(readFileSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')).toContain('"work"');
  });

  it('--yes removes the managed blocks (other bytes restored), the secrets and the metadata', async () => {
    const e = withAccount();
    const rc = join(e.HOME, '.mbsyncrc');
    const mine = 'IMAPAccount personal\nHost imap.example.org\n';
    writeFileSync(rc, mine);
    expect((await run(['config', 'work', '--client', 'mbsync', '--write'], e)).code).toBe(0);
    expect((await run(['config', 'work', '--client', 'msmtp', '--write'], e)).code).toBe(0);
    const r = await run(['remove', 'work', '--yes'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(rc, 'utf8')).toBe(mine);
    expect(readFileSync(join(e.HOME, '.msmtprc'), 'utf8')).not.toContain('mailoauth work');
    expect(existsSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'secrets', 'work'))).toBe(false);
    expect(existsSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'secrets', 'work%2Fmsal'))).toBe(false);
    expect(JSON.parse(readFileSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'), 'utf8')).accounts).toEqual([]);
    const token = await run(['token', 'work'], e);
    expect(token.code).toBe(2);
  });
});
