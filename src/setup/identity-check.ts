import { checkEmail } from '../account-name.js';
import { decideIdentity, type IdentityExpectation, type SignedInIdentity } from '../auth/identity.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import type { Provider } from '../providers/table.js';
import { terminalSafe } from '../ui/terminal-text.js';

export interface IdentityCheck {
  row: Provider;
  /** The account's name and login user as planned. */
  account: { name: string; email: string };
  want: IdentityExpectation;
  got: SignedInIdentity;
  interactive: boolean;
}

/**
 * What the sign-in said about who signed in, settled before anything is stored. The same identity
 * passes; one the user named with --expect-user passes; anything else is shown and must be confirmed by
 * a person, and without one (--yes) it is refused with nothing stored. Returns the login user to store.
 */
export async function settleIdentity(d: Deps, c: IdentityCheck): Promise<string> {
  const outcome = decideIdentity(c.row, c.want, c.got);
  // A name the platform chose becomes the login written into configs: it passes the --email rule first.
  if ('loginUser' in outcome && outcome.loginUser !== c.account.email) {
    try {
      checkEmail(outcome.loginUser);
    } catch {
      throw new UserError(ExitCode.Usage, `The platform named the signed-in account ${JSON.stringify(terminalSafe(outcome.loginUser))}, which is not an address mailoauth can log in with. Nothing was stored.`,
        `Sign in again; if it repeats, report it (mailoauth setup --debug shows the exchange)`);
    }
  }
  const who = terminalSafe(c.got.user ?? '');
  const refuse = (message: string, expectUser?: string): never => {
    throw new UserError(
      ExitCode.ReloginNeeded,
      `${message} Nothing was stored.`,
      `Sign in again as ${c.want.asked}${expectUser ? `; or, if ${expectUser} is the account you mean: add --expect-user ${expectUser}` : ''}`,
    );
  };
  const confirm = async (message: string, dflt: boolean) => {
    if (!c.interactive) return false;
    return d.prompt.confirm({ id: 'identity', message, default: dflt });
  };
  switch (outcome.kind) {
    case 'same':
      return c.account.email;
    case 'expected':
      d.stderr.write(`Signed in as ${who}, as --expect-user said.${outcome.loginUser !== c.account.email ? ` IMAP and SMTP will log in as ${who}.` : ''}\n`);
      return outcome.loginUser;
    case 'use-sign-in-name':
      d.stderr.write(`${c.row.label} signed you in as ${who}, not ${c.want.asked}: its IMAP and SMTP servers take the signed-in name, so the mail programs will log in as ${who}.\n`);
      if (await confirm(`Log in to IMAP/SMTP as ${who} (the account you signed in to)?`, true)) return outcome.loginUser;
      return refuse(`${c.row.label} signed in ${who}, not ${c.want.asked}.`, who);
    case 'other-user':
      d.stderr.write(`Warning: the sign-in was for ${who}, not ${c.want.asked}. Its token opens only what ${who} may open (IMAP refuses it for ${c.account.email} unless ${who} has access).\n`);
      if (await confirm(`Store ${who}'s sign-in as account "${c.account.name}"?`, false)) return c.account.email;
      return refuse(`The sign-in was for ${who}, not ${c.want.asked}.`, who);
    case 'other-tenant':
      d.stderr.write(`Warning: ${who} signed in to tenant ${terminalSafe(outcome.tenant)}, not ${outcome.expected} (the one this sign-in was for).\n`);
      if (await confirm(`Store this sign-in from tenant ${terminalSafe(outcome.tenant)} as account "${c.account.name}"?`, false)) return c.account.email;
      return refuse(`The sign-in came from tenant ${outcome.tenant}, not ${outcome.expected}.`);
    case 'unverifiable':
      d.stderr.write(`${c.row.label} does not say who signed in; the IMAP login checks it (sign in as ${c.want.asked}).\n`);
      return c.account.email;
    case 'unknown':
      d.stderr.write(`Warning: ${c.row.label} did not say who signed in.\n`);
      if (await confirm(`Store this sign-in as ${c.want.asked} without knowing whose it is?`, false)) return c.account.email;
      return refuse(`${c.row.label} did not say who signed in, so it cannot be checked against ${c.want.asked}.`);
  }
}
