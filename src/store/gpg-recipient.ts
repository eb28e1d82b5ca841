import { ExitCode, UserError } from '../errors.js';

/**
 * `--gpg-recipient`: what gpg's --recipient takes (key id, fingerprint, email or user id). Refused:
 * nothing, control characters, a leading '-' (it would read as an option), and absurd lengths.
 */
export function checkGpgRecipient(r: string | undefined): string {
  if (!r) {
    throw new UserError(ExitCode.Usage, '--store gpg needs --gpg-recipient: the GPG key the secrets are encrypted to.', 'e.g. --store gpg --gpg-recipient you@example.com (list your keys: gpg --list-secret-keys)');
  }
  if (r.length > 256 || r.startsWith('-') || /[\u0000-\u001f\u007f]/.test(r)) {
    throw new UserError(ExitCode.Usage, `${JSON.stringify(r)} is not a GPG key id, fingerprint or user id.`, 'Copy it from: gpg --list-secret-keys --keyid-format long');
  }
  return r;
}
