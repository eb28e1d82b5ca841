import { describe, expect, it } from 'vitest';
import { browserCommands, browserEnv } from '../../src/auth/open-browser.js';

describe('the browser is started', () => {
  it('without our secrets in its environment: the --client-secret-env value, and names that look like secrets', () => {
    const env = { PATH: '/bin', DISPLAY: ':0', MY_VAR: 's3cr3t', GITHUB_TOKEN: 'x', AWS_SECRET_ACCESS_KEY: 'y', DB_PASSWORD: 'z', OPENAI_API_KEY: 'k', LANG: 'C' };
    expect(browserEnv(env, ['s3cr3t'])).toEqual({ PATH: '/bin', DISPLAY: ':0', LANG: 'C' });
    expect(browserEnv({ A: '' }, [''])).toEqual({ A: '' });
  });
  it.each([
    [{ BROWSER: 'firefox:chromium %s' }, 'linux', ['firefox', 'chromium %s', 'xdg-open']],
    [{ BROWSER: 'firefox:chromium --new-window %s' }, 'linux', ['firefox', 'chromium --new-window %s', 'xdg-open']],
    [{}, 'darwin', ['open']],
    [{ BROWSER: '' }, 'linux', ['xdg-open']],
  ] as const)('commands for %j on %s', (env, platform, want) => expect(browserCommands(env, platform)).toEqual(want));
});
