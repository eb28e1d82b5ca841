/** Exit codes are part of the contract (README, "Exit codes": scripts and mail programs rely on them). */
export const ExitCode = {
  Ok: 0,
  Unexpected: 1,
  Usage: 2,
  ReloginNeeded: 3,
  Unavailable: 4,
  KeychainUnavailable: 5,
  LoginRejected: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can act on: what happened, and the next command to run.
 * cli.ts is the only place that prints one and exits.
 */
export class UserError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly fix?: string,
    /** The identity platform's AADSTS code behind it, when there was one (src/reauth/ learns from some). */
    readonly aadsts?: number,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
