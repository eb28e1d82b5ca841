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

describe('the programs added with issue 16', () => {
  /** Where each block lands for account work in a fresh HOME (getmail: one rc file per account). */
  const files = (e: { HOME: string; XDG_CONFIG_HOME: string }) => ({
    aerc: join(e.XDG_CONFIG_HOME, 'aerc', 'accounts.conf'),
    getmail: join(e.XDG_CONFIG_HOME, 'getmail', 'getmailrc-work'),
    'git-send-email': join(e.HOME, '.gitconfig'),
    's-nail': join(e.HOME, '.mailrc'),
  });

  it('--write puts each block where the program reads it (0600, beside the user\'s own lines); remove takes them out again', async () => {
    const e = withAccount();
    const mine = '[user]\n\tname = Ann\n';
    writeFileSync(join(e.HOME, '.gitconfig'), mine, { mode: 0o644 });
    for (const client of Object.keys(files(e))) {
      const r = await run(['config', 'work', '--client', client, '--write'], e);
      expect(r.code, `${client}: ${r.stderr}`).toBe(0);
    }
    for (const [client, file] of Object.entries(files(e))) {
      expect(readFileSync(file, 'utf8'), client).toMatch(/^# >>> mailoauth work >>>$/m);
      expect(statSync(file).mode & 0o777, client).toBe(client === 'git-send-email' ? 0o644 : 0o600);
    }
    expect(readFileSync(files(e)['git-send-email'], 'utf8').startsWith(mine)).toBe(true);
    // getmail wants its Maildir with cur/new/tmp before the first run.
    for (const sub of ['cur', 'new', 'tmp']) expect(existsSync(join(e.HOME, 'Mail', 'getmail', 'work', sub))).toBe(true);
    const removed = await run(['remove', 'work', '--yes'], e);
    expect(removed.code, removed.stderr).toBe(0);
    for (const [client, file] of Object.entries(files(e))) expect(readFileSync(file, 'utf8'), client).not.toContain('mailoauth work');
    expect(readFileSync(files(e)['git-send-email'], 'utf8')).toBe(mine);
  });

  it('git send-email without msmtp\'s block for the account: written, with a warning that names the fix', async () => {
    const e = withAccount();
    const r = await run(['config', 'work', '--client', 'git-send-email', '--write'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: git-send-email sends through msmtp's account work, and .*\.msmtprc has no mailoauth block for it\. Write it: mailoauth config work --client msmtp --write/);
    expect((await run(['config', 'work', '--client', 'msmtp', '--write'], e)).code).toBe(0);
    const again = await run(['config', 'work', '--client', 'git-send-email', '--write'], e);
    expect(again.stderr).not.toMatch(/sends through msmtp/);
  });
});

describe('local mail stores never overlap', () => {
  const rc = (e: { HOME: string }, client: 'offlineimap' | 'mbsync') => join(e.HOME, client === 'offlineimap' ? '.offlineimaprc' : '.mbsyncrc');
  const write = (e: NodeJS.ProcessEnv, client: string, ...extra: string[]) => run(['config', 'work', '--client', client, '--write', ...extra], e);

  it('offlineimap and mbsync each get their own default Maildir; mbsync\'s root is created', async () => {
    const e = withAccount();
    expect((await write(e, 'offlineimap')).code).toBe(0);
    expect((await write(e, 'mbsync')).code).toBe(0);
    expect(readFileSync(rc(e, 'offlineimap'), 'utf8')).toMatch(/^localfolders = ~\/Mail\/offlineimap\/work$/m);
    expect(readFileSync(rc(e, 'mbsync'), 'utf8')).toMatch(/^Path "~\/Mail\/mbsync\/work\/"$/m);
    expect(existsSync(join(e.HOME, 'Mail', 'mbsync', 'work'))).toBe(true);
  });

  it.each([
    ['the same directory', '~/Mail/offlineimap/work', /already uses as its local store/],
    ['a directory around it', '~/Mail', /one is inside the other/],
    ['the same directory, spelled differently', '$HOME/Mail/offlineimap/./work/', /already uses as its local store|one is inside/],
  ])('--maildir naming %s as another block\'s store is refused (exit 2, nothing written), also with --dry-run', async (_, dir, why) => {
    const e = withAccount();
    expect((await write(e, 'offlineimap')).code).toBe(0);
    const maildir = dir.replace('$HOME', e.HOME);
    for (const extra of [[], ['--dry-run']]) {
      const r = await write(e, 'mbsync', '--maildir', maildir, ...extra);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`mbsync's block for work (${e.HOME}/.mbsyncrc)`);
      expect(r.stderr).toContain(`offlineimap's block for work (${e.HOME}/.offlineimaprc)`);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toContain('mailoauth config work --client mbsync --write --maildir ~/Mail/mbsync/work');
      expect(r.stdout).toBe('');
      expect(existsSync(rc(e, 'mbsync'))).toBe(false);
    }
  });

  it('blocks written with the old shared default: a rerun keeps a store nobody else uses, and refuses the shared one', async () => {
    const e = withAccount();
    // What an earlier mailoauth wrote for mbsync (kept aside for now) and offlineimap: both on ~/Mail/work.
    const oldMbsync = (await run(['config', 'work', '--client', 'mbsync', '--maildir', '~/Mail/work'], e)).stdout;
    expect(oldMbsync).toContain('Path "~/Mail/work/"');
    expect((await write(e, 'offlineimap', '--maildir', '~/Mail/work')).code).toBe(0);
    const before = readFileSync(rc(e, 'offlineimap'), 'utf8');
    const again = await write(e, 'offlineimap');
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(rc(e, 'offlineimap'), 'utf8')).toBe(before);
    const printed = await run(['config', 'work', '--client', 'offlineimap'], e);
    expect(printed.stdout).toMatch(/^localfolders = ~\/Mail\/work$/m);

    writeFileSync(rc(e, 'mbsync'), `${oldMbsync}\n`);
    for (const client of ['offlineimap', 'mbsync'] as const) {
      const r = await write(e, client);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`would keep its mail in ~/Mail/work, which ${client === 'mbsync' ? 'offlineimap' : 'mbsync'}'s block for work`);
      expect(r.stderr).toContain(`--client ${client} --write --maildir ~/Mail/${client}/work`);
    }
    expect(readFileSync(rc(e, 'offlineimap'), 'utf8')).toBe(before);
    // The fix the message gives works, and says what moving means for mbsync.
    const moved = await write(e, 'mbsync', '--maildir', '~/Mail/mbsync/work');
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toMatch(/mbsync's mail for work moves from ~\/Mail\/work to ~\/Mail\/mbsync\/work\. mbsync keeps its sync state inside the Maildir/);
  });

  it('getmail\'s Maildir counts too: its per-account rc files are read for the check', async () => {
    const e = withAccount();
    expect((await write(e, 'getmail')).code).toBe(0);
    const r = await write(e, 'mbsync', '--maildir', '~/Mail/getmail/work');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`getmail's block for work (${e.XDG_CONFIG_HOME}/getmail/getmailrc-work)`);
  });

  it('setup --maildir with two programs that keep mail locally: exit 2 before any sign-in', async () => {
    const e = testEnv({});
    const r = await run(['setup', '--yes', '--email', 'ann@contoso.example', '--store', 'file', '--flow', 'device',
      '--authority', 'https://127.0.0.1:9/organizations', '--clients', 'msmtp,offlineimap,mbsync', '--maildir', '~/Mail/work'], e);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--maildir ~/Mail/work would be the local store of offlineimap and mbsync at once');
    expect(r.stderr).not.toMatch(/Signing in/);
    expect(existsSync(join(e.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json'))).toBe(false);
  });
});
