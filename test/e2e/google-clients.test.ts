/**
 * Journey: a Gmail user on a fresh machine runs `mailoauth setup --yes` (browser flow against the
 * local Google stand-in), and then their own mail programs work from the blocks setup wrote:
 * offlineimap and mbsync sync, neomutt lists the inbox, msmtp sends over implicit TLS (as to
 * smtp.gmail.com:465). Dovecot checks every bearer token with the stand-in (introspection stub), the
 * SMTP server asks it directly; both remember which token they saw.
 *
 * Then the token expires (real time: `mailoauth refresh` stored one the stand-in issued with 300 + 2
 * seconds, the refresh margin is 300) and one more round of all four clients at once makes exactly ONE
 * refresh against the stand-in, which, like Google, sends no new refresh token: the stored one is kept.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import {
  CLIENTS, TOOLS, clientRound, clientVersion, expectManagedConfigs, mailoauth, nextExpiry, proved, startGoogleWorld, storedAccess, storedOAuth2,
  userEnv, type GoogleWorld,
} from './harness.js';

const skip = skipWithout('e2e: Gmail with the real clients', TOOLS);
const GUSER = 'someone@gmail.com';
const NAME = 'gmail';
const FAKE_BROWSER = `${process.execPath} ${resolve(import.meta.dirname, '../fixtures/fake-browser.mjs')}`;

describe.skipIf(skip)('journey: Gmail setup, then offlineimap, mbsync, neomutt and msmtp with Google-issued tokens', () => {
  let w: GoogleWorld;
  beforeAll(async () => {
    w = await startGoogleWorld({ users: [GUSER] });
  });
  afterAll(async () => {
    await w?.stop();
  });

  const refreshCount = () => w.google.counts()['token:refresh_token'] ?? 0;

  it('setup writes 4 configs; the clients log in with the Google token; at expiry one round makes one refresh and keeps the refresh token', async () => {
    const env = userEnv(w, { BROWSER: FAKE_BROWSER });
    const setup = await mailoauth(w, ['setup', '--yes', '--email', GUSER, '--name', NAME, '--flow', 'browser', '--authority', w.google.origin,
      '--clients', CLIENTS, '--ca-file', w.ca.caFile,
      '--imap-host', 'localhost', '--imap-port', String(w.dovecot.imapsPort),
      '--smtp-host', 'localhost', '--smtp-port', String(w.smtp.port)], env, 90);
    expect(setup.code, setup.out).toBe(0);
    expect(setup.stdout).toBe('');
    expect(setup.stderr).toMatch(new RegExp(`^ok +IMAP login: localhost:${w.dovecot.imapsPort} \\(TLS\\): .*INBOX 3 / unseen 2$`, 'm'));
    expect(setup.stderr).toMatch(new RegExp(`^ok +SMTP login: localhost:${w.smtp.port} \\(TLS\\)`, 'm'));

    // What the stand-in issued is what the keychain holds.
    const refreshToken = storedOAuth2(env, NAME)?.refreshToken;
    expect(refreshToken).toBe(w.google.lastRefreshToken(GUSER));
    const first = storedAccess(env, NAME).accessToken;
    expect(w.google.isValidAccessToken(first)?.email).toBe(GUSER);

    const configs = expectManagedConfigs(env, NAME, [refreshToken!, first]);
    for (const [client, text] of Object.entries(configs)) expect(text, client).toContain(GUSER);
    // smtp.gmail.com:465 speaks TLS from the first byte: msmtp must not wait for STARTTLS.
    expect(configs.msmtp).toMatch(/^tls_starttls off$/m);
    w.google.resetCounts();

    // Round 1: the token setup stored, fresh; every login and the send used it, nothing refreshed.
    const r1 = await clientRound(w, env, { name: NAME, user: GUSER, n: 1 });
    expect(refreshCount(), `round 1: all cache hits (round 1 took ${r1.ms} ms)`).toBe(0);
    expect([...r1.tokens], 'round 1: Dovecot and the SMTP server saw only the token from setup').toEqual([first]);
    expect(w.smtp.messages.at(-1)).toMatchObject({ from: GUSER, user: GUSER, to: ['bob@example.org'] });

    // Expiry: the stored token enters the margin; the next one lives an hour.
    const stale = await nextExpiry(w, env, NAME);
    w.google.resetCounts();
    const mark = w.google.requests().length;
    const r2 = await clientRound(w, env, { name: NAME, user: GUSER, n: 2 });
    expect(w.google.counts(), `round 2: one refresh for four clients (round took ${r2.ms} ms)`).toEqual({ 'token:refresh_token': 1 });
    const second = storedAccess(env, NAME).accessToken;
    expect(second).not.toBe(stale);
    expect(w.google.isValidAccessToken(second)?.email).toBe(GUSER);
    expect([...r2.tokens], 'round 2: every login and the send used the refreshed token').toEqual([second]);
    // Google sent no refresh token with the refresh: the stored one stays, and is still the only one issued.
    const refresh = w.google.requests().slice(mark).filter((q) => q.endpoint === 'token:refresh_token');
    expect(refresh.map((q) => q.status)).toEqual([200]);
    expect(storedOAuth2(env, NAME)?.refreshToken).toBe(refreshToken);
    expect(w.google.lastRefreshToken(GUSER)).toBe(refreshToken);

    const what = { offlineimap: 'synced', mbsync: 'synced', neomutt: 'listed', msmtp: 'sent' } as const;
    for (const c of ['offlineimap', 'mbsync', 'neomutt', 'msmtp'] as const) {
      proved(`${clientVersion(c)}: ${what[c]} Gmail-account mail with the Google stand-in's token (${r1.ms} ms), ` +
        `then after expiry with the refreshed one (${r2.ms} ms); 1 refresh for 4 clients, refresh token kept`);
    }
  }, 150_000);
});
