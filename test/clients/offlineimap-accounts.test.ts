import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addAccount, removeAccount } from '../../src/clients/offlineimap-accounts.js';
import { skipWithout } from '../helpers/tools.js';

/** What offlineimap itself would read as the account list (ConfigParser + its split on ","). */
function pythonAccounts(text: string): string[] | string {
  const r = spawnSync('python3', ['-c', [
    'import configparser, sys',
    'c = configparser.ConfigParser()',
    'c.read_string(sys.stdin.read())',
    'print("\\n".join(x.lstrip() for x in c.get("general", "accounts").split(",")))',
  ].join('\n')], { input: text, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trimEnd().split('\n') : `python error: ${r.stderr}`;
}

describe('[general] accounts', () => {
  it.each([
    ['no [general] at all', '[Account a]\nx = 1\n', '[general]\naccounts = work\n[Account a]\nx = 1\n'],
    ['empty file', '', '[general]\naccounts = work\n'],
    ['[general] without accounts', '[general]\nui = basic\n', '[general]\naccounts = work\nui = basic\n'],
    ['[general] as the last line, no newline', '[general]', '[general]\naccounts = work'],
    ['one account', '[general]\naccounts = a\n', '[general]\naccounts = a, work\n'],
    ['trailing blanks kept after the list', '[general]\naccounts = a, b   \n', '[general]\naccounts = a, b, work   \n'],
    ['colon delimiter, odd spacing', '[general]\nAccounts:a,b\n', '[general]\nAccounts:a,b, work\n'],
    ['CRLF', '[general]\r\naccounts = a\r\n', '[general]\r\naccounts = a, work\r\n'],
    ['no newline at end', '[general]\naccounts = a', '[general]\naccounts = a, work'],
    ['continuation lines', '[general]\naccounts = a,\n    b\nui = basic\n', '[general]\naccounts = a,\n    b, work\nui = basic\n'],
    ['comment inside the value', '[general]\naccounts = a\n\t# old: b\nui = basic\n', '[general]\naccounts = a, work\n\t# old: b\nui = basic\n'],
    ['empty value', '[general]\naccounts =\n', '[general]\naccounts = work\n'],
    ['already listed', '[general]\naccounts = work, a\n', '[general]\naccounts = work, a\n'],
    ['a name that only starts the same', '[general]\naccounts = workshop\n', '[general]\naccounts = workshop, work\n'],
    ['accounts elsewhere is not [general]', '[Account a]\naccounts = x\n[general]\nui = basic\n',
      '[Account a]\naccounts = x\n[general]\naccounts = work\nui = basic\n'],
  ])('add: %s', (_, before, after) => {
    expect(addAccount(before, 'work')).toBe(after);
  });

  it.each([
    ['no [general] at all', '[Account a]\nx = 1\n'],
    ['empty file', ''],
    ['[general] without accounts', '[general]\nui = basic\n'],
    ['one account', '[general]\naccounts = a\n'],
    ['trailing blanks', '[general]\naccounts = a, b   \n'],
    ['CRLF', '[general]\r\naccounts = a\r\n'],
    ['no newline at end', '[general]\naccounts = a'],
    ['continuation lines', '[general]\naccounts = a,\n    b\nui = basic\n'],
    ['comment inside the value', '[general]\naccounts = a\n\t# old: b\nui = basic\n'],
  ])('remove undoes add byte for byte: %s', (_, before) => {
    expect(removeAccount(addAccount(before, 'work'), 'work')).toBe(before);
  });

  it.each([
    ['first of several', '[general]\naccounts = work, a, b\n', '[general]\naccounts = a, b\n'],
    ['middle', '[general]\naccounts = a, work, b\n', '[general]\naccounts = a, b\n'],
    ['first on a continuation line', '[general]\naccounts = a,\n  work, b\n', '[general]\naccounts = a,\n  b\n'],
    ['absent', '[general]\naccounts = a\n', '[general]\naccounts = a\n'],
    ['only a similar name', '[general]\naccounts = workshop, a\n', '[general]\naccounts = workshop, a\n'],
    ['alone on a continuation line: left to the user', '[general]\naccounts = a,\n  work\n', undefined],
  ])('remove: %s', (_, before, after) => {
    expect(removeAccount(before, 'work')).toBe(after);
  });

  describe.skipIf(skipWithout('offlineimap accounts vs ConfigParser', ['python3']))('read back by Python ConfigParser', () => {
    it.each([
      ['[general]\naccounts = a\n', ['a', 'work']],
      ['[general]\naccounts = a,\n    b\nui = basic\n', ['a', 'b', 'work']],
      ['[general]\naccounts = a\n\t# old: b\nui = basic\n', ['a', 'work']],
      ['[general]\r\naccounts = a,b\r\n', ['a', 'b', 'work']],
      ['', ['work']],
    ])('%j + work', (before, expected) => {
      expect(pythonAccounts(addAccount(before, 'work'))).toEqual(expected);
    });
  });
});
