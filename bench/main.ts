/**
 * Benchmarks, side by side in one run (never timed assertions in tests):
 *   node -e 0                 the floor: starting Node at all
 *   token, cache hit          what every mail-client connect costs
 *   token, refresh path       a refresh against the local identity platform
 * Runs are interleaved (A B C A B C ...) so drift on a shared machine hits every case alike.
 * Prints a table and writes bench/results/latest.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startIdp } from '../test/fixtures/idp.js';
import { startSecretService } from '../test/fixtures/secret-service.js';
import { makeTestCa } from '../test/fixtures/tls.js';
import { start, testEnv } from '../test/helpers/cli.js';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/cli.cjs');
process.env.MAILOAUTH_CLI = cli;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const USER = 'bench@contoso.example';

interface Case {
  label: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  check?: (stdout: string) => boolean;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]!;
  return { median: q(0.5), p95: q(0.95), min: s[0]!, max: s[s.length - 1]! };
};

/** Async, never spawnSync: the identity platform lives in this process and must keep answering. */
function exec(argv: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function timeOnce(c: Case): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = await exec(c.argv, c.env);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 || (c.check && !c.check(r.stdout))) throw new Error(`${c.label} failed (${r.status}): ${r.stderr}`);
  return ms;
}

async function peakRssKb(c: Case): Promise<number | undefined> {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = await exec(['/usr/bin/time', '-f', 'RSS=%M', ...c.argv], c.env);
  return Number(/RSS=(\d+)/.exec(r.stderr)?.[1]);
}

async function main() {
  const ca = await makeTestCa(mkdtempSync(join(tmpdir(), 'mailoauth-bench-ca-')));
  const idp = await startIdp({ tls: ca, users: [{ upn: USER }] });
  const ss = await startSecretService();
  try {
    const env = testEnv({ ...ss.env, NODE_EXTRA_CA_CERTS: ca.caFile });
    for (const [name, lifetime] of [['hit', 3600], ['refresh', 240]] as const) {
      // `refresh` gets 4-minute tokens: inside the 5-minute margin, so each of its runs refreshes.
      idp.setAccessTokenLifetime(lifetime);
      const p = start(['setup', '--yes', '--email', USER, '--name', name, '--flow', 'device', '--authority', idp.authority(), '--no-verify'], env);
      p.endInput();
      idp.approveDeviceCode((await idp.waitForDeviceCode(15_000)).userCode, USER);
      const r = await p.done;
      if (r.code !== 0) throw new Error(`setup failed: ${r.stderr}`);
    }
    const valid = (s: string) => Boolean(idp.isValidAccessToken(s.trim()));
    const cases: Case[] = [
      { label: 'node -e 0', argv: [process.execPath, '-e', '0'], env },
      { label: 'mailoauth token (cache hit)', argv: [process.execPath, cli, 'token', 'hit'], env, check: valid },
      { label: 'mailoauth token (refresh path)', argv: [process.execPath, cli, 'token', 'refresh'], env, check: valid },
    ];
    for (const c of cases) await timeOnce(c); // warm the page cache
    idp.resetCounts();
    const times = new Map(cases.map((c) => [c.label, [] as number[]]));
    for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c.label)!.push(await timeOnce(c));
    const refreshes = idp.counts()['token:refresh_token'] ?? 0;
    const rss = new Map<string, number | undefined>();
    for (const c of cases) rss.set(c.label, await peakRssKb(c));

    const moduleLog = join(mkdtempSync(join(tmpdir(), 'mailoauth-modules-')), 'loaded');
    await exec([process.execPath, '--import', join(root, 'bench/module-log.mjs'), cli, 'token', 'hit'], { ...env, MODULE_LOG: moduleLog });
    const modules = existsSync(moduleLog) ? readFileSync(moduleLog, 'utf8').trim().split('\n').map((m) => m.replace(`file://${root}/`, '').replace(`${root}/`, '')) : [];

    const floor = stats(times.get('node -e 0')!).median;
    const rows = cases.map((c) => {
      const s = stats(times.get(c.label)!);
      return { case: c.label, runs: RUNS, median_ms: +s.median.toFixed(1), p95_ms: +s.p95.toFixed(1), x_floor: +(s.median / floor).toFixed(2), peak_rss_kb: rss.get(c.label) };
    });
    const hit = rows[1]!;
    const refresh = rows[2]!;
    console.log(`\nmailoauth bench — node ${process.version}, ${RUNS} interleaved runs each\n`);
    console.log('| case | median ms | p95 ms | × node -e 0 | peak RSS KiB |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.case} | ${r.median_ms} | ${r.p95_ms} | ${r.x_floor} | ${r.peak_rss_kb ?? 'n/a'} |`);
    console.log(`\nrefresh path − cache hit: ${(refresh.median_ms - hit.median_ms).toFixed(1)} ms (median); refresh requests seen by the platform: ${refreshes} for ${RUNS} refresh runs`);
    console.log(`modules loaded on the cache-hit path (${modules.length}):\n  ${modules.join('\n  ')}`);
    const outDir = join(root, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'latest.json'), JSON.stringify({ node: process.version, runs: RUNS, rows, refreshRequests: refreshes, fastPathModules: modules, at: new Date().toISOString() }, null, 2));
    console.log(`\nwrote bench/results/latest.json`);
  } finally {
    await idp.stop();
    await ss.stop();
  }
}

await main();
