import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import type { SaslMechanism } from '../../src/auth/sasl.js';
import { CLIENT_IDS, CLIENTS, type ClientId } from '../../src/clients/index.js';
import { programsThatCan, saslGaps, saslRefusal } from '../../src/clients/sasl-support.js';
import { UserError } from '../../src/errors.js';
import { account, ropts } from './support.js';

const BOTH: SaslMechanism[] = ['xoauth2', 'oauthbearer'];
const X: SaslMechanism[] = ['xoauth2'];

describe('what each program speaks (Debian 12 versions; docs/real-services.md "Mail programs")', () => {
  const rows: Array<[ClientId, Partial<Record<'imap' | 'smtp', SaslMechanism[]>>]> = [
    ['offlineimap', { imap: X }],
    ['mbsync', { imap: X }],
    ['mutt', { imap: BOTH, smtp: BOTH }],
    ['neomutt', { imap: X, smtp: X }],
    ['msmtp', { smtp: BOTH }],
    ['aerc', { imap: BOTH, smtp: BOTH }],
    ['getmail', { imap: X }],
    ['git-send-email', { smtp: BOTH }],
    ['s-nail', { imap: X, smtp: X }],
  ];
  it('every client is in the table', () => expect(rows.map(([id]) => id).sort()).toEqual([...CLIENT_IDS].sort()));
  it.each(rows)('%s', (id, speaks) => expect(CLIENTS[id].speaks).toEqual(speaks));
});

describe('a program that cannot log in the way the servers need is refused', () => {
  const bearer = (sasl: Account['sasl']) => account({ sasl });
  it.each<[string, Account['sasl'], ClientId[]]>([
    ['XOAUTH2 everywhere (no "sasl"): every program', undefined, [...CLIENT_IDS]],
    ['OAUTHBEARER for IMAP and SMTP', { imap: 'oauthbearer', smtp: 'oauthbearer' }, ['mutt', 'msmtp', 'aerc', 'git-send-email']],
    ['OAUTHBEARER for IMAP only', { imap: 'oauthbearer' }, ['mutt', 'msmtp', 'aerc', 'git-send-email']],
    ['OAUTHBEARER for SMTP only: the IMAP-only programs still work', { smtp: 'oauthbearer' }, ['offlineimap', 'mbsync', 'mutt', 'msmtp', 'aerc', 'getmail', 'git-send-email']],
  ])('%s', (_, sasl, ok) => {
    expect(CLIENT_IDS.filter((id) => saslGaps(CLIENTS[id], bearer(sasl)).length === 0)).toEqual(ok);
  });

  it('the refusal names the program, what the server needs, what the program speaks, and the programs that can', () => {
    const a = account({ imap: { host: 'imap.mail.yahoo.com', port: 993, tls: 'implicit' }, sasl: { imap: 'oauthbearer', smtp: 'oauthbearer' } });
    const e = saslRefusal('offlineimap', a);
    expect(e).toBeInstanceOf(UserError);
    expect(e?.exitCode).toBe(2);
    expect(e?.message).toBe("offlineimap cannot log in: work's IMAP server (imap.mail.yahoo.com:993) needs OAUTHBEARER, and offlineimap speaks only XOAUTH2 to IMAP servers. No offlineimap block was written.");
    expect(e?.fix).toBe('Programs that can: mutt, aerc — e.g. mailoauth config work --client mutt --write');
    expect(saslRefusal('s-nail', a)?.message).toMatch(/IMAP server .* needs OAUTHBEARER, and s-nail speaks only XOAUTH2 to IMAP servers; work's SMTP server \(smtp\.office365\.com:587\) needs OAUTHBEARER/);
    expect(saslRefusal('mutt', a)).toBeUndefined();
    expect(saslRefusal('neomutt', a)?.message).toMatch(/needs OAUTHBEARER, and neomutt speaks only XOAUTH2 to IMAP servers/);
  });

  it('programs that can: each speaks every needed mechanism to that server', () => {
    expect(programsThatCan([{ protocol: 'smtp', needs: 'oauthbearer', speaks: X }])).toEqual(['mutt', 'msmtp', 'aerc', 'git-send-email']);
    expect(programsThatCan([{ protocol: 'imap', needs: 'oauthbearer', speaks: X }, { protocol: 'smtp', needs: 'oauthbearer', speaks: X }])).toEqual(['mutt', 'aerc']);
  });
});

describe('blocks render the account\'s mechanism', () => {
  const a = account({ sasl: { imap: 'oauthbearer', smtp: 'oauthbearer' } });
  it('mutt and neomutt: imap_authenticators / smtp_authenticators', () => {
    for (const id of ['mutt', 'neomutt'] as const) {
      const block = CLIENTS[id].render(a, ropts());
      expect(block).toContain('set imap_authenticators = "oauthbearer"');
      expect(block).toContain('set smtp_authenticators = "oauthbearer"');
      expect(CLIENTS[id].render(account({ sasl: { smtp: 'oauthbearer' } }), ropts())).toContain('set imap_authenticators = "xoauth2"');
    }
  });
  it('msmtp: auth oauthbearer', () => {
    expect(CLIENTS.msmtp.render(a, ropts())).toMatch(/^auth oauthbearer$/m);
    expect(CLIENTS.msmtp.render(account(), ropts())).toMatch(/^auth xoauth2$/m);
  });
  it.each([
    ['implicit', 'starttls', 'source = `imaps+oauthbearer://', 'outgoing = `smtp+oauthbearer://'],
    ['starttls', 'implicit', 'source = `imap+oauthbearer://', 'outgoing = `smtps+oauthbearer://'],
  ] as const)('aerc: IMAP %s, SMTP %s → the TLS mode\'s scheme + oauthbearer', (imapTls, smtpTls, source, outgoing) => {
    const block = CLIENTS.aerc.render({ ...a, imap: { ...a.imap, tls: imapTls }, smtp: { ...a.smtp, tls: smtpTls } }, ropts());
    expect(block).toContain(source);
    expect(block).toContain(outgoing);
  });
  it('an account without "sasl" renders exactly as before (XOAUTH2): blocks already written stay untouched', () => {
    expect(CLIENTS.aerc.render(account(), ropts())).toContain('source = `imaps+xoauth2://');
    expect(CLIENTS.mutt.render(account(), ropts())).toContain('set smtp_authenticators = "xoauth2"');
  });
});
