import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { exportForImapsync } from '../token/export.js';

export interface ExportOptions {
  imapsync?: string;
  watch?: boolean;
}

/** `mailoauth export ACCOUNT --imapsync FILE [--watch]` (src/token/export.ts). */
export async function exportCommand(d: Deps, name: string, o: ExportOptions): Promise<void> {
  if (!o.imapsync) throw new UserError(ExitCode.Usage, 'Say what to export: --imapsync FILE.', `mailoauth export ${name} --imapsync ~/oauth2_tokens_${name}.txt`);
  await exportForImapsync(d, name, o.imapsync, { watch: Boolean(o.watch) });
}
