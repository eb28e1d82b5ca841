import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/account.js';
import { mailUrl } from '../../src/clients/mail-url.js';

const imaps: Endpoint = { host: 'outlook.office365.com', port: 993, tls: 'implicit' };
const imapStarttls: Endpoint = { host: 'imap.example.org', port: 143, tls: 'starttls' };
const smtpStarttls: Endpoint = { host: 'smtp.office365.com', port: 587, tls: 'starttls' };
const smtps: Endpoint = { host: 'smtp.gmail.com', port: 465, tls: 'implicit' };

describe('mailUrl: the scheme by TLS mode, an optional +mechanism, the user percent-encoded', () => {
  it.each([
    ['IMAP over TLS, no user (mutt folder)', 'imap', imaps, {}, 'imaps://outlook.office365.com:993'],
    ['IMAP with STARTTLS', 'imap', imapStarttls, {}, 'imap://imap.example.org:143'],
    ['SMTP with STARTTLS and a user (mutt smtp_url, s-nail mta)', 'smtp', smtpStarttls, { user: 'alice@contoso.com' }, 'smtp://alice%40contoso.com@smtp.office365.com:587'],
    ['SMTP over TLS', 'smtp', smtps, { user: 'bob@gmail.com' }, 'smtps://bob%40gmail.com@smtp.gmail.com:465'],
    ['aerc: the mechanism after the scheme', 'imap', imaps, { user: 'alice@contoso.com', mechanism: 'xoauth2' }, 'imaps+xoauth2://alice%40contoso.com@outlook.office365.com:993'],
    ['aerc, STARTTLS and OAUTHBEARER', 'smtp', smtpStarttls, { user: 'a@b.example', mechanism: 'oauthbearer' }, 'smtp+oauthbearer://a%40b.example@smtp.office365.com:587'],
    ['a user with characters a URL would read as syntax', 'smtp', smtpStarttls, { user: 'o\'brien+tag/x:y@ex.org' }, 'smtp://o%27brien%2Btag%2Fx%3Ay%40ex.org@smtp.office365.com:587'],
  ] as const)('%s', (_, protocol, e, o, want) => {
    expect(mailUrl(protocol, e, o)).toBe(want);
  });
});
