import { describe, expect, it } from 'vitest';
import { THUNDERBIRD_GOOGLE_CLIENT_ID } from '../../src/providers/table.js';
import type { Probe } from '../../src/clients/prerequisites.js';
import { clientFindings, providerNotes } from '../../src/diagnose/doctor.js';

const OWN_ID = '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com';

describe('doctor: provider notes', () => {
  it('an own client gets the 7-day "Testing" warning; Thunderbird\'s does not', () => {
    expect(providerNotes({ provider: 'google', clientId: THUNDERBIRD_GOOGLE_CLIENT_ID })).toEqual([]);
    expect(providerNotes({ provider: 'microsoft365', clientId: OWN_ID })).toEqual([]);
    const [f] = providerNotes({ provider: 'google', clientId: OWN_ID });
    expect(f).toMatchObject({ level: 'warn', check: 'own client' });
    expect(f!.detail).toMatch(/"Testing" publishing status, Google expires its refresh tokens after 7 days/);
  });
});

describe('doctor: mail clients', () => {
  const fakeProbe = (programs: Record<string, string>, saslDir: string[] = []): Probe => ({
    run: (cmd) => (cmd in programs ? { status: 0, stdout: programs[cmd]!, stderr: '' } : null),
    listDir: (p) => (p === '/usr/lib' ? ['x86_64-linux-gnu'] : p === '/usr/lib/x86_64-linux-gnu/sasl2' ? saslDir : null),
    env: {},
  });

  it('installed and fine, too old, plugin missing, not installed', () => {
    const f = clientFindings(fakeProbe({ msmtp: 'msmtp version 1.8.11\n', mbsync: 'isync 1.4.4\n', neomutt: 'NeoMutt 20220429\n' }), 'linux');
    const by = (check: string) => f.filter((x) => x.check === check);
    expect(by('neomutt')).toEqual([{ level: 'ok', check: 'neomutt', detail: 'neomutt 20220429' }]);
    expect(by('msmtp')[0]).toMatchObject({ level: 'warn', detail: expect.stringMatching(/1\.8\.11 is too old/) });
    expect(by('mbsync')[0]).toMatchObject({ level: 'warn', detail: expect.stringMatching(/SASL XOAUTH2 plugin is not installed/), fix: expect.stringMatching(/libsasl2-modules-kdexoauth2/) });
    expect(by('not installed')[0]).toMatchObject({ level: 'ok', detail: 'offlineimap, mutt, aerc, getmail, git-send-email, s-nail' });
    expect(f.some((x) => x.level === 'fail')).toBe(false);
  });

  it('the mbsync plugin found (libxoauth2 or KDE\'s libkdexoauth2)', () => {
    for (const lib of ['libxoauth2.so.0.0.0', 'libkdexoauth2.so']) {
      const f = clientFindings(fakeProbe({ mbsync: 'isync 1.4.4\n' }, [lib]), 'linux');
      expect(f.find((x) => x.check === 'mbsync')).toMatchObject({ level: 'ok', detail: 'mbsync 1.4.4; Cyrus SASL XOAUTH2 plugin found' });
    }
  });

  it('nothing installed: one warning', () => {
    expect(clientFindings(fakeProbe({}), 'linux')).toEqual([expect.objectContaining({ level: 'warn', check: 'clients' })]);
  });
});
