import { randomBytes } from 'node:crypto';

/** A JWT made at test time; the signature is random bytes (diagnosis never verifies signatures). */
export function makeJwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.${randomBytes(32).toString('base64url')}`;
}
