import { describe, expect, it } from 'vitest';
import { defaultFlow } from '../../src/auth/default-flow.js';

describe('flow choice', () => {
  it.each([
    [{ SSH_CONNECTION: '1 2 3 4' , DISPLAY: ':0' }, 'linux', 'device'],
    [{ DISPLAY: ':0' }, 'linux', 'browser'],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', 'browser'],
    [{}, 'linux', 'device'],
    [{}, 'darwin', 'browser'],
    [{ SSH_TTY: '/dev/pts/1' }, 'darwin', 'device'],
  ] as const)('%o on %s → %s', (env, platform, want) => expect(defaultFlow(env, platform)).toBe(want));
});
