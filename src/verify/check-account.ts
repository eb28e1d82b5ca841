import type { Account } from '../account.js';
import type { Deps } from '../deps.js';
import { inspectAccessToken, type MailProtocol, type TokenInspection } from '../diagnose/jwt.js';
import { ExitCode } from '../errors.js';
import { providerById } from '../providers/table.js';
import { spinWhile } from '../ui/spinner.js';
import { checkLogin, type LoginResult } from './login.js';
import type { SmtpCheckOptions } from './smtp.js';

/** The most relevant exit code of failed logins: a refusal says more than a network failure. */
export function loginExit(results: readonly LoginResult[]): ExitCode {
  const codes = results.flatMap((r) => (r.ok ? [] : [r.diagnosis.exit]));
  for (const c of [ExitCode.LoginRejected, ExitCode.Unavailable]) if (codes.includes(c)) return c;
  return codes[0] ?? ExitCode.Ok;
}

/** `granted`: the scopes the token reply named (the access record's), carried for the diagnosis of opaque tokens. */
export function inspectFor(account: Account, token: string, now: number, need: MailProtocol[], granted?: string[]): TokenInspection {
  const inspection = inspectAccessToken(token, {
    loginUser: account.email,
    signInUser: account.delegate,
    now,
    scopes: account.scopes,
    tenant: account.tenant,
    need,
    opaqueExpected: providerById(account.provider)?.opaqueAccessTokens === true,
    account: account.name,
  });
  return granted?.length ? { ...inspection, granted } : inspection;
}

export interface VerifyRun {
  inspection: TokenInspection;
  results: LoginResult[];
  exit: ExitCode;
}

/**
 * Log in to each server with `accessToken` and diagnose what fails; nothing is printed or thrown
 * for a refused login (setup's verify step can use this as it is). A spinner runs on a terminal.
 */
export async function checkAccount(d: Deps, account: Account, accessToken: string, protocols: MailProtocol[], opts: Record<MailProtocol, SmtpCheckOptions>, granted?: string[]): Promise<VerifyRun> {
  const inspection = inspectFor(account, accessToken, d.now(), protocols, granted);
  const results: LoginResult[] = [];
  for (const p of protocols) {
    const label = `${p === 'imap' ? 'IMAP' : 'SMTP'}: logging in as ${account.email}`;
    results.push(await spinWhile(d, label, () => checkLogin(p, account, accessToken, inspection, opts[p], d.env, d.now)));
  }
  return { inspection, results, exit: loginExit(results) };
}
