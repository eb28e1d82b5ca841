import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { CLIENTS } from '../../src/clients/index.js';
import { planSetup } from '../../src/setup/plan.js';
import type { ClientId } from '../../src/clients/client.js';

describe('client blocks for a Gmail account use Gmail\'s hosts by default', () => {
  const a = { ...planSetup({ email: 'someone@gmail.com', name: 'gmail' }, {}, 'linux').account, createdAt: '2025-01-01T00:00:00.000Z' } as Account;
  const opts = { bin: '/usr/local/bin/mailoauth' };
  it.each([
    ['offlineimap', [/remotehost = imap\.gmail\.com/, /remoteport = 993/, /ssl = yes/, /remoteuser = someone@gmail\.com/, /auth_mechanisms = XOAUTH2/]],
    ['mbsync', [/^Host imap\.gmail\.com$/m, /^Port 993$/m, /^SSLType IMAPS$/m, /^User "?someone@gmail\.com"?$/m]],
    ['mutt', [/imaps:\/\/imap\.gmail\.com:993\//, /smtps:\/\/someone%40gmail\.com@smtp\.gmail\.com:465\//]],
    ['neomutt', [/imaps:\/\/imap\.gmail\.com:993\//, /smtps:\/\/someone%40gmail\.com@smtp\.gmail\.com:465\//]],
    ['msmtp', [/^host smtp\.gmail\.com$/m, /^port 465$/m, /^tls_starttls off$/m, /^auth xoauth2$/m, /^from "someone@gmail\.com"$/m]],
  ] as const)('%s', (id, patterns) => {
    const block = CLIENTS[id].render(a, opts);
    for (const p of patterns) expect(block).toMatch(p);
    expect(block).toContain('/usr/local/bin/mailoauth');
    expect(block).not.toMatch(/office365|outlook/);
  });
});

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
