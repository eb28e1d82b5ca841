import { describe, expect, it } from 'vitest';
import { parseDeviceStart } from '../../src/auth/oauth2-device.js';

describe('device authorization replies (RFC 8628 §3.2)', () => {
  it.each([
    ['no interval: 5 s', { device_code: 'd', user_code: 'U', verification_uri: 'https://x/device', expires_in: 600 }, { intervalS: 5, expiresInS: 600 }],
    ['Google\'s verification_url', { device_code: 'd', user_code: 'U', verification_url: 'https://x/device', interval: 2 }, { verificationUri: 'https://x/device', intervalS: 2 }],
    ['absurd numbers are bounded', { device_code: 'd', user_code: 'U', verification_uri: 'https://x', expires_in: 1e308, interval: 1e9 }, { expiresInS: 3600, intervalS: 60 }],
    ['the complete URI kept', { device_code: 'd', user_code: 'U', verification_uri: 'https://x', verification_uri_complete: 'https://x?c=U' }, { verificationUriComplete: 'https://x?c=U' }],
  ])('%s', (_, body, want) => expect(parseDeviceStart(body)).toMatchObject(want));
  it('no code is an error', () => expect(() => parseDeviceStart({ verification_uri: 'https://x' })).toThrow(/without a code/));
});
