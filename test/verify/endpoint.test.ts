import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { resolveEndpoint, trustedCas, withDeadline } from '../../src/verify/endpoint.js';
import { account } from '../clients/support.js';

describe('endpoint from account and flags', () => {
  const a = account();
  it.each([
    ['imap', {}, { host: 'outlook.office365.com', port: 993, tls: 'implicit' }],
    ['imap', { host: 'localhost', port: 10993 }, { host: 'localhost', port: 10993, tls: 'implicit' }],
    ['imap', { port: 143 }, { host: 'outlook.office365.com', port: 143, tls: 'starttls' }],
    ['smtp', { port: 465 }, { host: 'smtp.office365.com', port: 465, tls: 'implicit' }],
    ['smtp', { port: 2525 }, { host: 'smtp.office365.com', port: 2525, tls: 'starttls' }],
    ['smtp', { port: 465, tls: 'starttls' as const }, { host: 'smtp.office365.com', port: 465, tls: 'starttls' }],
  ] as const)('%s %o', (p, o, want) => {
    expect(resolveEndpoint(p, a[p], o)).toEqual(want);
  });

  it('no extra CA: Node\'s default store (system + NODE_EXTRA_CA_CERTS) is left alone', () => {
    expect(trustedCas(undefined, {})).toBeUndefined();
    const cas = trustedCas('PEM', {})!;
    expect(cas.at(-1)).toBe('PEM');
    expect(cas.length).toBe(rootCertificates.length + 1);
  });

  it('withDeadline rejects with VERIFY_TIMEOUT and runs the cleanup', async () => {
    let cleaned = false;
    const never = new Promise<never>(() => {});
    await expect(withDeadline(never, 30, 'h:1', () => (cleaned = true))).rejects.toMatchObject({ code: 'VERIFY_TIMEOUT', message: 'no answer from h:1 within 30 ms' });
    expect(cleaned).toBe(true);
    await expect(withDeadline(Promise.resolve(7), 1000, 'h:1', () => {})).resolves.toBe(7);
  });
});
