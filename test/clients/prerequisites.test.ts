import { describe, expect, it } from 'vitest';
import { CLIENT_IDS, type ClientId } from '../../src/clients/client.js';
import { CLIENTS } from '../../src/clients/index.js';
import { checkPrerequisites, compareVersions, isInstalled, type Probe } from '../../src/clients/prerequisites.js';
import { systemProbe } from '../../src/clients/system-probe.js';
import { skipWithout } from '../helpers/tools.js';

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
        const r = checkPrerequisites(CLIENTS[id].prerequisites(), systemProbe(process.env));
        expect(r, id).toMatchObject({ ok: true });
      }
    });
});
