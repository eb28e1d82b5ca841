import { spawnSync } from 'node:child_process';

/**
 * Which of the named programs are missing from PATH. Suites call this at load time:
 * locally a missing tool skips the suite with a printed reason; with CI=true it is a failure,
 * so CI always runs everything.
 */
export function missingTools(tools: string[]): string[] {
  return tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
}

/** Returns true when the suite should be skipped (prints why); throws under CI. */
export function skipWithout(suite: string, tools: string[]): boolean {
  const missing = missingTools(tools);
  if (missing.length === 0) return false;
  const msg = `${suite}: missing ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${msg} (CI=true: every suite must run; .ci/run installs them)`);
  console.warn(`skipping ${msg}`);
  return true;
}
