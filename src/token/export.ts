import { IMAPSYNC_SPEAKS, imapsyncCommand } from '../clients/imapsync.js';
import { saslGaps } from '../clients/sasl-support.js';
import { debugLog } from '../debug-log.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { REFRESH_MARGIN_MS } from '../store/records.js';
import { getAccessRecord } from './access.js';

/** When to rewrite next: just inside the refresh margin, so `token` refreshes; never sooner than 1 s. */
export function nextRewriteAt(expiresAt: number, now: number): number {
  return Math.max(now + 1000, expiresAt - REFRESH_MARGIN_MS + 1000);
}

/**
 * `mailoauth export ACCOUNT --imapsync FILE [--watch]`: the token file imapsync's
 * --oauthaccesstoken1/2 reads (line 1: the access token), 0600, replaced atomically. The refresh
 * token stays in the keychain. --watch keeps rewriting it before expiry, so a migration that runs
 * for hours never presents an expired token (seed 000 reran its script every 30 minutes by hand).
 */
export async function exportForImapsync(d: Deps, name: string, file: string, o: { watch: boolean }): Promise<void> {
  const log = debugLog(d);
  const first = await getAccessRecord(d, name, log);
  const account = first.account;
  let rec = first.outcome.rec;
  writeFileAtomic(file, `${rec.accessToken}\n`, 0o600);
  d.stderr.write(`Wrote the access token for ${account.name} to ${file} (0600; valid until ${new Date(rec.expiresAt).toISOString()}).\n` +
    `imapsync command:\n  ${imapsyncCommand(account, file)} ...\n`);
  for (const g of saslGaps({ speaks: IMAPSYNC_SPEAKS }, account)) {
    d.stderr.write(`warning: imapsync logs in with ${g.speaks.join('/').toUpperCase()} only, and ${account.name}'s IMAP server needs ${g.needs.toUpperCase()}: it will refuse imapsync's login.\n`);
  }
  if (!o.watch) return;

  d.stderr.write('Watching: the file is rewritten before the token expires. Stop with Ctrl-C.\n');
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  // `on`, not `once`, and kept until the loop ends: proper-lockfile's signal-exit re-raises a signal
  // that no other listener is left to handle, which would kill us mid-rewrite.
  const onSignal = () => stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  for (;;) {
    const wait = nextRewriteAt(rec.expiresAt, d.now()) - d.now();
    let timer: NodeJS.Timeout | undefined;
    const due = await Promise.race([stopped.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), wait)))]);
    clearTimeout(timer);
    if (!due) break;
    try {
      rec = (await getAccessRecord(d, name, log)).outcome.rec;
      writeFileAtomic(file, `${rec.accessToken}\n`, 0o600);
      d.stderr.write(`${new Date(d.now()).toISOString()} rewrote ${file} (valid until ${new Date(rec.expiresAt).toISOString()})\n`);
    } catch (e) {
      // Sign-in problems end the watch; a flaky network only delays it (the file still holds a token
      // valid for a few minutes).
      if (e instanceof UserError && e.exitCode !== ExitCode.Unavailable) throw e;
      d.stderr.write(`${new Date(d.now()).toISOString()} could not refresh (${(e as Error).message}); trying again in 30 s\n`);
      rec = { ...rec, expiresAt: d.now() + REFRESH_MARGIN_MS + 30_000 - 1000 };
    }
  }
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  d.stderr.write('Stopped watching.\n');
}
