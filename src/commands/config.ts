import { newBackupLedger } from '../clients/writer.js';
import { CLIENTS } from '../clients/index.js';
import type { Deps } from '../deps.js';
import { findAccount, readAccounts } from '../store/accounts.js';
import { applyClient, parseClient, prerequisiteWarnings, renderOptions, type ApplyOptions } from './apply-client.js';

export interface ConfigOptions extends ApplyOptions {
  client: string;
  print?: boolean;
  write?: boolean;
}

/**
 * `mailoauth config ACCOUNT --client NAME [--print|--write]`: the block on stdout (default), or merged
 * into the client's config file. With --write --dry-run the diff is the data, so it goes to stdout.
 */
export async function configCommand(d: Deps, name: string, o: ConfigOptions): Promise<void> {
  const account = findAccount(readAccounts(d.env), name);
  const client = parseClient(o.client);
  if (!o.write) {
    d.stdout.write(CLIENTS[client].render(account, renderOptions(d, o)));
    for (const w of prerequisiteWarnings(client, d.env)) d.stderr.write(`warning: ${w}\n`);
    return;
  }
  const r = applyClient(d, account, client, o, newBackupLedger());
  for (const w of r.warnings) d.stderr.write(`warning: ${w}\n`);
  if (!r.changed) {
    d.stderr.write(`${r.path} already has this block; nothing to do.\n`);
    return;
  }
  (o.dryRun ? d.stdout : d.stderr).write(r.diff);
  if (o.dryRun) d.stderr.write(`(dry run: ${r.path} not written)\n`);
  else d.stderr.write(`Wrote ${r.path}${r.backupPath ? ` (backup: ${r.backupPath})` : ''}\n`);
}
