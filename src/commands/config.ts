import * as fs from 'node:fs';
import { newBackupLedger, readConfig } from '../clients/writer.js';
import type { Deps } from '../deps.js';
import { findAccount, readAccounts } from '../store/accounts.js';
import { applyClient, clientPath, parseClient, prerequisiteWarnings, renderBlock, type ApplyOptions } from './apply-client.js';

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
    // The block --write would write: the same Maildir decision, from the file as it is now.
    const path = clientPath(d, client, account.name, o.file);
    d.stdout.write(renderBlock(d, account, client, o, path, readConfig(path, { fs }).text).block);
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
