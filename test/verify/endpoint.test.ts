import { Writable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import type { Probe } from '../../src/clients/prerequisites.js';
import { clientFindings } from '../../src/commands/doctor.js';
import { formatTable, listRow } from '../../src/commands/list.js';
import { loginExit, protocolsFor } from '../../src/commands/verify.js';
import { appRegistrationHelp } from '../../src/diagnose/app-help.js';
import { exitFor, formatFindings, type Finding } from '../../src/diagnose/finding.js';
import { ExitCode, UserError } from '../../src/errors.js';
import { startSpinner } from '../../src/ui/spinner.js';
import { resolveEndpoint, trustedCas, withDeadline } from '../../src/verify/endpoint.js';
import { portFlag, timeoutFlag } from '../../src/verify/flags.js';
import type { LoginResult } from '../../src/verify/login.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

const account = (o: Partial<Account> = {}): Account => ({
  name: 'work', email: 'alice@contoso.example', provider: 'microsoft365', clientId: 'c', tenant: 'organizations',
  authority: 'https://login.microsoftonline.com/organizations', scopes: [], store: 'keychain',
  imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
  createdAt: new Date(NOW - 100 * DAY).toISOString(), ...o,
});

describe('endpoint from account and flags', () => {
  const a = account();
  it.each([
    ['imap', {}, { host: 'outlook.office365.com', port: 993, tls: 'implicit' }],
    ['imap', { host: 'localhost', port: 10993 }, { host: 'localhost', port: 10993, tls: 'implicit' }],
    ['imap', { port: 143 }, { host: 'outlook.office365.com', port: 143, tls: 'starttls' }],
    ['smtp', { port: 465 }, { host: 'smtp.office365.com', port: 465, tls: 'implicit' }],
    ['smtp', { port: 2525 }, { host: 'smtp.office365.com', port: 2525, tls: 'starttls' }],
    ['smtp', { port: 465, tls: 'starttls' as const }, { host: 'smtp.office365.com', port: 465, tls: 'starttls' }],
  ] as const)('%s %o', (p, o, want) => {
    expect(resolveEndpoint(p, a[p], o)).toEqual(want);
  });

  it('no extra CA: Node\'s default store (system + NODE_EXTRA_CA_CERTS) is left alone', () => {
    expect(trustedCas(undefined, {})).toBeUndefined();
    const cas = trustedCas('PEM', {})!;
    expect(cas.at(-1)).toBe('PEM');
    expect(cas.length).toBe(rootCertificates.length + 1);
  });

  it('flags: ports and timeouts are checked', () => {
    expect(portFlag('993', '--imap-port')).toBe(993);
    expect(portFlag(undefined, '--imap-port')).toBeUndefined();
    expect(() => portFlag('99999', '--imap-port')).toThrow(UserError);
    expect(timeoutFlag(undefined, {})).toBe(20_000);
    expect(timeoutFlag(undefined, { MAILOAUTH_VERIFY_TIMEOUT_MS: '700' })).toBe(700);
    expect(timeoutFlag('1500', {})).toBe(1500);
    expect(() => timeoutFlag('soon', {})).toThrow(/--timeout-ms/);
  });

  it('withDeadline rejects with VERIFY_TIMEOUT and runs the cleanup', async () => {
    let cleaned = false;
    const never = new Promise<never>(() => {});
    await expect(withDeadline(never, 30, 'h:1', () => (cleaned = true))).rejects.toMatchObject({ code: 'VERIFY_TIMEOUT', message: 'no answer from h:1 within 30 ms' });
    expect(cleaned).toBe(true);
    await expect(withDeadline(Promise.resolve(7), 1000, 'h:1', () => {})).resolves.toBe(7);
  });
});

describe('verify decisions', () => {
  it.each([
    [{}, ['imap', 'smtp']],
    [{ imap: true }, ['imap']],
    [{ smtp: true }, ['smtp']],
    [{ imap: true, smtp: true }, ['imap', 'smtp']],
    [{ sendTest: 'x@example.org' }, ['smtp']],
    [{ imap: true, sendTest: 'x@example.org' }, ['imap', 'smtp']],
  ])('%o → %o', (o, want) => {
    expect(protocolsFor(o)).toEqual(want);
  });

  const ep = { host: 'h', port: 1, tls: 'implicit' as const };
  const failed = (exit: ExitCode): LoginResult => ({ protocol: 'imap', ok: false, endpoint: ep, ms: 1, diagnosis: { id: 'x', exit, cause: '', fix: '', said: '', fromServer: true } });
  const ok: LoginResult = { protocol: 'smtp', ok: true, endpoint: ep, ms: 1, smtp: { ...ep, authenticated: true } };
  it.each([
    [[ok], ExitCode.Ok],
    [[failed(ExitCode.Unavailable), ok], ExitCode.Unavailable],
    [[failed(ExitCode.Unavailable), failed(ExitCode.LoginRejected)], ExitCode.LoginRejected],
    [[failed(ExitCode.Unexpected)], ExitCode.Unexpected],
  ])('exit code of %#', (results, want) => {
    expect(loginExit(results)).toBe(want);
  });
});

describe('findings', () => {
  const rows: Finding[] = [
    { level: 'ok', check: 'keychain', detail: 'reachable' },
    { level: 'warn', check: 'token user', detail: 'bob', fix: 'reauth' },
    { level: 'fail', check: 'IMAP login', detail: 'refused', fix: 'Set-CASMailbox', exit: ExitCode.LoginRejected },
    { level: 'fail', check: 'SMTP login', detail: 'down', exit: ExitCode.Unavailable },
  ];
  it('exit code: the first failure (cause before effect), 0 when only ok/warn', () => {
    expect(exitFor(rows)).toBe(ExitCode.LoginRejected);
    expect(exitFor(rows.slice(0, 2))).toBe(ExitCode.Ok);
  });
  it('one line per finding, the fix under anything not ok', () => {
    expect(formatFindings(rows.slice(0, 3))).toBe(
      'ok    keychain: reachable\nwarn  token user: bob\n        fix: reauth\nFAIL  IMAP login: refused\n        fix: Set-CASMailbox\n');
  });
});

describe('list rows', () => {
  it.each([
    ['used today', { lastRefreshAt: new Date(NOW - 3600_000).toISOString() }, 0, false],
    ['75 days: 15 days left, no warning yet', { lastRefreshAt: new Date(NOW - 75 * DAY).toISOString() }, 75, false],
    ['76 days: 14 days left, warning', { lastRefreshAt: new Date(NOW - 76 * DAY).toISOString() }, 76, true],
    ['never refreshed: age from sign-in', {}, 100, true],
  ])('%s', (_, change, days, warn) => {
    const r = listRow(account(change), { state: 'valid', expiresAt: NOW + 3000_000 }, NOW);
    expect(r.refreshTokenAgeDays).toBe(days);
    expect(r.reauthBasis).toBe('idle');
    expect(r.warnings.length > 0).toBe(warn);
    if (warn) expect(r.warnings[0]).toMatch(/^work must be signed in again (by|now).*unused for 90 days.*mailoauth refresh work/);
  });

  it('no recorded sign-in or refresh time: age and re-auth date unknown, no warning', () => {
    const r = listRow(account({ createdAt: undefined as unknown as string }), { state: 'none' }, NOW);
    expect(r).toMatchObject({ refreshTokenAgeDays: null, refreshTokenLastUsedAt: null, reauthBy: null, reauthBasis: 'unknown', warnings: [] });
    expect(formatTable([r], NOW)).toMatch(/none stored \(fetched on next use\)\s+unknown\s+unknown\n$/);
  });

  it('the table: one row per account, token expiry in words, the re-auth date', () => {
    const rows = [
      listRow(account({ lastRefreshAt: new Date(NOW).toISOString() }), { state: 'valid', expiresAt: NOW + 50 * 60_000 }, NOW),
      listRow(account({ name: 'old', email: 'old@contoso.example' }), { state: 'expired', expiresAt: NOW - 3 * 3600_000 }, NOW),
      listRow(account({ name: 'nokey' }), { state: 'keychain-unavailable' }, NOW),
      listRow(account({ name: 'team', email: 'team@contoso.example', delegate: 'alice@contoso.example' }), { state: 'none' }, NOW),
    ];
    const lines = formatTable(rows, NOW).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+PROVIDER\s+EMAIL\s+ACCESS TOKEN\s+REFRESH TOKEN LAST USED\s+SIGN IN AGAIN BY$/);
    expect(lines[1]).toMatch(/^work\s+microsoft365\s+alice@contoso\.example\s+in 50 min\s+today\s+2025-08-30 \(in 90 days\)$/);
    expect(lines[2]).toMatch(/expired 3 h ago \(renewed on next use\)\s+100 days ago\s+2025-05-22 \(overdue\) \(soon!\)$/);
    expect(lines[3]).toMatch(/keychain unavailable/);
    expect(lines[4]).toMatch(/^team\s+microsoft365\s+team@contoso\.example \(as alice@contoso\.example\)\s+none stored/);
    expect(rows[3]!.signedInAs).toBe('alice@contoso.example');
    expect(rows[0]!.signedInAs).toBeNull();
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

describe('app registration help', () => {
  it('names the platform, redirects, public client flows, delegated permissions and the consent URL', () => {
    const t = appRegistrationHelp({ authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555' });
    for (const s of ['Mobile and desktop applications', 'http://localhost', 'http://127.0.0.1', 'Allow public client flows',
      'IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access',
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=11111111-2222-3333-4444-555555555555']) {
      expect(t).toContain(s);
    }
    expect(appRegistrationHelp()).toContain('https://login.microsoftonline.com/TENANT/adminconsent?client_id=CLIENT_ID');
  });

  it('for a Google account: Google Cloud console steps (consent screen, Desktop app client, the Gmail scope, "In production"), nothing of Microsoft\'s', () => {
    const t = appRegistrationHelp({ provider: 'google', email: 'someone@gmail.com', clientId: '123-abc.apps.googleusercontent.com' });
    for (const s of ['Google Cloud console', 'OAuth consent screen', '"Desktop app"', 'https://mail.google.com/', '"In production"', '7 days',
      'mailoauth setup --email someone@gmail.com --client-id 123-abc.apps.googleusercontent.com --client-secret-env MY_GOOGLE_SECRET',
      'End User Access → POP and IMAP access']) {
      expect(t).toContain(s);
    }
    expect(t).not.toMatch(/Entra|Set-CASMailbox|IMAP\.AccessAsUser|adminconsent/);
  });
});

describe('spinner', () => {
  const sink = () => {
    let text = '';
    const w = new Writable({ write(c, _e, cb) { text += c.toString(); cb(); } });
    return { w, text: () => text };
  };
  it('silent when stderr is not a terminal', () => {
    const s = sink();
    const sp = startSpinner(s.w, false, 'waiting');
    sp.stop();
    expect(s.text()).toBe('');
  });
  it('on a terminal: draws frames with the label, erases the line when stopped', async () => {
    const s = sink();
    const sp = startSpinner(s.w, true, 'IMAP: logging in');
    await new Promise((r) => setTimeout(r, 200));
    sp.text('SMTP: logging in');
    await new Promise((r) => setTimeout(r, 100));
    sp.stop();
    sp.stop();
    const out = s.text();
    expect(out).toMatch(/^\r\x1b\[2K. IMAP: logging in/);
    expect(out).toContain('SMTP: logging in');
    expect(out.endsWith('\r\x1b[2K')).toBe(true);
    const after = out.length;
    await new Promise((r) => setTimeout(r, 120));
    expect(s.text().length).toBe(after);
  });
});
