import { spawnSync } from 'node:child_process';
import { userError } from '../helpers/user-error.js';
import { describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../../src/errors.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertAccountName, assertLogin, assertSafePath, gitConfigString, goIniRaw, iniValue, mbsyncString, msmtpArg, muttString, pythonStr,
  pythonTuple, shellCommand, shellQuote, snailString, urlUserinfo,
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

describe('the new clients\' syntaxes, read back by the real parsers', () => {
  const NO_TAB = HOSTILE.filter((h) => !h.includes('\t'));

  it.skipIf(skipWithout('gitConfigString through git config', ['git']))('git config --get gives back every value (quotes, # and ; included)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mailoauth-quote-')), 'gitconfig');
    const values = [...NO_TAB, 'a"b', '#not a comment', 'x ; y'];
    writeFileSync(file, `[sendemail "work"]\n${values.map((v, i) => `\tv${i} = ${gitConfigString(v)}\n`).join('')}`);
    for (const [i, v] of values.entries()) {
      const r = spawnSync('git', ['config', '-f', file, '--get', `sendemail.work.v${i}`], { encoding: 'utf8' });
      expect(r.stdout, JSON.stringify(v)).toBe(`${v}\n`);
    }
  });

  it.skipIf(skipWithout('snailString through s-nail', ['s-nail']))('s-nail (v15-compat shell-style quoting) gives back every value', () => {
    const values = [...NO_TAB.filter((v) => v !== ''), 'a"b', '#x'];
    const r = spawnSync('s-nail', ['-:/', '-Sv15-compat', ...values.flatMap((v) => ['-X', `wysh set mailoauth_v=${snailString(v)}`, '-X', 'echo "[$mailoauth_v]"']), '-Xx'],
      { encoding: 'utf8', env: { PATH: process.env.PATH, LC_ALL: 'C.UTF-8' } });
    expect(r.stdout.split('\n').slice(0, -1)).toEqual(values.map((v) => `[${v}]`));
  });

  it.skipIf(skipWithout('pythonTuple through python3', ['python3']))('python3 (getmail eval()s password_command) gives back the argv as a tuple', () => {
    const items = NO_TAB;
    const r = spawnSync('python3', ['-c', `import json; t = ${pythonTuple(items)}; assert type(t) is tuple; print(json.dumps(list(t)))`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(items);
    expect(spawnSync('python3', ['-c', `print(type(${pythonTuple(['one'])}).__name__)`], { encoding: 'utf8' }).stdout).toBe('tuple\n');
  });

  it('go-ini (aerc) takes a backquoted value raw, so #, ; and quotes are plain text there', () => {
    expect(goIniRaw("'/opt/a #2; b' token work")).toBe("`'/opt/a #2; b' token work`");
    expect(() => goIniRaw('a\nb')).toThrow(/control/);
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
