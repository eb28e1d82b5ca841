import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { Probe } from './prerequisites.js';

/** The real machine behind checkPrerequisites: run programs without a shell, list directories. */
export function systemProbe(env: Record<string, string | undefined>): Probe {
  return {
    run(cmd, args) {
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000, env: { ...env, LC_ALL: 'C' } });
      if (r.error) return null;
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    listDir(path) {
      try {
        return readdirSync(path);
      } catch {
        return null;
      }
    },
    env,
  };
}
