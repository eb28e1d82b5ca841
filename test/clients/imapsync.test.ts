import { describe, expect, it } from 'vitest';
import { imapsyncCommand } from '../../src/clients/imapsync.js';
import { account } from './support.js';

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
