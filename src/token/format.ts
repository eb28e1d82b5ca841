import { initialResponseBase64 } from '../auth/sasl.js';
import type { AccessRecord } from '../store/records.js';

export interface TokenOptions {
  xoauth2?: boolean;
  json?: boolean;
}

/** What `mailoauth token` prints (without the newline): the token, the XOAUTH2 string, or JSON. */
export function formatToken(rec: Pick<AccessRecord, 'accessToken' | 'expiresAt' | 'scopes'>, email: string, name: string, o: TokenOptions): string {
  if (o.json) {
    return JSON.stringify({ access_token: rec.accessToken, expires_at: new Date(rec.expiresAt).toISOString(), account: name, scopes: rec.scopes });
  }
  if (o.xoauth2) return xoauth2(email, rec.accessToken);
  return rec.accessToken;
}

/** SASL XOAUTH2 initial response, base64 (what imaplib/Alpine-style helpers want). */
export function xoauth2(user: string, token: string): string {
  return initialResponseBase64('xoauth2', { user, token });
}
