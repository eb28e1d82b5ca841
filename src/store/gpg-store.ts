import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { gpgOutcome, type GpgOutcome, type GpgRunner } from './gpg-run.js';
import { readFileIfExists, unlinkIfExists } from './if-exists.js';
import type { SecretStore } from './secret-store.js';
import { PROBE_KEY } from './records.js';


export interface GpgStoreOptions {
  /** Whom the secrets are encrypted to (`--gpg-recipient`): a key id, fingerprint or user id in the user's keyring. */
  recipient: string | undefined;
  run: GpgRunner;
  /** A person can answer a pinentry (a terminal or a desktop): else the agent must decrypt without asking. */
  mayPrompt: boolean;
  timeoutMs: number;
}

/**
 * `--store gpg`: every secret encrypted to a GPG key the user names — the convention mutt users have
 * from mutt_oauth2.py — one ASCII-armored 0600 file per item in a 0700 directory, replaced
 * atomically, decrypted through the user's gpg-agent. Nothing is ever written in plain text: the
 * secret goes through gpg's stdin and stdout. Where no one can be asked for a passphrase (cron,
 * timers), gpg runs with `--pinentry-mode error`: a locked key fails at once with exit 5, and the
 * encrypted files are left as they were.
 */
export class GpgStore implements SecretStore {
  readonly kind = 'gpg' as const;
  constructor(
    private readonly dir: string,
    private readonly o: GpgStoreOptions,
  ) {}

  private path(key: string) {
    return join(this.dir, `${encodeURIComponent(key)}.asc`);
  }

  async get(key: string) {
    const armored = readFileIfExists(this.path(key));
    if (armored === null) return null;
    const pinentry = this.o.mayPrompt ? [] : ['--pinentry-mode', 'error'];
    const r = await this.o.run(['--batch', '--quiet', '--no-tty', ...pinentry, '--decrypt'], armored, this.o.mayPrompt ? Math.max(this.o.timeoutMs, 120_000) : this.o.timeoutMs);
    const outcome = gpgOutcome(r);
    if (outcome.kind !== 'ok') throw gpgError(outcome, 'decrypt', this.path(key), this.o);
    return r.stdout;
  }

  async set(key: string, value: string) {
    if (!this.o.recipient) {
      throw new UserError(ExitCode.Usage, 'The gpg store needs a recipient to encrypt to.', 'mailoauth setup --reauth ACCOUNT --store gpg --gpg-recipient YOUR-KEY-ID');
    }
    // Local keyring only: a recipient is never looked up on the network (WKD, keyservers).
    const r = await this.o.run(['--batch', '--quiet', '--no-tty', '--auto-key-locate', 'local', '--armor', '--encrypt', '--recipient', this.o.recipient], value, this.o.timeoutMs);
    const outcome = gpgOutcome(r);
    if (outcome.kind !== 'ok' || !r.stdout.includes('-----BEGIN PGP MESSAGE-----')) throw gpgError(outcome, 'encrypt', this.path(key), this.o);
    writeFileAtomic(this.path(key), r.stdout, 0o600);
  }

  async delete(key: string) {
    return unlinkIfExists(this.path(key));
  }

  /** Encrypt a probe and decrypt it back: setup then knows the agent can read what it stores. */
  async probe() {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    await this.set(PROBE_KEY, 'probe');
    try {
      if ((await this.get(PROBE_KEY)) !== 'probe') throw new UserError(ExitCode.KeychainUnavailable, 'gpg decrypted the probe to something else.', 'Check your gpg setup: gpg --decrypt works for you?');
    } finally {
      await this.delete(PROBE_KEY);
    }
  }
}

type Op = 'encrypt' | 'decrypt';

/** One row per outcome: what happened, and what the user does about it. All are exit 5 (the store is unavailable). */
const FAILURES: { [K in Exclude<GpgOutcome['kind'], 'ok'>]: (o: Extract<GpgOutcome, { kind: K }>, op: Op, file: string, s: GpgStoreOptions) => [string, string] } = {
  'not-installed': () => ['gpg is not installed (the gpg store runs it).', 'Install GnuPG (Debian/Ubuntu: apt install gnupg), or choose another store: mailoauth setup --reauth ACCOUNT --store keychain'],
  timeout: (_, op, file, s) => [`gpg did not ${op} ${file} within ${Math.round(s.timeoutMs / 1000)} s${s.mayPrompt ? ' (waiting for a passphrase?)' : ''}.`, 'Check that gpg-agent runs: gpg-connect-agent /bye'],
  'cannot-decrypt': (o, _, file, s) => [
    `gpg-agent could not decrypt ${file}${o.keyIds.length ? ` (encrypted to ${o.keyIds.join(', ')})` : ''}: the secret key is missing${s.mayPrompt ? '' : ', or it is locked and no one can be asked for its passphrase here (cron, timers)'}. The stored secrets were left as they are.`,
    'Unlock the key once from a terminal (run any mailoauth token ACCOUNT there; gpg-agent then keeps it for its cache time), give gpg-agent a longer default-cache-ttl/max-cache-ttl, or preset the passphrase with gpg-preset-passphrase',
  ],
  'bad-recipient': (o, _, __, s) => [`gpg cannot encrypt to ${s.recipient}: ${o.reason}.`, `Check the key with: gpg --list-keys ${s.recipient} (a key you own is trusted ultimately; others: gpg --edit-key ${s.recipient} trust)`],
  failed: (o, op) => [`gpg could not ${op}: ${o.detail}`, 'Check your gpg setup; run with --debug for details'],
};

function gpgError(outcome: GpgOutcome, op: Op, file: string, s: GpgStoreOptions): UserError {
  if (outcome.kind === 'ok') return new UserError(ExitCode.KeychainUnavailable, `gpg did not ${op} ${file} (no output).`, 'Check your gpg setup');
  const [message, fix] = (FAILURES[outcome.kind] as (o: GpgOutcome, op: Op, file: string, s: GpgStoreOptions) => [string, string])(outcome, op, file, s);
  return new UserError(ExitCode.KeychainUnavailable, message, fix);
}
