/** One gpg run: its exit code, stdout, the `[GNUPG:]` status lines (fd 3) and stderr. */
export interface GpgResult {
  code: number | null;
  stdout: string;
  status: string[];
  stderr: string;
  /** spawn failed (gpg not installed) or the deadline passed. */
  failure?: 'not-installed' | 'timeout';
}

export type GpgRunner = (args: string[], input: string | undefined, timeoutMs: number) => Promise<GpgResult>;

/**
 * gpg with its machine-readable status on fd 3 (`--status-fd 3`), so outcomes are read from status
 * keywords, never from the translated messages on stderr. The secret goes in on stdin and comes
 * out on stdout: it never touches a file in plain text.
 */
export function gpgRunner(env: NodeJS.ProcessEnv, program = 'gpg'): GpgRunner {
  return async (args, input, timeoutMs) => {
    // Loaded here: a cache hit, which never runs gpg, does not pay for the child-process module.
    const { spawn } = await import('node:child_process');
    return new Promise((resolve) => {
      const child = spawn(program, ['--status-fd', '3', ...args], { env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let stderr = '';
      let status = '';
      let failure: GpgResult['failure'];
      const timer = setTimeout(() => {
        failure = 'timeout';
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout!.on('data', (b: Buffer) => out.push(b));
      child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (b: Buffer) => (status += b.toString()));
      child.stdin!.on('error', () => {}); // gpg may exit before reading its input (EPIPE)
      child.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') failure = 'not-installed';
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({
          code,
          stdout: Buffer.concat(out).toString('utf8'),
          status: status.split('\n').filter((l) => l.startsWith('[GNUPG:] ')).map((l) => l.slice(9)),
          stderr,
          failure,
        });
      });
      child.stdin!.end(input ?? '');
    });
  };
}

export type GpgOutcome =
  | { kind: 'ok' }
  | { kind: 'not-installed' }
  | { kind: 'timeout' }
  /** Decryption failed: the secret key is missing, or locked with no way to ask for its passphrase. */
  | { kind: 'cannot-decrypt'; keyIds: string[] }
  /** INV_RECP: the recipient cannot be encrypted to. */
  | { kind: 'bad-recipient'; reason: string }
  | { kind: 'failed'; detail: string };

/** gpg's INV_RECP reason codes (doc/DETAILS), the ones a user can act on. */
const INV_RECP: Record<string, string> = {
  '0': 'no specific reason',
  '1': 'no public key for it in your keyring',
  '4': 'the key is revoked',
  '5': 'the key has expired',
  '10': 'the key is not trusted (no assurance it belongs to the named user)',
  '14': 'the key cannot be used for encryption',
};

/** Pure: what a gpg run came to, from its status keywords and exit code. */
export function gpgOutcome(r: GpgResult): GpgOutcome {
  if (r.failure === 'not-installed') return { kind: 'not-installed' };
  if (r.failure === 'timeout') return { kind: 'timeout' };
  const words = r.status.map((l) => l.split(' '));
  const inv = words.find((w) => w[0] === 'INV_RECP');
  if (inv) return { kind: 'bad-recipient', reason: INV_RECP[inv[1] ?? ''] ?? `reason ${inv[1]}` };
  if (words.some((w) => w[0] === 'DECRYPTION_FAILED' || w[0] === 'NO_SECKEY')) {
    return { kind: 'cannot-decrypt', keyIds: words.filter((w) => w[0] === 'ENC_TO').map((w) => w[1]!) };
  }
  if (r.code === 0 && !words.some((w) => w[0] === 'FAILURE' || w[0] === 'ERROR')) return { kind: 'ok' };
  return { kind: 'failed', detail: firstLine(r.stderr) || `gpg exited with ${r.code}` };
}

/** gpg's first message, without control characters (it may quote file names and user ids). */
function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim()) ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 300);
}
