/**
 * Benchmarks, side by side in one run (never timed assertions in tests):
 *   node -e 0                 the floor: starting Node at all
 *   token, cache hit          what every mail-client connect costs: the runtime cache (a file in
 *                             memory, XDG_RUNTIME_DIR) answers, so the keychain is not asked
 *   token, no runtime cache   the same account where no memory runtime directory exists: one read
 *                             from the real Secret Service (what every hit cost before issue 14)
 *   token, refresh path       a refresh against the local identity platform
 *   the same with --store file, and --store gpg without a runtime cache (gpg-agent decrypts per call)
 *   sh front (prototype)      bench/sh-front.sh: the cache hit in POSIX sh, not shipped (README)
 *   mutt_oauth2.py            Debian mutt's helper on a cache hit, as its README says to use it: the
 *                             token file encrypted with GPG (a throwaway key in a temp GNUPGHOME,
 *                             agent warm), holding the same account's tokens
 * Runs are interleaved (A B C A B C ...) so drift on a shared machine hits every case alike.
 * Prints a table, the targets of issues 7 and 14 with the measured values, and writes
 * bench/results/latest.json.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const MUTT_OAUTH2 = '/usr/share/doc/mutt/examples/mutt_oauth2.py';

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

/**
 * Async, never spawnSync: the identity platform lives in this process and must keep answering.
 * stdout is read as latin1, byte for byte (gpg's binary output; tokens are ASCII either way).
 */
function exec(argv: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString('latin1')));
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin?.on('error', () => {}); // a program that exits without reading its input (EPIPE) is no failure here
    child.stdin?.end(input);
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

/** exec for set-up steps: stdout, or an error naming the command. */
async function run(argv: string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  const r = await exec(argv, env, input);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** A throwaway GPG key in a temp GNUPGHOME (agent warm after first use): for --store gpg and mutt_oauth2.py. */
async function gpgHome(env: NodeJS.ProcessEnv): Promise<{ env: NodeJS.ProcessEnv; id: string; dir: string; cleanup(): Promise<void> } | undefined> {
  if (!existsSync('/usr/bin/gpg')) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mailoauth-bench-gpg-'));
  const gnupg = join(dir, 'gnupg');
  mkdirSync(gnupg, { mode: 0o700 });
  const genv = { ...env, GNUPGHOME: gnupg };
  const id = 'mailoauth-bench@example.invalid';
  await run(['gpg', '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', id, 'default', 'default', 'never'], genv);
  return {
    env: genv,
    id,
    dir,
    async cleanup() {
      await run(['gpgconf', '--kill', 'gpg-agent'], genv).catch(() => '');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * mutt_oauth2.py set up the way its README says: a GPG key of the user's, the token file encrypted to
 * it (mode 0600), ENCRYPTION_PIPE naming that identity. It gets the access and refresh token of
 * mailoauth's `hit` account, so both print the same token from the same account data.
 * undefined when python3 or the script are missing (the bench then runs without this row).
 */
async function muttOauth2Case(g: { env: NodeJS.ProcessEnv; id: string; dir: string }, accessToken: string, refreshToken: string, expiresAt: number): Promise<Case | undefined> {
  if (!existsSync(MUTT_OAUTH2) || !existsSync('/usr/bin/python3')) return undefined;
  const script = join(g.dir, 'mutt_oauth2.py');
  writeFileSync(script, readFileSync(MUTT_OAUTH2, 'utf8').replace("'YOUR_GPG_IDENTITY'", JSON.stringify(g.id)));
  const tokenFile = join(g.dir, 'token.gpg');
  const token = {
    registration: 'microsoft', authflow: 'devicecode', email: USER,
    access_token: accessToken,
    // mutt_oauth2.py compares against datetime.now(): local time, no zone.
    access_token_expiration: new Date(expiresAt - new Date().getTimezoneOffset() * 60_000).toISOString().replace('Z', ''),
    refresh_token: refreshToken,
  };
  const encrypted = await run(['gpg', '--batch', '--trust-model', 'always', '--encrypt', '--recipient', g.id], g.env, JSON.stringify(token));
  writeFileSync(tokenFile, Buffer.from(encrypted, 'latin1'), { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  return { label: 'mutt_oauth2.py (GPG token file, cache hit)', argv: ['/usr/bin/python3', script, tokenFile], env: g.env, check: (out) => out.trim() === accessToken };
}

const cleanups: Array<() => Promise<void>> = [];

async function main() {
  const ca = await makeTestCa(mkdtempSync(join(tmpdir(), 'mailoauth-bench-ca-')));
  const idp = await startIdp({ tls: ca, users: [{ upn: USER }] });
  const ss = await startSecretService();
  try {
    const base = testEnv({ ...ss.env, NODE_EXTRA_CA_CERTS: ca.caFile });
    const gpg = await gpgHome(base);
    if (gpg) cleanups.push(gpg.cleanup);
    const env = gpg?.env ?? base;
    const accounts: Array<[string, number, string[]]> = [
      ['hit', 3600, ['--store', 'keychain']], ['refresh', 240, ['--store', 'keychain']],
      ['hit-file', 3600, ['--store', 'file']], ['refresh-file', 240, ['--store', 'file']],
      ...(gpg ? [['hit-gpg', 3600, ['--store', 'gpg', '--gpg-recipient', gpg.id]] as [string, number, string[]]] : []),
    ];
    for (const [name, lifetime, store] of accounts) {
      // `refresh` gets 4-minute tokens: inside the 5-minute margin, so each of its runs refreshes.
      idp.setAccessTokenLifetime(lifetime);
      const p = start(['setup', '--yes', '--email', USER, '--name', name, '--flow', 'device', '--authority', idp.authority(), '--no-verify', ...store], env);
      p.endInput();
      idp.approveDeviceCode((await idp.waitForDeviceCode(15_000)).userCode, USER);
      const r = await p.done;
      if (r.code !== 0) throw new Error(`setup failed: ${r.stderr}`);
    }
    // Every token issued from now on is a refresh path's: 4 minutes, so the next run refreshes again.
    idp.setAccessTokenLifetime(240);
    const valid = (s: string) => Boolean(idp.isValidAccessToken(s.trim()));
    // Where no memory runtime directory exists (a server without systemd-logind): every hit reads the store.
    const noCache = { ...env, XDG_RUNTIME_DIR: '/nonexistent-runtime-dir' };
    // A new user of the same keychain: doctor checks the keychain and the mail programs, and has no account to log in with.
    const fresh = testEnv({ ...ss.env });
    // list's loading apart from its store reads: the same user with only the two --store file accounts
    // (the full list also reads two Secret Service items and runs gpg to decrypt one record).
    const filesOnly = testEnv({ ...ss.env, NODE_EXTRA_CA_CERTS: ca.caFile });
    cpSync(join(env.XDG_CONFIG_HOME!, 'mailoauth'), join(filesOnly.XDG_CONFIG_HOME, 'mailoauth'), { recursive: true });
    const accountsPath = join(filesOnly.XDG_CONFIG_HOME, 'mailoauth', 'accounts.json');
    const all = JSON.parse(readFileSync(accountsPath, 'utf8')) as { accounts: Array<{ store: string }> };
    writeFileSync(accountsPath, JSON.stringify({ ...all, accounts: all.accounts.filter((a) => a.store === 'file') }), { mode: 0o600 });
    const cases: Case[] = [
      { label: 'node -e 0', argv: [process.execPath, '-e', '0'], env },
      { label: 'mailoauth token (keychain, cache hit)', argv: [process.execPath, cli, 'token', 'hit'], env, check: valid },
      { label: 'mailoauth token (keychain, no runtime cache)', argv: [process.execPath, cli, 'token', 'hit'], env: noCache, check: valid },
      { label: 'mailoauth token (keychain, refresh path)', argv: [process.execPath, cli, 'token', 'refresh'], env, check: valid },
      { label: 'mailoauth token --store file (cache hit)', argv: [process.execPath, cli, 'token', 'hit-file'], env, check: valid },
      { label: 'mailoauth token --store file (refresh path)', argv: [process.execPath, cli, 'token', 'refresh-file'], env, check: valid },
      ...(gpg ? [{ label: 'mailoauth token --store gpg (no runtime cache)', argv: [process.execPath, cli, 'token', 'hit-gpg'], env: noCache, check: valid }] : []),
      { label: 'sh front, prototype (cache hit)', argv: [join(root, 'bench/sh-front.sh'), 'token', 'hit'], env: { ...env, MAILOAUTH_NODE_CLI: cli }, check: valid },
      // The other commands (issue 17): commands.cjs and only what the command imports.
      { label: 'mailoauth --help', argv: [process.execPath, cli, '--help'], env },
      { label: 'mailoauth list', argv: [process.execPath, cli, 'list'], env, check: (out) => out.includes('hit-file') },
      { label: 'mailoauth list (--store file accounts only)', argv: [process.execPath, cli, 'list'], env: filesOnly, check: (out) => out.includes('hit-file') && !out.includes('hit-gpg') },
      { label: 'mailoauth doctor (no accounts: no network)', argv: [process.execPath, cli, 'doctor'], env: fresh },
      // doctor apart from the mail programs' own version commands (offlineimap alone starts in ~210 ms).
      { label: 'mailoauth doctor (no accounts, no mail program on PATH)', argv: [process.execPath, cli, 'doctor'], env: { ...fresh, PATH: mkdtempSync(join(tmpdir(), 'mailoauth-empty-path-')) } },
    ];
    const hitJson = JSON.parse(await run([process.execPath, cli, 'token', 'hit', '--json'], env)) as { access_token: string; expires_at: string | number };
    const expiresAt = typeof hitJson.expires_at === 'number' ? hitJson.expires_at * (hitJson.expires_at < 1e12 ? 1000 : 1) : Date.parse(hitJson.expires_at);
    const mutt = gpg ? await muttOauth2Case(gpg, hitJson.access_token, idp.lastRefreshToken(USER) ?? 'unused-on-a-cache-hit', expiresAt) : undefined;
    if (mutt) cases.push(mutt);
    else console.log(`(no mutt_oauth2.py row: needs python3, gpg and ${MUTT_OAUTH2})`);
    for (const c of cases) await timeOnce(c); // warm the page cache, the runtime cache and gpg-agent
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
    const row = (label: string) => rows.find((r) => r.case.startsWith(label));
    const hit = row('mailoauth token (keychain, cache hit)')!;
    const refresh = row('mailoauth token (keychain, refresh path)')!;
    const hitFile = row('mailoauth token --store file (cache hit)')!;
    const refreshFile = row('mailoauth token --store file (refresh path)')!;
    const sh = row('sh front')!;
    const muttRow = row('mutt_oauth2.py');
    const others = [row('mailoauth --help')!, row('mailoauth list')!, row('mailoauth doctor')!];
    console.log(`\nmailoauth bench — node ${process.version}, ${RUNS} interleaved runs each\n`);
    console.log('| case | median ms | p95 ms | × node -e 0 | peak RSS KiB | RSS × node -e 0 |');
    console.log('|---|---:|---:|---:|---:|---:|');
    const floorRow = rows[0]!;
    const rssX = (r: typeof rows[0]) => (r.peak_rss_kb && floorRow.peak_rss_kb ? (r.peak_rss_kb / floorRow.peak_rss_kb).toFixed(2) : 'n/a');
    for (const r of rows) console.log(`| ${r.case} | ${r.median_ms} | ${r.p95_ms} | ${r.x_floor} | ${r.peak_rss_kb ?? 'n/a'} | ${rssX(r)} |`);
    const gap = refresh.median_ms - hit.median_ms;
    const faster = (r: typeof rows[0]) => (muttRow ? muttRow.median_ms / r.median_ms : 0);
    const targets = [
      ['keychain cache hit ≤ 1.2× node -e 0 (median wall; issue 14)', `${hit.x_floor}× (${hitFile.x_floor}× --store file)`, hit.x_floor <= 1.2],
      ['cache hit ≤ 1.25× node -e 0 (issue 7)', `${hit.x_floor}×`, hit.x_floor <= 1.25],
      ['stretch: sh front ≥ 5× faster than mutt_oauth2.py (issue 14)', muttRow ? `${faster(sh).toFixed(1)}× (prototype, not shipped)` : 'not measured', faster(sh) >= 5],
      ['≥ 2× faster than mutt_oauth2.py with a GPG token file (issue 7)', muttRow ? `${faster(hit).toFixed(2)}× (mutt_oauth2.py ${muttRow.median_ms} ms = ${muttRow.x_floor}× node -e 0)` : 'not measured', faster(hit) >= 2],
      ['refresh path ≤ 150 ms above cache hit', `+${gap.toFixed(1)} ms (keychain), +${(refreshFile.median_ms - hitFile.median_ms).toFixed(1)} ms (--store file)`, gap <= 150],
      ['peak RSS ≤ 1.3× node -e 0 (cache hit)', rssX(hit) + '×', Number(rssX(hit)) <= 1.3],
      ['--help, list, doctor (no network) ≤ 1.5× node -e 0 (issue 17)', `${others[0]!.x_floor}×, ${others[1]!.x_floor}× (${row('mailoauth list (--store file')!.x_floor}× with only --store file accounts), ${others[2]!.x_floor}× (${row('mailoauth doctor (no accounts, no mail')!.x_floor}× with no mail program to ask)`, others.every((r) => r.x_floor <= 1.5)],
    ] as const;
    console.log('\n| target | measured | met |\n|---|---|---|');
    for (const [t, m, ok] of targets) console.log(`| ${t} | ${m} | ${ok ? 'yes' : 'no'} |`);
    console.log(`\nrefresh requests seen by the platform: ${refreshes} for ${2 * RUNS} refresh runs`);
    console.log(`modules loaded on the cache-hit path (${modules.length}):\n  ${modules.join('\n  ')}`);
    const outDir = join(root, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'latest.json'), JSON.stringify({ node: process.version, runs: RUNS, rows, targets: targets.map(([target, measured, met]) => ({ target, measured, met })), refreshRequests: refreshes, fastPathModules: modules, at: new Date().toISOString() }, null, 2));
    console.log(`\nwrote bench/results/latest.json`);
  } finally {
    for (const c of cleanups.splice(0).reverse()) await c();
    await idp.stop();
    await ss.stop();
  }
}

await main();
