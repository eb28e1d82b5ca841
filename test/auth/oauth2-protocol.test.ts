import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizationUrl, pkcePair } from '../../src/auth/oauth2-protocol.js';
import { providerById } from '../../src/providers/table.js';

describe('PKCE and the authorization URL', () => {
  const google = providerById('google')!;
  it('PKCE: the challenge is the S256 of the verifier; the authorization URL carries Google\'s parameters', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[\w-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    const u = new URL(authorizationUrl('https://accounts.google.com/o/oauth2/v2/auth', {
      clientId: 'c', redirectUri: 'http://127.0.0.1:5000', scopes: ['https://mail.google.com/'], state: 's', challenge, loginHint: 'a@gmail.com', extra: google.oauth2!.authorizeParams,
    }));
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: 'c', redirect_uri: 'http://127.0.0.1:5000', response_type: 'code', scope: 'https://mail.google.com/', state: 's',
      code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'a@gmail.com', access_type: 'offline', prompt: 'consent',
    });
  });
});
