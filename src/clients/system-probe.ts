import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { Probe } from './prerequisites.js';

/** How a program is run to ask it something: no shell, C locale (the version patterns read English), 10 s deadline. */
const runOptions = (env: Record<string, string | undefined>) => ({ env: { ...env, LC_ALL: 'C' }, timeout: 10_000 });

/** The real machine behind checkPrerequisites: run programs without a shell, list directories. */
export function systemProbe(env: Record<string, string | undefined>): Probe {
  return {
    run(cmd, args) {
      const r = spawnSync(cmd, args, { ...runOptions(env), encoding: 'utf8' });
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

type RunResult = ReturnType<Probe['run']>;

/**
 * Run programs at the same time (doctor's version checks: offlineimap alone takes ~200 ms to start), each
 * as `systemProbe(env).run` does (`runOptions`), `null` when it can't be started.
 */
export function runConcurrently(env: Record<string, string | undefined>, commands: ReadonlyArray<readonly [string, string[]]>): Promise<RunResult[]> {
  return Promise.all(commands.map(([cmd, args]) => new Promise<RunResult>((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(cmd, args, { ...runOptions(env), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', () => resolve(null));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  })));
}
