import * as fs from 'node:fs';
import type { Deps } from '../deps.js';
import { findAccount, readAccounts } from '../store/accounts.js';
import { applyClient, clientPath, prerequisiteWarnings, renderBlock, type ApplyOptions } from './apply.js';
import type { ClientId } from './index.js';
import { newBackupLedger, readConfig } from './writer.js';

/**
 * `mailoauth config`: ACCOUNT's block for one client on stdout, or (`write`) merged into the client's
 * config file. With --write --dry-run the diff is the data, so it goes to stdout.
 */
export async function configureClient(d: Deps, name: string, client: ClientId, o: ApplyOptions & { write: boolean }): Promise<void> {
  const account = findAccount(readAccounts(d.env), name);
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
