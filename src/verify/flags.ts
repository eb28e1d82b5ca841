import { envMs } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';

/** Default deadline for one IMAP or SMTP check; MAILOAUTH_VERIFY_TIMEOUT_MS changes it (tests). */
export const DEFAULT_VERIFY_TIMEOUT_MS = 20_000;

export function portFlag(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserError(ExitCode.Usage, `${flag} must be a port number (1-65535), not "${v}".`);
  return n;
}

export function timeoutFlag(v: string | undefined, env: NodeJS.ProcessEnv): number {
  if (v === undefined) return envMs(env, 'MAILOAUTH_VERIFY_TIMEOUT_MS', DEFAULT_VERIFY_TIMEOUT_MS);
  const n = Number(v);
  if (!Number.isInteger(n) || n < 100 || n > 600_000) throw new UserError(ExitCode.Usage, `--timeout-ms must be a number of milliseconds (100-600000), not "${v}".`);
  return n;
}
