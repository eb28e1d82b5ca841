import { describe, expect, it } from 'vitest';
import { cronCommand, crontabLine, scheduleInput, serviceUnit, shWord, systemdExecutable, systemdWord } from '../../src/schedule/units.js';
import { ExitCode } from '../../src/errors.js';
import { userError } from '../helpers/user-error.js';

describe('quoting for unit files and crontabs', () => {
  it.each([
    ['plain', '/usr/lib/node_modules/mailoauth/dist/cli.cjs', '"/usr/lib/node_modules/mailoauth/dist/cli.cjs"'],
    ['specifier and variable', '/opt/100% $HOME', '"/opt/100%% $$HOME"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
  ])('systemd argument: %s', (_, s, want) => expect(systemdWord(s)).toBe(want));

  it('systemd executable: `%` doubled, `$` as is, quotes and backslashes refused', () => {
    expect(systemdExecutable('/opt/node 100% $x/bin/node')).toBe('"/opt/node 100%% $x/bin/node"');
    for (const bad of ['/opt/"x"/node', "/opt/it's/node", '/opt/a\\b/node']) expect(userError(() => systemdExecutable(bad)).exitCode).toBe(ExitCode.Usage);
  });

  it.each([
    ['/usr/bin/node', '/usr/bin/node'],
    ['/home/Jane Doe/x', "'/home/Jane Doe/x'"],
    ["it's", "'it'\\''s'"],
  ])('shell word %j', (s, want) => expect(shWord(s)).toBe(want));

  it('the crontab command: absolute paths, carried variables, every % escaped for cron', () => {
    const i = scheduleInput('/usr/bin/node', '/opt/100% done/cli.cjs', { XDG_CONFIG_HOME: '/home/u/cfg', GNUPGHOME: '/home/u/.gnupg-x', HOME: '/home/u' }, 'notify-send "%s"');
    expect(cronCommand(i)).toBe("XDG_CONFIG_HOME=/home/u/cfg GNUPGHOME=/home/u/.gnupg-x /usr/bin/node '/opt/100\\% done/cli.cjs' refresh --all --quiet --notify-cmd 'notify-send \"\\%s\"'");
    expect(crontabLine(i, 'seed')).toMatch(/^\d{1,2} 12 \* \* \* XDG_CONFIG_HOME=/);
    expect(crontabLine(i, 'seed')).toBe(crontabLine(i, 'seed'));
  });

  it('control characters go into neither', () => {
    const i = scheduleInput('/usr/bin/node', '/opt/a\nb/cli.cjs', {});
    expect(userError(() => serviceUnit(i)).message).toMatch(/control character/);
    expect(userError(() => cronCommand(i)).message).toMatch(/control character/);
  });
});
