import { describe, expect, it } from 'vitest';
import { refresherFor } from '../../src/auth/refreshers.js';

describe('refresh adapter choice', () => {
  it.each([
    [{}, 'refreshWithMsal'],
    [{ auth: 'msal' as const }, 'refreshWithMsal'],
    [{ auth: 'oauth2' as const }, 'refreshWithOAuth2'],
  ])('%j → %s', async (a, name) => {
    expect((await refresherFor(a)()).name).toBe(name);
  });
});
