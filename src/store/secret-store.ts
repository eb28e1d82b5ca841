import { ExitCode, UserError } from '../errors.js';

/** Where secrets live: the OS keychain, or (explicitly chosen) 0600 files or GPG-encrypted files. Keys are item names. */
export interface SecretStore {
  readonly kind: 'keychain' | 'file' | 'gpg';
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** true when something was deleted. */
  delete(key: string): Promise<boolean>;
  /**
   * Prove the store can be written. A locked or half-started Secret Service answers reads with
   * "nothing saved", so an empty read alone must not be taken for "no account".
   */
  probe(): Promise<void>;
}

export class KeychainUnavailable extends UserError {
  constructor(detail: string, fix?: string) {
    super(
      ExitCode.KeychainUnavailable,
      `The OS keychain is not available: ${detail}`,
      fix ?? 'Start and unlock a Secret Service (GNOME Keyring or KeePassXC; on a headless box: ' +
        '`dbus-run-session -- sh -c "gnome-keyring-daemon --unlock --components=secrets; ..."`), ' +
        'or choose the plain-file store explicitly: mailoauth setup --store file',
    );
  }
}
