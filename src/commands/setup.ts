import type { Deps } from '../deps.js';
import type { SetupOptions } from '../setup/options.js';

/** `mailoauth setup` (and bare `mailoauth` on a terminal): commander's options, handed to the setup domain. */
export async function setupCommand(d: Deps, o: SetupOptions): Promise<void> {
  const { runSetup } = await import('../setup/run.js');
  await runSetup(d, o);
}
