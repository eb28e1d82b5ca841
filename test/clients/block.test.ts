import { describe, expect, it } from 'vitest';
import { beginMarker, detectEol, endMarker, isConflict, outsideBlock, type MergeResult } from '../../src/clients/block.js';
import { CLIENT_IDS, type ClientId } from '../../src/clients/client.js';
import { CLIENTS } from '../../src/clients/index.js';
import { account, BIN, existingConfig, prng, ropts } from './support.js';

/**
 * Every client through the same scenarios: the decisions are pure, so each row states the input file
 * and what must come out. The writer (symlinks, modes, read-only files) is covered in writer.test.ts.
 */

const ok = (r: MergeResult) => {
  if (isConflict(r)) throw new Error(`unexpected conflict: ${r.reason}\n${r.conflict}`);
  return r;
};
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const a = account();

/** offlineimap also lists the account in `[general] accounts`: the one edit outside the block. */
const accountsEdit: Record<ClientId, (s: string) => string> = {
  offlineimap: (s) => s.includes('[general]')
    ? s.replace(/^accounts = personal(\r?)$/m, 'accounts = personal, work$1')
    : `[general]\naccounts = work\n${s}`,
  mbsync: (s) => s, mutt: (s) => s, neomutt: (s) => s, msmtp: (s) => s,
  aerc: (s) => s, getmail: (s) => s, 'git-send-email': (s) => s, 's-nail': (s) => s,
};

/** What each block runs for the token: mailoauth by absolute path, or (git send-email) msmtp's account, whose block runs it. */
const runs: Record<ClientId, string> = {
  offlineimap: BIN, mbsync: BIN, mutt: BIN, neomutt: BIN, msmtp: BIN, aerc: BIN, getmail: BIN, 's-nail': BIN,
  'git-send-email': 'msmtp -a work',
};

/** A render that differs from `ropts()`'s for every client: mailoauth moved, and the address changed. */
const changed = (c: (typeof CLIENTS)[ClientId]) =>
  c.render(account({ email: 'new@contoso.com' }), ropts({ bin: '/opt/mailoauth/bin/mailoauth' }));

describe.each(CLIENT_IDS.map((id) => [id]))('%s', (id) => {
  const c = CLIENTS[id];
  const block = c.render(a, ropts());

  it('renders a block delimited by the marker lines, with the absolute token command', () => {
    const lines = block.split('\n');
    expect(lines[0]).toBe(beginMarker('work'));
    expect(lines[lines.length - 1]).toBe(endMarker('work'));
    expect(block).toContain(runs[id]);
    expect(block).toContain('token');
    expect(block).not.toMatch(/\{\{|\}\}/);
  });

  it.each([
    ['fresh file', '', (b: string) => accountsEdit[id](`${b}\n`)],
    ['file with other accounts', existingConfig(id), (b: string) => accountsEdit[id](`${existingConfig(id)}${b}\n`)],
    ['CRLF file', crlf(existingConfig(id)), (b: string) => accountsEdit[id](crlf(`${existingConfig(id)}${b}\n`))],
    ['no trailing newline', existingConfig(id).trimEnd(),
      (b: string) => accountsEdit[id](`${existingConfig(id).trimEnd()}\n${b}`)],
  ])('%s: merge adds exactly the block, rerun changes nothing, unmerge gives the bytes back', (_, before, expected) => {
    const first = ok(c.merge(before, a, block));
    expect(first.changed).toBe(true);
    expect(first.text).toBe(expected(block));
    const again = ok(c.merge(first.text, a, block));
    expect(again).toEqual({ text: first.text, changed: false });
    const removed = ok(c.unmerge(first.text, 'work'));
    expect(removed).toEqual({ text: before, changed: true });
    expect(ok(c.unmerge(before, 'work')).changed).toBe(false);
  });

  it('CRLF file: the block is written with CRLF too', () => {
    const merged = ok(c.merge(crlf(existingConfig(id)), a, block)).text;
    expect(merged).not.toMatch(/[^\r]\n/);
  });

  it('a block the user edited is refused with a diff, and replaced with force', () => {
    const merged = ok(c.merge(existingConfig(id), a, block)).text;
    const edited = merged.replace(runs[id], '/home/me/bin/my-token-helper');
    const newBlock = changed(c);
    const r = c.merge(edited, a, newBlock, { label: '~/.rc' });
    expect(isConflict(r)).toBe(true);
    if (!isConflict(r)) return;
    expect(r.reason).toMatch(/edited by hand/);
    expect(r.conflict).toContain('-');
    expect(r.conflict).toMatch(/^-.*my-token-helper/m);
    expect(r.conflict).toMatch(/^\+.*new@contoso\.com/m);
    const forced = ok(c.merge(edited, a, newBlock, { force: true }));
    expect(forced.text).toBe(ok(c.merge(existingConfig(id), a, newBlock)).text);
  });

  it('an untouched block is replaced silently when the render changes (mailoauth moved, the address changed)', () => {
    const merged = ok(c.merge(existingConfig(id), a, block)).text;
    const moved = changed(c);
    const r = ok(c.merge(merged, a, moved));
    expect(r.changed).toBe(true);
    expect(r.text).toBe(ok(c.merge(existingConfig(id), a, moved)).text);
  });

  it('text the user put after the block stays where it is', () => {
    const merged = ok(c.merge(existingConfig(id), a, block)).text;
    const withTail = `${merged}# my own line after the block\n`;
    const moved = c.render(a, ropts({ bin: '/opt/mailoauth/bin/mailoauth' }));
    const r = ok(c.merge(withTail, a, moved));
    expect(r.text.endsWith(`${endMarker('work')}\n# my own line after the block\n`)).toBe(true);
    expect(ok(c.unmerge(withTail, 'work')).text).toBe(`${existingConfig(id)}# my own line after the block\n`);
  });

  it.each([
    ['a second begin marker', (s: string) => s.replace(endMarker('work'), `${beginMarker('work')}\n${endMarker('work')}`)],
    ['no end marker', (s: string) => s.replace(endMarker('work'), '# gone')],
  ])('damaged markers (%s) are a conflict, even with force', (_, damage) => {
    const merged = damage(ok(c.merge(existingConfig(id), a, block)).text);
    const r = c.merge(merged, a, block, { force: true });
    expect(isConflict(r) && r.reason).toMatch(/damaged/);
    expect(isConflict(c.unmerge(merged, 'work'))).toBe(true);
  });
});

/** getmail reads one account per rc file (getmailrc-ACCOUNT); the others keep every account in one file. */
describe.each(CLIENT_IDS.filter((id) => id !== 'getmail').map((id) => [id]))('%s', (id) => {
  const c = CLIENTS[id];
  const block = c.render(a, ropts());
  it('two accounts: each block is managed on its own', () => {
    const b2 = account({ name: 'second', email: 'two@contoso.com' });
    const one = ok(c.merge(existingConfig(id), a, block)).text;
    const both = ok(c.merge(one, b2, c.render(b2, ropts()))).text;
    expect(ok(c.merge(both, a, block)).changed).toBe(false);
    expect(ok(c.unmerge(both, 'second')).text).toBe(one);
  });
});

describe('same-named definitions outside the block are conflicts', () => {
  it.each([
    ['offlineimap', '[Account work]\nlocalrepository = x\n'],
    ['offlineimap', '[Repository work-remote]\ntype = IMAP\n'],
    ['mbsync', 'IMAPAccount work\nHost x\n'],
    ['mbsync', 'channel work\nFar :x:\n'],
    ['msmtp', 'account work\nhost x\n'],
    ['msmtp', 'account work : defaults\nhost x\n'],
    ['aerc', '[work]\nsource = imaps://x\n'],
    ['getmail', '[retriever]\ntype = SimpleIMAPSSLRetriever\n'],
    ['getmail', '[options]\ndelete = true\n'],
    ['git-send-email', '[sendemail "work"]\n\tsmtpServer = smtp.example.org\n'],
    ['s-nail', 'account work {\n  set from=x\n}\n'],
  ] as Array<[ClientId, string]>)('%s: %j', (id, existing) => {
    const c = CLIENTS[id];
    const r = c.merge(existing, a, c.render(a, ropts()));
    expect(isConflict(r) && r.reason).toMatch(/already defines/);
  });

  it.each([
    ['msmtp', 'account default : work\n'],
    ['msmtp', 'account workshop\n'],
    ['mbsync', 'IMAPAccount work2\n'],
    ['aerc', '[workshop]\n'],
    ['git-send-email', '[sendemail "personal"]\n'],
    ['s-nail', 'account workshop {\n}\n'],
  ] as Array<[ClientId, string]>)('%s: %j is not one', (id, existing) => {
    const c = CLIENTS[id];
    expect(isConflict(c.merge(existing, a, c.render(a, ropts())))).toBe(false);
  });
});

describe('property: bytes outside the block never change', () => {
  const pieces = ['# comment', '', '   ', 'set x = "y"', '[section]', 'key = value', 'IMAPAccount other',
    '# >>> mailoauth other >>>', '# <<< mailoauth other <<<', 'account personal', 'ünïcødé ✓', '\t# tab',
    '# >>> mailoauth workshop >>>', 'accounts = a, b', '=', '\\', '"\'`$()'];

  function randomFile(rand: () => number): string {
    const eolStyle = rand();
    const n = Math.floor(rand() * 12);
    let s = '';
    for (let i = 0; i < n; i++) {
      const piece = pieces[Math.floor(rand() * pieces.length)]!;
      const eol = eolStyle < 0.4 ? '\n' : eolStyle < 0.8 ? '\r\n' : rand() < 0.5 ? '\n' : '\r\n';
      s += piece + eol;
    }
    if (rand() < 0.3) s = s.replace(/\r?\n$/, ''); // no newline at the end
    return s;
  }

  it.each(CLIENT_IDS.filter((id) => id !== 'neomutt').map((id, i) => [id, 1000 + i]))(
    '%s, 300 generated files (seed %i)', (id, seed) => {
      const c = CLIENTS[id as ClientId];
      const rand = prng(seed as number);
      for (let k = 0; k < 300; k++) {
        const before = randomFile(rand);
        // offlineimap's [general] list is the one sanctioned edit outside the block: keep it out of this test.
        const file = id === 'offlineimap' ? `[general]\naccounts = x\n${before}` : before;
        const block = c.render(account(), ropts());
        const merged = ok(c.merge(file, a, block));
        const outside = outsideBlock(merged.text, 'work');
        const expectedOutside = id === 'offlineimap' ? file.replace('accounts = x', 'accounts = x, work') : file;
        // An append to a file without a final newline adds that newline (and the block then ends without one).
        const sep = expectedOutside === '' || expectedOutside.endsWith('\n') ? '' : detectEol(expectedOutside);
        expect(outside).toBe(expectedOutside + sep);
        expect(ok(c.unmerge(merged.text, 'work')).text).toBe(file);
        expect(ok(c.merge(merged.text, a, block)).changed).toBe(false);
      }
    });
});

describe('client-specific decisions', () => {
  it.each(CLIENT_IDS.map((id) => [id]))('%s refuses hostile account names before rendering', (id) => {
    for (const name of ['a;b', '$(id)', '`id`', "a'b", 'a b', 'a\nb']) {
      expect(() => CLIENTS[id].render(account({ name }), ropts())).toThrow(/can't be written/);
    }
  });

  it.each([
    [undefined, 'sslcacertfile = OS-DEFAULT'],
    ['/etc/pki/tls/certs/ca-bundle.crt', 'sslcacertfile = /etc/pki/tls/certs/ca-bundle.crt'],
    ['/opt/ca 100%.pem', 'sslcacertfile = /opt/ca 100%%.pem'],
  ])('offlineimap trusts %s: %s (offlineimap3 finds the system bundle itself)', (caFile, line) => {
    const block = CLIENTS.offlineimap.render(a, { bin: BIN, caFile });
    expect(block.split('\n')).toContain(line);
    expect(block).not.toContain('/etc/ssl/certs/ca-certificates.crt');
  });

  it.each([
    ['offlineimap', 'maildir', '/m/$HOME/x'], ['offlineimap', 'caFile', '/etc/${X}/ca.pem'],
    ['getmail', 'maildir', '/m/$HOME/x'], ['getmail', 'caFile', '/etc/${X}/ca.pem'],
  ] as Array<[ClientId, string, string]>)('%s refuses a "$" in the %s path: it expands $VARIABLES there', (id, key, path) => {
    expect(() => CLIENTS[id].render(a, ropts({ [key]: path }))).toThrow(new RegExp(`${id} expands \\$VARIABLES`));
  });

  it('getmail always names a CA file (it verifies nothing without one): --ca-file, else the system bundle, else refused', () => {
    expect(CLIENTS.getmail.render(a, ropts({ caFile: '/my/ca.pem' }))).toMatch(/^ca_certs = \/my\/ca\.pem$/m);
    expect(CLIENTS.getmail.render(a, ropts())).toMatch(/^ca_certs = \/etc\/ssl\/certs\/ca-certificates\.crt$/m);
    expect(() => CLIENTS.getmail.render(a, ropts({ systemCaFile: undefined }))).toThrow(/only against a CA file/);
  });

  it.each(['getmail', 'offlineimap'] as ClientId[])('%s refuses IMAP STARTTLS for the token', (id) => {
    const a2 = account({ imap: { host: 'imap.example.org', port: 143, tls: 'starttls' } });
    expect(() => CLIENTS[id].render(a2, ropts())).toThrow(/STARTTLS/);
  });

  it.each([
    ['implicit', 'imaps+xoauth2://me%40contoso.com@outlook.office365.com:993', 'smtps+xoauth2://me%40contoso.com@smtp.office365.com:465', false],
    ['starttls', 'imap+xoauth2://me%40contoso.com@outlook.office365.com:143', 'smtp+xoauth2://me%40contoso.com@smtp.office365.com:587', true],
  ] as const)('aerc URLs for %s TLS', (tls, source, outgoing, starttls) => {
    const a2 = account({
      imap: { host: 'outlook.office365.com', port: tls === 'implicit' ? 993 : 143, tls },
      smtp: { host: 'smtp.office365.com', port: tls === 'implicit' ? 465 : 587, tls },
    });
    const block = CLIENTS.aerc.render(a2, ropts());
    expect(block).toContain(`source = \`${source}\``);
    expect(block).toContain(`outgoing = \`${outgoing}\``);
    expect(block.includes('smtp-starttls = yes')).toBe(starttls);
  });

  it('offlineimap refuses IMAP STARTTLS: offlineimap3 would not verify the certificate', () => {
    const a2 = account({ imap: { host: 'imap.example.org', port: 143, tls: 'starttls' } });
    expect(() => CLIENTS.offlineimap.render(a2, ropts())).toThrow(/does not verify the server certificate/);
  });

  it('mutt and neomutt write the same block: sharing ~/.muttrc, the second write changes nothing', () => {
    const muttBlock = CLIENTS.mutt.render(a, ropts());
    const merged = ok(CLIENTS.mutt.merge(existingConfig('mutt'), a, muttBlock)).text;
    expect(ok(CLIENTS.neomutt.merge(merged, a, CLIENTS.neomutt.render(a, ropts()))).changed).toBe(false);
  });

  it.each([
    ['implicit', 'imaps://outlook.office365.com:993/', 'smtps://me%40contoso.com@smtp.office365.com:465/'],
    ['starttls', 'imap://outlook.office365.com:143/', 'smtp://me%40contoso.com@smtp.office365.com:587/'],
  ] as const)('muttrc URLs for %s TLS', (tls, folder, smtpUrl) => {
    const a2 = account({
      imap: { host: 'outlook.office365.com', port: tls === 'implicit' ? 993 : 143, tls },
      smtp: { host: 'smtp.office365.com', port: tls === 'implicit' ? 465 : 587, tls },
    });
    const block = CLIENTS.mutt.render(a2, ropts());
    expect(block).toContain(`set folder = "${folder}"`);
    expect(block).toContain(`set smtp_url = "${smtpUrl}"`);
  });

  it('getmail: a second account in one rc file is refused (getmail reads one [retriever] per file)', () => {
    const one = ok(CLIENTS.getmail.merge('', a, CLIENTS.getmail.render(a, ropts()))).text;
    const b2 = account({ name: 'second', email: 'two@contoso.com' });
    const r = CLIENTS.getmail.merge(one, b2, CLIENTS.getmail.render(b2, ropts()));
    expect(isConflict(r) && r.reason).toMatch(/already defines "\[retriever\]"/);
    expect(CLIENTS.getmail.defaultPath({ HOME: '/h' }, () => false, 'second')).toBe('/h/.config/getmail/getmailrc-second');
  });

  it('mbsync needs its Maildir root created first', () => {
    expect(CLIENTS.mbsync.directories?.(a, ropts())).toEqual(['~/Mail/mbsync/work']);
    expect(CLIENTS.mbsync.directories?.(a, ropts({ maildir: '/m/w/' }))).toEqual(['/m/w']);
  });
});
