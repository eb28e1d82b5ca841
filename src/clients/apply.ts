import * as fs from 'node:fs';
import type { Account } from '../account.js';
import { saslRefusal } from './sasl-support.js';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';
import { homeDir } from '../xdg.js';
import { managedBlocks } from './block.js';
import { CLIENTS, isConflict, type ClientId, type PathEnv, type RenderOptions } from './index.js';
import { decideLocalStore } from './local-store-files.js';
import { checkPrerequisites } from './prerequisites.js';
import { checkSelfPath, type PathStat } from './self-path.js';
import { systemCaFile } from './system-ca.js';
import { systemProbe } from './system-probe.js';
import { updateConfig, type BackupLedger, type WriterDeps } from './writer.js';

/**
 * Writing one client's block for an account, with everything around it: where its file is, the
 * Maildir decision, prerequisites, the writer's diff/backup/atomic write, the directories the program
 * will not create itself. Used by config, setup and remove.
 */

export interface ApplyOptions {
  /** Config file to edit instead of the client's default. */
  file?: string;
  caFile?: string;
  maildir?: string;
  dryRun?: boolean;
  force?: boolean;
}

export interface ApplyResult {
  client: ClientId;
  path: string;
  changed: boolean;
  written: boolean;
  diff: string;
  backupPath?: string;
  /** Prerequisite problems, each with why and how to install: the block is still offered. */
  warnings: string[];
}

export const renderOptions = (d: Deps, o: ApplyOptions): RenderOptions =>
  ({ bin: d.selfPath, caFile: o.caFile, maildir: o.maildir, systemCaFile: systemCaFile((p) => fs.existsSync(p)) });

/** What a missing or too-old program means for this block, as lines for people. */
export function prerequisiteWarnings(client: ClientId, env: NodeJS.ProcessEnv): string[] {
  const report = checkPrerequisites(CLIENTS[client].prerequisites(), systemProbe(env));
  return report.findings.filter((f) => !f.ok).map((f) =>
    `${f.problem}${f.why ? ` ${f.why}` : ''}${f.install?.debian ? ` Install: ${f.install.debian}` : ''}`);
}

/** Where ACCOUNT's block for `client` goes unless --file says: the client's own rc file (as the client looks for it). */
export function clientPath(d: Deps, client: ClientId, accountName: string, file?: string): string {
  return file ?? CLIENTS[client].defaultPath(pathEnv(d), (p) => fs.existsSync(p), accountName);
}

const pathEnv = (d: Pick<Deps, 'env'>): PathEnv => ({ HOME: homeDir(d.env), XDG_CONFIG_HOME: d.env.XDG_CONFIG_HOME, MAILRC: d.env.MAILRC });
const writerDeps = (d: Pick<Deps, 'now'>): WriterDeps => ({ fs, now: d.now, pid: process.pid, uid: process.getuid?.() });

/**
 * ACCOUNT's block for `client`, as it goes into `path` (now holding `text`): a program that keeps
 * mail locally keeps the Maildir its existing block names, and no other managed block's (local-store-files.ts).
 */
export function renderBlock(d: Deps, account: Account, client: ClientId, o: ApplyOptions, path: string, text: string):
  { block: string; ropts: RenderOptions; warnings: string[] } {
  const c = CLIENTS[client];
  // A block the program could not log in with is never rendered (print or write).
  const refused = saslRefusal(client, account);
  if (refused) throw refused;
  const base = renderOptions(d, o);
  if (!c.localStore) return { block: c.render(account, base), ropts: base, warnings: [] };
  const { store, warnings } = decideLocalStore(pathEnv(d), account, client, path, text, o.maildir);
  const ropts = { ...base, maildir: store };
  return { block: c.render(account, ropts), ropts, warnings };
}

/**
 * Render ACCOUNT's block for one client and merge it into the client's config file: diff, backup
 * once per run, atomic write (the writer), and the directories the client will not create itself.
 */
export function applyClient(d: Deps, account: Account, client: ClientId, o: ApplyOptions, backups: BackupLedger): ApplyResult {
  const c = CLIENTS[client];
  const path = clientPath(d, client, account.name, o.file);
  const selfWarnings = checkSelfPath(selfPaths(d.selfPath), statOrUndefined, process.getuid?.() ?? 0);
  let rendered: ReturnType<typeof renderBlock> | undefined;
  const { plan, written, backupPath } = updateConfig(
    path,
    (text) => {
      rendered = renderBlock(d, account, client, o, path, text);
      const r = c.merge(text, account, rendered.block, { force: o.force, label: path });
      if (isConflict(r)) {
        throw new UserError(ExitCode.Usage, `${path}: ${r.reason}\n${r.conflict}`, `Keep your edits outside the managed block, or replace it: --force`);
      }
      return r.text;
    },
    writerDeps(d),
    { dryRun: o.dryRun, backups },
  );
  if (written) {
    for (const dir of c.directories?.(account, rendered!.ropts) ?? []) {
      fs.mkdirSync(dir.replace(/^~(?=\/)/, pathEnv(d).HOME), { recursive: true, mode: 0o700 });
    }
  }
  return { client, path, changed: plan.changed, written, diff: plan.diff, backupPath,
    warnings: [...selfWarnings, ...rendered!.warnings, ...requiredBlockWarnings(d, account.name, client), ...prerequisiteWarnings(client, d.env)] };
}

/** The path the blocks name, and where it really leads (an npm bin is a symlink into node_modules). */
function selfPaths(self: string): string[] {
  try {
    return [self, fs.realpathSync(self)];
  } catch {
    return [self];
  }
}

function statOrUndefined(p: string): PathStat | undefined {
  try {
    const st = fs.statSync(p);
    return { uid: st.uid, mode: st.mode };
  } catch {
    return undefined;
  }
}

/** A block that works through another client's block (git send-email through msmtp's) says when that one is missing. */
function requiredBlockWarnings(d: Deps, accountName: string, client: ClientId): string[] {
  const needed = CLIENTS[client].requires;
  if (!needed) return [];
  const path = clientPath(d, needed, accountName);
  const text = fs.existsSync(path) ? fs.readFileSync(path, 'utf8') : '';
  if (managedBlocks(text).some((b) => b.name === accountName)) return [];
  return [`${client} sends through ${needed}'s account ${accountName}, and ${path} has no mailoauth block for it. ` +
    `Write it: mailoauth config ${accountName} --client ${needed} --write`];
}

/** Remove ACCOUNT's managed block from one client's config file, if the file has one. */
export function removeClient(d: Deps, accountName: string, client: ClientId, o: { dryRun?: boolean }, backups: BackupLedger): ApplyResult | undefined {
  const c = CLIENTS[client];
  const path = clientPath(d, client, accountName);
  if (!fs.existsSync(path)) return undefined;
  const { plan, written, backupPath } = updateConfig(
    path,
    (text) => {
      const r = c.unmerge(text, accountName);
      if (isConflict(r)) throw new UserError(ExitCode.Usage, `${path}: ${r.reason}\n${r.conflict}`, 'Remove the block by hand');
      return r.text;
    },
    writerDeps(d),
    { dryRun: o.dryRun, backups },
  );
  return plan.changed ? { client, path, changed: true, written, diff: plan.diff, backupPath, warnings: [] } : undefined;
}

