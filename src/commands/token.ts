import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import type { TokenOptions } from '../token/format.js';
import { printToken } from '../token/print.js';

/** `mailoauth token ACCOUNT [--xoauth2|--json]` (src/token/print.ts); the fast path never gets here (src/main.ts). */
export async function tokenCommand(d: Deps, name: string, o: TokenOptions): Promise<void> {
  if (o.xoauth2 && o.json) throw new UserError(ExitCode.Usage, 'Choose --xoauth2 or --json, not both.', `mailoauth token ${name} --json`);
  await printToken(d, name, o);
}
