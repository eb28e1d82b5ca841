import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/account.js';
import { CLIENTS } from '../../src/clients/index.js';
import { planSetup } from '../../src/setup/plan.js';

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
