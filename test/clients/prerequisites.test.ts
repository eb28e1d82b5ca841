import { describe, expect, it } from 'vitest';
import { CLIENT_IDS, type ClientId } from '../../src/clients/client.js';
import { CLIENTS } from '../../src/clients/index.js';
import { imapsyncCommand } from '../../src/clients/imapsync.js';
import { checkPrerequisites, compareVersions, isInstalled, type Probe } from '../../src/clients/prerequisites.js';
import { systemProbe } from '../../src/clients/system-probe.js';
import { fillTemplate, templatesDir } from '../../src/clients/templates.js';
import { skipWithout } from '../helpers/tools.js';
import { account } from './support.js';

describe('defaultPath', () => {
  const env = { HOME: '/h', XDG_CONFIG_HOME: '/x' };
  it.each([
    ['offlineimap', [], '/h/.offlineimaprc'],
    ['offlineimap', ['/x/offlineimap/config'], '/x/offlineimap/config'],
    ['mbsync', [], '/h/.mbsyncrc'],
    ['mbsync', ['/x/isyncrc'], '/x/isyncrc'],
    ['mutt', [], '/h/.muttrc'],
    ['mutt', ['/x/mutt/muttrc'], '/x/mutt/muttrc'],
    ['mutt', ['/x/mutt/muttrc', '/h/.muttrc'], '/h/.muttrc'],
    ['mutt', ['/h/.mutt/muttrc'], '/h/.mutt/muttrc'],
    ['neomutt', [], '/x/neomutt/neomuttrc'],
    ['neomutt', ['/h/.muttrc'], '/h/.muttrc'],
    ['neomutt', ['/h/.muttrc', '/h/.neomuttrc'], '/h/.neomuttrc'],
    ['neomutt', ['/h/.muttrc', '/x/mutt/muttrc'], '/x/mutt/muttrc'],
    ['msmtp', [], '/h/.msmtprc'],
    ['msmtp', ['/x/msmtp/config'], '/x/msmtp/config'],
    ['msmtp', ['/x/msmtp/config', '/h/.msmtprc'], '/h/.msmtprc'],
    ['aerc', [], '/x/aerc/accounts.conf'],
    ['aerc', ['/h/Library/Preferences/aerc/accounts.conf'], '/h/Library/Preferences/aerc/accounts.conf'],
    ['getmail', [], '/x/getmail/getmailrc-work'],
    ['getmail', ['/h/.getmail'], '/h/.getmail/getmailrc-work'],
    ['getmail', ['/h/.getmail', '/x/getmail'], '/x/getmail/getmailrc-work'],
    ['git-send-email', [], '/h/.gitconfig'],
    ['git-send-email', ['/x/git/config'], '/x/git/config'],
    ['git-send-email', ['/x/git/config', '/h/.gitconfig'], '/h/.gitconfig'],
    ['s-nail', [], '/h/.mailrc'],
  ] as Array<[ClientId, string[], string]>)('%s with %j existing → %s', (id, existing, expected) => {
    expect(CLIENTS[id].defaultPath(env, (p) => existing.includes(p), 'work')).toBe(expected);
  });

  it('without XDG_CONFIG_HOME (or a relative one) ~/.config is the base', () => {
    expect(CLIENTS.neomutt.defaultPath({ HOME: '/h' }, () => false, 'work')).toBe('/h/.config/neomutt/neomuttrc');
    expect(CLIENTS.neomutt.defaultPath({ HOME: '/h', XDG_CONFIG_HOME: 'rel' }, () => false, 'work')).toBe('/h/.config/neomutt/neomuttrc');
  });
});

describe('prerequisites', () => {
  it.each([
    ['1.8.13', '1.8.9', 1], ['1.8.13', '1.8.13', 0], ['2.0', '2.0.0', 0], ['20211015', '20220429', -1],
  ])('compareVersions(%s, %s) = %i', (a, b, r) => {
    expect(compareVersions(a, b)).toBe(r);
  });

  /** A machine described by what its programs print and which directories hold what. */
  const probe = (out: Record<string, string | null>, dirs: Record<string, string[]> = {}, env = {}): Probe => ({
    run: (cmd) => (out[cmd] === undefined || out[cmd] === null ? null : { status: 0, stdout: out[cmd]!, stderr: '' }),
    listDir: (d) => dirs[d] ?? null,
    env,
  });

  it.each([
    ['msmtp', { msmtp: 'msmtp version 1.8.23\nPlatform: x86_64' }, {}, true, ''],
    ['msmtp', { msmtp: 'msmtp version 1.8.11\n' }, {}, false, 'too old: 1.8.13'],
    ['msmtp', {}, {}, false, 'not installed'],
    ['offlineimap', { offlineimap: '8.0.0\n' }, {}, true, ''],
    ['offlineimap', { offlineimap: '7.3.3\n' }, {}, false, 'too old'],
    ['mutt', { mutt: 'Mutt 2.2.12 (2023-09-09)\nCopyright' }, {}, true, ''],
    ['mutt', { mutt: 'Mutt 1.10.1 (2018-07-13)\n' }, {}, false, 'too old'],
    ['neomutt', { neomutt: 'NeoMutt 20220429\nCopyright' }, {}, true, ''],
    ['neomutt', { neomutt: 'NeoMutt 20201127\n' }, {}, false, 'too old'],
    ['neomutt', { neomutt: 'something else\n' }, {}, false, 'Could not tell'],
    ['mbsync', { mbsync: 'isync 1.4.4\n' },
      { '/usr/lib': ['x86_64-linux-gnu'], '/usr/lib/x86_64-linux-gnu/sasl2': ['libplain.so', 'libkdexoauth2.so.3'] }, true, ''],
    ['mbsync', { mbsync: 'isync 1.4.4\n' }, { '/opt/sasl': ['libxoauth2.so'] }, true, ''],
    ['mbsync', { mbsync: 'isync 1.4.4\n' },
      { '/usr/lib': ['x86_64-linux-gnu'], '/usr/lib/x86_64-linux-gnu/sasl2': ['libplain.so'] }, false, 'SASL XOAUTH2 plugin'],
    ['mbsync', { mbsync: 'isync 1.3.0\n' }, { '/usr/lib/sasl2': ['libxoauth2.so'] }, false, 'too old'],
    ['aerc', { aerc: 'aerc 0.14.0 +notmuch (go1.19.8 amd64 linux)\n' }, {}, true, ''],
    ['aerc', { aerc: 'aerc 0.13.0\n' }, {}, false, 'too old'],
    ['getmail', { getmail: 'getmail 6.18.11\n' }, {}, true, ''],
    ['getmail', { getmail: 'getmail 5.16\n' }, {}, false, 'too old'],
    ['s-nail', { 's-nail': 's-nail v14.9.24, 2022-03-26 (built for Linux)\n' }, {}, true, ''],
    ['s-nail', { 's-nail': 's-nail v14.9.11\n' }, {}, false, 'too old'],
    ['git-send-email', { git: 'git version 2.39.5\n' }, { '/usr/lib/git-core': ['git', 'git-send-email'], '/usr/bin': ['msmtp'] }, true, ''],
    ['git-send-email', { git: 'git version 2.39.5\n' }, { '/usr/lib/git-core': ['git'], '/usr/bin': ['msmtp'] }, false, 'git send-email is not installed'],
    ['git-send-email', { git: 'git version 2.39.5\n' }, { '/usr/lib/git-core': ['git-send-email'] }, false, 'msmtp is not installed'],
    ['git-send-email', { git: 'git version 2.30.2\n' }, { '/usr/lib/git-core': ['git-send-email'], '/usr/bin': ['msmtp'] }, false, 'too old: 2.33'],
  ] as Array<[ClientId, Record<string, string>, Record<string, string[]>, boolean, string]>)(
    '%s: %j → ok=%s %s', (id, out, dirs, ok, problem) => {
      const report = checkPrerequisites(CLIENTS[id].prerequisites(), probe(out, dirs, { SASL_PATH: '/opt/sasl' }));
      expect(report.ok).toBe(ok);
      const bad = report.findings.filter((f) => !f.ok);
      if (!ok) {
        expect(bad[0]?.problem).toContain(problem);
        expect(bad[0]?.install?.debian).toMatch(/apt-get install/);
        expect(bad[0]?.why).toBeTruthy();
      }
    });

  it.each([
    ['git-send-email', { git: 'git version 2.39.5\n' }, { '/usr/lib/git-core': ['git-send-email'] }, true],
    ['git-send-email', { git: 'git version 2.39.5\n' }, { '/usr/lib/git-core': ['git'] }, false],
    ['git-send-email', {}, { '/usr/lib/git-core': ['git-send-email'] }, false],
    ['mbsync', { mbsync: 'isync 1.4.4\n' }, {}, true],
    ['aerc', {}, {}, false],
  ] as Array<[ClientId, Record<string, string>, Record<string, string[]>, boolean]>)(
    'the wizard preselects %s when the program and its parts are there: %j, %j → %s', (id, out, dirs, installed) => {
      expect(isInstalled(CLIENTS[id].prerequisites(), probe(out, dirs))).toBe(installed);
    });

  it.skipIf(skipWithout('prerequisites on this machine', ['mbsync', 'msmtp', 'neomutt', 'mutt', 'offlineimap', 'aerc', 'getmail', 'git', 's-nail']))(
    'this machine (Debian packages installed): every prerequisite is met', () => {
      for (const id of CLIENT_IDS) {
        const r = checkPrerequisites(CLIENTS[id].prerequisites(), systemProbe());
        expect(r, id).toMatchObject({ ok: true });
      }
    });
});

describe('templates', () => {
  it.each([
    ['the bundle (dist/cli.js)', 'file:///pkg/dist/cli.js'],
    ['a bundle chunk', 'file:///pkg/dist/chunk-ABC.js'],
    ['the sources', 'file:///pkg/src/clients/templates.ts'],
  ])('found from %s', (_, url) => {
    expect(templatesDir(url, (p) => p === '/pkg/templates/mbsync.rc')).toBe('/pkg/templates');
  });

  it('a missing install is a clear error', () => {
    expect(() => templatesDir('file:///pkg/dist/cli.js', () => false)).toThrow(/templates not found/);
  });

  it('the real templates directory exists next to src/', () => {
    expect(templatesDir()).toMatch(/\/templates$/);
  });

  it.each([
    ['fills placeholders', 'a {{x}} b', { x: '1' }, 'a 1 b'],
    ['drops a line that is only an empty placeholder', 'a\n{{x}}\nb', { x: '' }, 'a\nb'],
    ['keeps a line with an empty placeholder among text', 'a {{x}}!', { x: '' }, 'a !'],
    ['does not re-expand values', '{{x}}', { x: '{{y}}' }, '{{y}}'],
  ])('%s', (_, t, v, out) => {
    expect(fillTemplate(t, v)).toBe(out);
  });

  it.each([
    ['unknown placeholder', '{{nope}}', {}],
    ['unused value', 'x', { extra: '1' }],
  ])('%s is a bug, reported', (_, t, v) => {
    expect(() => fillTemplate(t, v)).toThrow();
  });
});

describe('imapsync', () => {
  it.each([
    [account(), '/home/me/imapsync-token', 1, [],
      'imapsync --host1 outlook.office365.com --port1 993 --ssl1 --user1 me@contoso.com --oauthaccesstoken1 /home/me/imapsync-token'],
    [account({ email: "o'brien@contoso.com" }), '/tmp/my token', 2, ['--host1', 'old.example.org', '--user1', 'me'],
      "imapsync --host2 outlook.office365.com --port2 993 --ssl2 --user2 'o'\\''brien@contoso.com' " +
      "--oauthaccesstoken2 '/tmp/my token' --host1 old.example.org --user1 me"],
    [account({ imap: { host: 'imap.example.org', port: 143, tls: 'starttls' } }), 'tok', 1, [],
      'imapsync --host1 imap.example.org --port1 143 --tls1 --user1 me@contoso.com --oauthaccesstoken1 tok'],
  ] as const)('%#: %s', (a, file, side, other, expected) => {
    expect(imapsyncCommand(a, file, { side, otherSide: [...other] })).toBe(expected);
  });

  it('refuses a token file name with a newline', () => {
    expect(() => imapsyncCommand(account(), 'a\nb')).toThrow(/control characters/);
  });
});
