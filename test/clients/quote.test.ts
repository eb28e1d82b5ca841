import { spawnSync } from 'node:child_process';
import { userError } from '../helpers/user-error.js';
import { describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/errors.js';
import {
  assertAccountName, assertLogin, assertSafePath, iniValue, mbsyncString, msmtpArg, muttString, pythonStr,
  shellCommand, shellQuote, urlUserinfo,
} from '../../src/clients/quote.js';
import { assertRenderable } from '../../src/clients/validate.js';
import { skipWithout } from '../helpers/tools.js';
import { account, BIN } from './support.js';

/** Strings that break naive quoting in at least one of the target languages. */
const HOSTILE = ['plain', 'with space', "it's", '$(touch pwned)', '`id`', 'a;b', 'a\\b', '$HOME', '${x}', '%s%%',
  '-n', '', '*', '~', 'a\tb', 'ünï ✓', '!!', '#x', 'a&&b', '>out', "'\\''"];

describe('shellQuote', () => {
  it.each([
    ['/usr/local/bin/mailoauth', '/usr/local/bin/mailoauth'],
    ['work@contoso.com', 'work@contoso.com'],
    ['my dir', "'my dir'"],
    ["it's", "'it'\\''s'"],
    ['', "''"],
    ['$(x)', "'$(x)'"],
  ])('%j → %s', (arg, quoted) => {
    expect(shellQuote(arg)).toBe(quoted);
  });

  it.skipIf(skipWithout('shellQuote through sh', ['sh']))('sh gives back every argument unchanged', () => {
    const cmd = `printf '%s\\0' ${shellCommand(HOSTILE)}`;
    const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });
});

describe('pythonStr', () => {
  it.skipIf(skipWithout('pythonStr through python3', ['python3']))('python3 evaluates every literal to the original', () => {
    const src = `import sys, json\nsys.stdout.write(json.dumps([${HOSTILE.filter((s) => !s.includes('\t')).map(pythonStr).join(', ')}]))`;
    const r = spawnSync('python3', ['-c', src], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(HOSTILE.filter((s) => !s.includes('\t')));
  });

  it('refuses control characters (callers validate first)', () => {
    expect(() => pythonStr('a\nb')).toThrow(/control/);
  });
});

describe('config-language strings', () => {
  it.each([
    [muttString, 'a"b\\c`d$e', '"a\\"b\\\\c\\`d\\$e"'],
    [mbsyncString, 'a"b\\c`d$e', '"a\\"b\\\\c`d$e"'],
    [msmtpArg, "a'b\\c`d$e", '"a\'b\\c`d$e"'],
    [iniValue, '50% of %(x)s', '50%% of %%(x)s'],
    [urlUserinfo, "o'brien+x@contoso.com", 'o%27brien%2Bx%40contoso.com'],
  ] as Array<[(s: string) => string, string, string]>)('%o(%j) → %s', (fn, input, out) => {
    expect(fn(input)).toBe(out);
  });

  it('msmtp has no escape for a double quote: refused', () => {
    expect(() => msmtpArg('a"b')).toThrow();
  });
});

describe('validation', () => {
  it.each(['work', 'me@contoso.com', 'a.b_c-d+e@f', 'W0rk'])('account name %j is allowed', (name) => {
    expect(() => assertAccountName(name)).not.toThrow();
  });

  it.each(['', 'with space', 'a;b', '$(x)', '`id`', "o'b", 'a"b', 'a\nb', 'a/b', 'a:b', 'ü', '*', '#'])(
    'account name %j is refused with a usage error and a fix', (name) => {
      const e = userError(() => assertAccountName(name));
      expect(e.exitCode).toBe(ExitCode.Usage);
      expect(e.fix).toMatch(/--name/);
    });

  it.each([
    ['/usr/local/bin/mailoauth', true],
    ['/opt/my tools/$HOME/`x`;(y)\\z/mailoauth', true],
    ['/opt/o\'brien/mailoauth', false],
    ['/opt/"x"/mailoauth', false],
    ['/opt/a\nb/mailoauth', false],
    ['/opt/a\u0007b/mailoauth', false],
    ['/opt/a\u2028b/mailoauth', false],
    ['relative/mailoauth', false],
    ['~/bin/mailoauth', false],
  ])('program path %j allowed: %s', (path, allowed) => {
    if (allowed) expect(() => assertSafePath(path, 'mailoauth program')).not.toThrow();
    else expect(userError(() => assertSafePath(path, 'mailoauth program')).exitCode).toBe(ExitCode.Usage);
  });

  it('a Maildir may start with ~/ (the clients expand it)', () => {
    expect(() => assertSafePath('~/Mail/work', 'Maildir', { allowTilde: true })).not.toThrow();
  });

  it.each([
    ["o'brien@contoso.com", true],
    ['me+tag@contoso.com', true],
    ['a b@contoso.com', false],
    ['a"b@contoso.com', false],
    ['a\\b@contoso.com', false],
    ['me@contoso.com\nset x', false],
    ['me@con;toso.com', false],
    ['nobody', false],
  ])('login %j allowed: %s', (email, allowed) => {
    if (allowed) expect(() => assertLogin(email)).not.toThrow();
    else expect(userError(() => assertLogin(email)).exitCode).toBe(ExitCode.Usage);
  });

  it.each([
    ['IMAP host', { imap: { host: 'evil.com; rm -rf ~', port: 993, tls: 'implicit' as const } }],
    ['IMAP port', { imap: { host: 'h', port: 0, tls: 'implicit' as const } }],
    ['SMTP host', { smtp: { host: 'a b', port: 587, tls: 'starttls' as const } }],
    ['SMTP port', { smtp: { host: 'h', port: 70000, tls: 'starttls' as const } }],
  ])('renders refuse a bad %s', (_, over) => {
    expect(userError(() => assertRenderable(account(over), { bin: BIN })).exitCode).toBe(ExitCode.Usage);
  });
});
