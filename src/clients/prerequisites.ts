/**
 * What each client needs before its block can work, as data, plus one checker that walks it. The
 * checker's effects (running a program, listing a directory) come in as `probe`, so the decision is
 * testable without the programs installed.
 */

export interface InstallHints {
  debian: string;
  fedora?: string;
  arch?: string;
  macos?: string;
}

/** A file that must exist in one of several directories, e.g. a Cyrus SASL plugin. */
export interface FileCheck {
  id: string;
  what: string;
  why: string;
  /** Directories to look in; one `*` path segment matches any entry (Debian's multiarch triplets). */
  dirs: string[];
  /** Environment variable holding more directories, colon-separated (SASL_PATH). */
  envDirs?: string;
  file: RegExp;
  install: InstallHints;
  /** Without it the program is not really there (git without git send-email): see isInstalled. */
  part?: boolean;
}

export interface Prerequisites {
  program: string;
  versionArgs: string[];
  /** First capture group is the version. */
  versionPattern: RegExp;
  minVersion: string;
  /** Why that minimum: what older versions lack. */
  why: string;
  install: InstallHints;
  files: FileCheck[];
}

export interface Probe {
  /** Run a program; `null` when it can't be started (not on PATH). */
  run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } | null;
  /** Directory entries; `null` when the directory doesn't exist or can't be read. */
  listDir(path: string): string[] | null;
  env: Record<string, string | undefined>;
}

export interface Finding {
  ok: boolean;
  /** What is missing or too old, for people. */
  problem?: string;
  why?: string;
  install?: InstallHints;
}

export interface PrerequisiteReport {
  ok: boolean;
  version?: string;
  findings: Finding[];
}

/** Compare dotted versions numerically (1.8.9 < 1.8.13; NeoMutt's 20220429 is one big number). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function expandDirs(check: FileCheck, probe: Probe): string[] {
  const fromEnv = (check.envDirs ? probe.env[check.envDirs] ?? '' : '').split(':').filter(Boolean);
  return [...fromEnv, ...check.dirs].flatMap((d) => {
    const star = d.indexOf('/*/');
    if (star === -1) return [d];
    const parent = d.slice(0, star);
    return (probe.listDir(parent) ?? []).map((e) => `${parent}/${e}/${d.slice(star + 3)}`);
  });
}

/** The program runs, and the files that are part of it exist: what the wizard preselects. */
export function isInstalled(p: Prerequisites, probe: Probe): boolean {
  if (probe.run(p.program, p.versionArgs) === null) return false;
  return p.files.filter((f) => f.part).every((f) => expandDirs(f, probe).some((d) => (probe.listDir(d) ?? []).some((e) => f.file.test(e))));
}

export function checkPrerequisites(p: Prerequisites, probe: Probe): PrerequisiteReport {
  const findings: Finding[] = [];
  const r = probe.run(p.program, p.versionArgs);
  let version: string | undefined;
  if (r === null) {
    findings.push({ ok: false, problem: `${p.program} is not installed (not found on PATH).`, why: p.why, install: p.install });
  } else {
    version = p.versionPattern.exec(`${r.stdout}\n${r.stderr}`)?.[1];
    if (version === undefined) {
      findings.push({ ok: false, problem: `Could not tell which ${p.program} version is installed ` +
        `(\`${[p.program, ...p.versionArgs].join(' ')}\` printed no version).`, why: p.why, install: p.install });
    } else if (compareVersions(version, p.minVersion) < 0) {
      findings.push({ ok: false, problem: `${p.program} ${version} is too old: ${p.minVersion} or newer is needed.`,
        why: p.why, install: p.install });
    } else {
      findings.push({ ok: true });
    }
  }
  for (const f of p.files) {
    const dirs = expandDirs(f, probe);
    const found = dirs.some((d) => (probe.listDir(d) ?? []).some((e) => f.file.test(e)));
    findings.push(found ? { ok: true } : {
      ok: false, problem: `${f.what} is not installed (looked in ${dirs.join(', ') || 'no directories'}).`,
      why: f.why, install: f.install,
    });
  }
  return { ok: findings.every((f) => f.ok), version, findings };
}
