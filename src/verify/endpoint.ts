import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Endpoint, TlsMode } from '../account.js';
import type { SaslPolicy } from '../auth/sasl.js';
import type { MailProtocol } from '../diagnose/jwt.js';
import { tlsForPort } from '../ports.js';
import { raceDeadline } from '../deadline.js';

export interface MailCheckOptions {
  host?: string;
  port?: number;
  /** Overrides what the port implies. */
  tls?: TlsMode;
  /** Deadline for the whole check (connect, TLS, login, commands). */
  timeoutMs: number;
  /**
   * One more CA to trust, besides the system store and NODE_EXTRA_CA_CERTS (which Node applies by
   * itself when no `ca` is given).
   */
  ca?: string | Buffer;
  /** How the login picks its SASL mechanism; default: require the one the account's configs use. */
  sasl?: SaslPolicy;
}

export function resolveEndpoint(protocol: MailProtocol, base: Endpoint, o: Pick<MailCheckOptions, 'host' | 'port' | 'tls'>): Endpoint {
  const port = o.port ?? base.port;
  const tls = o.tls ?? (o.port !== undefined ? tlsForPort(protocol, port) : undefined) ?? base.tls;
  return { host: o.host ?? base.host, port, tls };
}

/**
 * TLS trust for the check. No extra CA: undefined, so Node's default store applies (the system's
 * roots plus NODE_EXTRA_CA_CERTS). With one: Node replaces the default store with whatever `ca`
 * lists, so the roots and NODE_EXTRA_CA_CERTS are listed again alongside it.
 */
export function trustedCas(extra: string | Buffer | undefined, env: NodeJS.ProcessEnv): Array<string | Buffer> | undefined {
  if (extra === undefined) return undefined;
  const fromEnv: string[] = [];
  if (env.NODE_EXTRA_CA_CERTS) {
    try {
      fromEnv.push(readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8'));
    } catch {
      /* Node itself only warns about an unreadable file */
    }
  }
  return [...rootCertificates, ...fromEnv, extra];
}

/**
 * Run `work` with a deadline; on expiry `onTimeout` cleans up (closes the socket) and the promise
 * rejects with a VERIFY_TIMEOUT error naming the server.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  return raceDeadline(work, ms, () => {
    onTimeout();
    return Object.assign(new Error(`no answer from ${what} within ${ms} ms`), { code: 'VERIFY_TIMEOUT' });
  });
}
