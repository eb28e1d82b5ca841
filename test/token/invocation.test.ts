import { describe, expect, it } from 'vitest';
import { tokenInvocation } from '../../src/token/invocation.js';

describe('tokenInvocation: which calls take the commander-free hot path', () => {
  it.each([
    [['token', 'work'], { name: 'work', xoauth2: false, json: false, debug: false }],
    [['token', 'work', '--xoauth2'], { name: 'work', xoauth2: true, json: false, debug: false }],
    [['--debug', 'token', 'a@b.c', '--json'], { name: 'a@b.c', xoauth2: false, json: true, debug: true }],
    [['token'], undefined],
    [['token', 'a', 'b'], undefined],
    [['token', 'a', '--help'], undefined],
    [['token', 'a', '--bogus'], undefined],
    [['token', 'a', '--json', '--xoauth2'], undefined],
    [['setup', 'a'], undefined],
    [[], undefined],
  ])('%j', (argv, want) => expect(tokenInvocation(argv)).toEqual(want));
});
