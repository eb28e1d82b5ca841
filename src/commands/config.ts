import type { ApplyOptions } from '../clients/apply.js';
import { configureClient } from '../clients/configure.js';
import { parseClient } from '../clients/index.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';

export interface ConfigOptions extends ApplyOptions {
  client: string;
  print?: boolean;
  write?: boolean;
}

/** `mailoauth config ACCOUNT --client NAME [--print|--write]` (src/clients/configure.ts). */
export async function configCommand(d: Deps, name: string, o: ConfigOptions): Promise<void> {
  if (o.print && o.write) throw new UserError(ExitCode.Usage, 'Choose --print or --write, not both.', `mailoauth config ${name} --client ${o.client} --write`);
  await configureClient(d, name, parseClient(o.client), {
    file: o.file, caFile: o.caFile, maildir: o.maildir, dryRun: o.dryRun, force: o.force, write: Boolean(o.write),
  });
}
