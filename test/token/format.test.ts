import { describe, expect, it } from 'vitest';
import { formatToken, xoauth2 } from '../../src/token/format.js';

describe('token output formats', () => {
  const rec = { v: 1 as const, accessToken: 'AT', expiresAt: Date.UTC(2030, 0, 1), scopes: ['s'] };
  it('plain, xoauth2 and json', () => {
    expect(formatToken(rec, 'a@b.c', 'w', {})).toBe('AT');
    expect(Buffer.from(formatToken(rec, 'a@b.c', 'w', { xoauth2: true }), 'base64').toString()).toBe('user=a@b.c\x01auth=Bearer AT\x01\x01');
    expect(JSON.parse(formatToken(rec, 'a@b.c', 'w', { json: true }))).toEqual({ access_token: 'AT', expires_at: '2030-01-01T00:00:00.000Z', account: 'w', scopes: ['s'] });
    expect(xoauth2('u', 't')).toBe(Buffer.from('user=u\x01auth=Bearer t\x01\x01').toString('base64'));
  });
});
