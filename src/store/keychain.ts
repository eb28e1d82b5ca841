import { probeSessionBus } from './dbus-probe.js';
import { KeychainUnavailable, type SecretStore } from './secret-store.js';
import { busCandidates, describeBus, locateSessionBus } from './session-bus.js';
import { PROBE_KEY } from './records.js';
import { raceDeadline } from '../deadline.js';

export const SERVICE = 'mailoauth';

type KeyringModule = typeof import('@napi-rs/keyring');

/**
 * The OS keychain through @napi-rs/keyring. On Linux the entry is pinned to the Secret Service: the
 * library's default silently falls back to the kernel keyring, which forgets everything at reboot.
 * Every call has a deadline because a desktop unlock prompt can block forever.
 */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const;
  private mod?: KeyringModule;
  private bus?: Promise<void>;

  private readonly timeoutMs: number;
  private readonly service: string;

  constructor(
    /**
     * `env`: the environment the keyring library reads (it reads the process's own, so production
     * passes process.env, through Deps): a bus found here is set in it for the library.
     */
    private readonly o: { env: NodeJS.ProcessEnv; timeoutMs?: number; service?: string; log?: (line: string) => void },
  ) {
    this.timeoutMs = o.timeoutMs ?? 2500;
    this.service = o.service ?? SERVICE;
  }

  private async entry(key: string) {
    if (process.platform === 'linux') await (this.bus ??= this.checkBus());
    try {
      // require, not import(): loading this CommonJS addon through the ESM loader costs 20-40 ms
      // on the token fast path; require takes about 3. node:module itself only when a keychain is used.
      this.mod ??= (await import('node:module')).createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
    } catch (e) {
      throw new KeychainUnavailable(`the keyring module failed to load (${(e as Error).message})`);
    }
    const options = process.platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
    try {
      return new this.mod.AsyncEntry(this.service, key, options);
    } catch (e) {
      throw new KeychainUnavailable(describe(e));
    }
  }

  /**
   * Creating an entry connects to D-Bus synchronously, without a deadline: see probeSessionBus. The
   * bus answers its handshake in well under a millisecond, and never waits for a person (unlock
   * prompts come later, from the Secret Service), so its deadline is short. With no
   * DBUS_SESSION_BUS_ADDRESS (cron), the user's bus is looked for where systemd puts it, and the
   * keyring library, which reads the process environment, is pointed at the one that answers.
   */
  private async checkBus() {
    const env = this.o.env;
    const ms = Math.min(this.timeoutMs, 1000);
    const where = await locateSessionBus(busCandidates(env, process.getuid?.()), probeSessionBus, ms);
    if (where.kind === 'silent') throw new KeychainUnavailable(`the D-Bus session bus ${describeBus(where.bus)} did not answer within ${ms} ms`);
    if (where.kind === 'none') {
      // A named bus with nothing listening: the library says so itself, fast.
      if (env.DBUS_SESSION_BUS_ADDRESS) return;
      throw new KeychainUnavailable(
        `DBUS_SESSION_BUS_ADDRESS is unset and no session bus answers at ${where.tried.map((c) => c.socket).join(' or ') || 'any known place'}`,
        NO_BUS_FIX,
      );
    }
    this.o.log?.(`session bus: ${describeBus(where.bus)}`);
    if (!env.DBUS_SESSION_BUS_ADDRESS) env.DBUS_SESSION_BUS_ADDRESS = where.bus.address;
  }

  private async call<T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const expired = () => new KeychainUnavailable(`no answer within ${this.timeoutMs} ms while trying to ${what} (locked, or waiting for an unlock prompt?)`);
    try {
      return await raceDeadline(run(signal), this.timeoutMs, expired, { unref: true });
    } catch (e) {
      if (e instanceof KeychainUnavailable) throw e;
      throw new KeychainUnavailable(`${what}: ${describe(e)}`);
    }
  }

  async get(key: string) {
    const e = await this.entry(key);
    return this.call('read a secret', (signal) => e.getPassword(signal));
  }

  async set(key: string, value: string) {
    const e = await this.entry(key);
    await this.call('save a secret', (signal) => e.setPassword(value, signal));
  }

  async delete(key: string) {
    const e = await this.entry(key);
    return this.call('delete a secret', (signal) => e.deletePassword(signal));
  }

  async probe() {
    await this.set(PROBE_KEY, 'probe');
    await this.delete(PROBE_KEY);
  }
}

/** Cron and timers run outside the login session: the user's bus exists only while a session (or lingering) keeps it. */
const NO_BUS_FIX =
  'From cron or a timer: keep your user session (and its keyring) running with `loginctl enable-linger $USER`, ' +
  'and unlock the keyring once after boot; or use a store that needs no desktop: mailoauth setup --reauth ACCOUNT --store gpg --gpg-recipient YOU';

function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/no result found|locked|prompt/i.test(msg)) return `${msg} (the Secret Service has no unlocked collection)`;
  if (/org\.freedesktop\.secrets|ServiceUnknown|dbus|D-Bus|platform secure storage/i.test(msg)) {
    return `${msg} (no Secret Service is answering on D-Bus)`;
  }
  return msg;
}
