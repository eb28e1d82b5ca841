import { debugLog } from '../debug-log.js';
import type { Deps } from '../deps.js';
import type { MailProtocol } from '../diagnose/jwt.js';
import { ExitCode, UserError } from '../errors.js';
import { getAccessRecord } from '../token/access.js';
import { spinWhile } from '../ui/spinner.js';
import { checkAccount } from './check-account.js';
import { formatVerifyReport, verifyJson } from './report.js';
import type { SmtpCheckOptions } from './smtp.js';

/**
 * `mailoauth verify`: get a token the way `token` does, log in with it, and say what happened:
 * folders and INBOX counts, SMTP AUTH, or the diagnosed refusal with its fix. Exit 6 when a server
 * refused the login, 4 when one could not be reached.
 */
export async function runVerify(d: Deps, name: string, protocols: MailProtocol[], opts: Record<MailProtocol, SmtpCheckOptions>, o: { json: boolean }): Promise<void> {
  const { account, outcome: { rec } } = await spinWhile(d, `Getting an access token for ${name}`, () => getAccessRecord(d, name, debugLog(d)));
  const run = await checkAccount(d, account, rec.accessToken, protocols, opts, rec.scopes);
  if (o.json) d.stdout.write(JSON.stringify(verifyJson(account, run.inspection, rec.expiresAt, run.results), null, 2) + '\n');
  else d.stderr.write(formatVerifyReport(run, rec.expiresAt));
  if (run.exit !== ExitCode.Ok) {
    const failed = run.results.filter((r) => !r.ok).map((r) => (r.protocol === 'imap' ? 'IMAP' : 'SMTP'));
    throw new UserError(run.exit, `${failed.join(' and ')} verification failed for ${account.name}${o.json ? ' (details in the JSON report)' : ' (cause and fix above)'}.`);
  }
}
