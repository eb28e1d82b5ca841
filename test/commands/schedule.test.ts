import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { runIn, testDeps } from '../helpers/test-deps.js';

// --cron and --print never ask systemctl: these run in-process without a user manager.
describe('mailoauth schedule (in-process)', () => {
  it('--print --cron: the crontab line on stdout, running this Node and this mailoauth by absolute path', async () => {
    const d = testDeps({ selfPath: '/opt/mailoauth/bin/mailoauth' });
    const r = await runIn(d, ['schedule', '--print', '--cron']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^\\d+ \\d+ \\* \\* \\* .*${process.execPath.replace(/[/.]/g, '\\$&')} /opt/mailoauth/bin/mailoauth refresh --all --quiet.*\\n$`));
    expect(r.stderr).toBe('');
  });

  it('--install --cron: the line, and where it goes (mailoauth does not edit crontabs)', async () => {
    const r = await runIn(testDeps(), ['schedule', '--install', '--cron', '--notify-cmd', 'notify-send hi']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/refresh --all --quiet --notify-cmd 'notify-send hi'/);
    expect(r.stderr).toMatch(/Add the line above to your crontab \(crontab -e\)/);
  });

  it.each([
    [[], /Say what to do: --install, --remove or --print/],
    [['--install', '--remove'], /Say what to do/],
    [['--print', '--systemd', '--cron'], /Choose --systemd or --cron, not both/],
  ])('schedule %j: usage error (exit 2)', async (args, said) => {
    const r = await runIn(testDeps(), ['schedule', ...args]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(said);
  });
});
