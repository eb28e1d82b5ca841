import { describe, expect, it } from 'vitest';
import { parseAccounts } from '../../src/store/accounts.js';

/** One accounts.json with a valid account, fields overridden. */
const entry = (over: Record<string, unknown>) => JSON.stringify({ version: 1, accounts: [{
  name: 'w', email: 'a@b.example', clientId: 'c', authority: 'https://login.example/t', provider: 'microsoft365', store: 'keychain',
  imap: { host: 'imap.example', port: 993, tls: 'implicit' }, smtp: { host: 'smtp.example', port: 587, tls: 'starttls' }, ...over,
}] });

describe('accounts.json parsing', () => {
  it.each([
    ['{', /cannot be read/],
    ['[]', /not a mailoauth accounts file/],
    ['{"version":1,"accounts":[{"name":"x"}]}', /missing/],
    // Values setup would have refused as flags: never rendered into anyone's config.
    [entry({ email: 'x;id>/tmp/PWNED;@evil.example' }), /account "w": "x;id>\/tmp\/PWNED;@evil\.example" is not an email address/],
    [entry({ name: '$(reboot)' }), /cannot be an account name/],
    [entry({ delegate: 'a b@c.d' }), /is not an email address/],
    [entry({ imap: { host: 'h;rm -rf ~', port: 993, tls: 'implicit' } }), /IMAP host "h;rm -rf ~" is not a host name/],
    [entry({ smtp: { host: 'smtp.example', port: '587', tls: 'starttls' } }), /SMTP port 587 is not a TCP port/],
    [entry({ smtp: { host: 'smtp.example', port: 587, tls: 'none' } }), /SMTP TLS mode "none"/],
    [entry({ store: 'plaintext' }), /the store "plaintext"/],
  ])('%s → clear exit-2 error naming the file', (text, msg) => {
    expect(() => parseAccounts(text, '/h/.config/mailoauth/accounts.json')).toThrow(msg);
  });
});
