import { describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../src/errors.js';
import { parsePort, tlsForPort } from '../src/ports.js';
import type { SetupOptions } from '../src/setup/options.js';
import { planSetup } from '../src/setup/plan.js';
import { resolveEndpoint } from '../src/verify/endpoint.js';

describe('the port rule: one table for setup, verify and the wizard', () => {
  it.each([
    ['imap', 993, 'implicit'], ['imap', 143, 'starttls'], ['imap', 10993, undefined],
    ['smtp', 465, 'implicit'], ['smtp', 587, 'starttls'], ['smtp', 25, 'starttls'], ['smtp', 2525, undefined],
  ] as const)('%s %i → %s', (protocol, port, tls) => expect(tlsForPort(protocol, port)).toBe(tls));

  it.each(['993', '1', '65535'])('"%s" is a port', (v) => expect(parsePort(v, '--imap-port')).toBe(Number(v)));
  it.each(['0', '65536', '', ' 993', '993 ', '0x3e1', '1e3', '99.5', '-1', 'imap'])('"%s" is refused', (v) => {
    let e: unknown;
    try {
      parsePort(v, '--imap-port');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(ExitCode.Usage);
    expect((e as UserError).message).toBe(`--imap-port must be a port number (1-65535), not "${v}".`);
  });

  it('setup and verify agree: SMTP port 25 is STARTTLS in both (they differed before)', () => {
    // Gmail's row is 465 (implicit TLS): the old setup rule kept that mode for port 25.
    const o: SetupOptions = { email: 'alice@gmail.com', yes: true, smtpPort: '25', imapPort: '143', verify: false };
    const plan = planSetup(o, { DISPLAY: ':0' }, 'linux');
    expect(plan.account.smtp).toMatchObject({ port: 25, tls: 'starttls' });
    expect(plan.account.imap).toMatchObject({ port: 143, tls: 'starttls' });
    expect(resolveEndpoint('smtp', { host: 'h', port: 465, tls: 'implicit' }, { port: 25 }).tls).toBe('starttls');
  });
});
