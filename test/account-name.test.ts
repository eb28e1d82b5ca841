import { describe, expect, it } from 'vitest';
import { checkAccountName, checkEmail, domainOf } from '../src/account-name.js';
import { assertAccountName } from '../src/clients/quote.js';
import { UserError } from '../src/errors.js';

describe('account names, addresses and their domains: one owner', () => {
  it.each([
    ['work', true], ['alice@contoso.example', true], ['a.b_c-d+e', true],
    ['-x', false], ['.x', false], ['a b', false], ['a;b', false], ['x'.repeat(129), false], ['', false],
  ])('account name %j → %s, for setup and for the config writers alike', (name, ok) => {
    if (ok) {
      expect(checkAccountName(name)).toBe(name);
      expect(() => assertAccountName(name)).not.toThrow();
    } else {
      expect(() => checkAccountName(name)).toThrow(UserError);
      expect(() => assertAccountName(name)).toThrow(UserError); // the writers had their own, looser copy of the rule
    }
  });
  it.each([
    ['alice@contoso.example', true], ["o'brien+mail@sub.example.org", true],
    ['@contoso.example', false], ['alice@localhost', false], ['alice@contoso.example;rm', false], ['x;id>/tmp/PWNED;@evil.example', false],
  ])('email %j → %s', (email, ok) => (ok ? expect(checkEmail(email)).toBe(email) : expect(() => checkEmail(email)).toThrow(UserError)));
  it.each([
    ['alice@Contoso.Example', 'contoso.example'],
    ['"a@b"@gmail.com', 'gmail.com'],
    ['bob@HOTMAIL.co.jp', 'hotmail.co.jp'],
  ])('domainOf(%j) = %s (after the last @, lower-cased)', (email, domain) => expect(domainOf(email)).toBe(domain));
});
