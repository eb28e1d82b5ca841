import { CLIENT_IDS } from '../clients/index.js';
import { newBackupLedger } from '../clients/writer.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { findAccount, readAccounts, updateAccounts } from '../store/accounts.js';
import { openStore } from '../store/open-store.js';
import { accountKeys } from '../store/records.js';
import { removeClient } from '../clients/apply.js';

/**
 * `mailoauth remove ACCOUNT`: managed blocks first (each file backed up, written atomically), then
 * the secrets, then the metadata, so an interruption never leaves configs pointing at a token
 * command for an account that no longer exists without the user being able to rerun remove.
 */
export async function removeAccount(d: Deps, name: string, o: { dryRun: boolean; yes: boolean }): Promise<void> {
  const account = findAccount(readAccounts(d.env), name);
  if (!o.yes && !o.dryRun) {
    if (!d.canPrompt) throw new UserError(ExitCode.Usage, `Not removing ${account.name} without confirmation (standard input is not a terminal).`, `mailoauth remove ${account.name} --yes`);
    const ok = await d.prompt.confirm({ id: 'remove', message: `Remove ${account.name}: its tokens, metadata and managed config blocks?`, default: false });
    if (!ok) {
      d.stderr.write('Nothing removed.\n');
      return;
    }
  }
  const backups = newBackupLedger();
  for (const client of CLIENT_IDS) {
    const r = removeClient(d, account.name, client, { dryRun: o.dryRun }, backups);
    if (!r) continue;
    (o.dryRun ? d.stdout : d.stderr).write(r.diff);
    if (!o.dryRun) d.stderr.write(`Removed the ${client} block from ${r.path}${r.backupPath ? ` (backup: ${r.backupPath})` : ''}\n`);
  }
  if (o.dryRun) {
    d.stderr.write(`(dry run: would also delete the keychain items and the metadata of ${account.name})\n`);
    return;
  }
  const store = openStore(account, d);
  for (const key of accountKeys(account.name)) await store.delete(key);
  await updateAccounts(d.env, (f) => ({ ...f, accounts: f.accounts.filter((a) => a.name !== account.name) }));
  d.stderr.write(`Removed ${account.name}.\n`);
}
