import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { notifyDesktop } from '../notify/desktop.js';
import { probeSessionBus } from '../store/dbus-probe.js';
import { configDir } from '../store/paths.js';
import { busCandidates, locateSessionBus } from '../store/session-bus.js';
import type { Tuning } from '../tuning.js';
import type { Alert } from './alert.js';

export interface AlertDeps {
  env: NodeJS.ProcessEnv;
  now(): number;
  stderr: NodeJS.WritableStream;
  log?: (line: string) => void;
  /** `--notify-cmd`: the user's command instead of a desktop notification (else MAILOAUTH_NOTIFY_CMD, in `notify`). */
  notifyCmd?: string;
  notify: Tuning['notify'];
}

export type AlertOutcome = 'already-today' | 'command' | 'desktop' | 'stderr';

/** The local calendar day, YYYY-MM-DD: "once a day" is the user's day. */
export function localDay(now: number): string {
  const d = new Date(now);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The right to alert for `account` today. Many `token` processes run at once (one per mail-client
 * connection): creating the day's stamp file with O_EXCL lets exactly one of them win. Earlier
 * days' stamps of the account are removed by the winner.
 */
export function claimToday(dir: string, account: string, now: number): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = `${account}.${localDay(now)}`;
  try {
    closeSync(openSync(join(dir, stamp), 'wx', 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  for (const f of readdirSync(dir)) {
    if (f !== stamp && f.startsWith(`${account}.`) && /^\d{4}-\d{2}-\d{2}$/.test(f.slice(account.length + 1))) unlinkSync(join(dir, f));
  }
  return true;
}

export const notifiedDir = (env: NodeJS.ProcessEnv) => join(configDir(env), 'notified');

/** Server words end up in the text: no control characters but the line breaks. */
const clean = (s: string) => s.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');

/**
 * Tell the user, once per account per day: their own command (--notify-cmd), else a desktop
 * notification over D-Bus where a notification service runs, else a line on stderr.
 */
export async function sendAlert(alert: Alert, d: AlertDeps): Promise<AlertOutcome> {
  if (!claimToday(notifiedDir(d.env), alert.account, d.now())) {
    d.log?.(`alert for ${alert.account} already sent today`);
    return 'already-today';
  }
  const cmd = d.notifyCmd ?? d.notify.cmd;
  if (cmd) {
    runNotifyCommand(cmd, alert, d.env);
    d.log?.(`alert for ${alert.account}: ran the notify command`);
    return 'command';
  }
  const timeoutMs = d.notify.timeoutMs;
  const bus = await locateSessionBus(busCandidates(d.env, process.getuid?.()), probeSessionBus, Math.min(timeoutMs, 1000));
  if (bus.kind === 'found' && bus.bus.socket) {
    const r = await notifyDesktop(bus.bus.socket, { summary: clean(alert.summary), body: clean(alert.body) }, timeoutMs);
    d.log?.(`alert for ${alert.account}: desktop notification ${r.kind}${r.kind === 'shown' ? '' : ` (${r.kind === 'refused' ? r.error : r.detail})`}`);
    if (r.kind === 'shown') return 'desktop';
  }
  // A refusal is already on stderr as the command's error, with the same fix.
  if (alert.kind === 'due') d.stderr.write(`mailoauth: ${clean(alert.summary.replace(/^mailoauth: /, ''))}\n${clean(alert.body).split('\n').map((l) => `  ${l}`).join('\n')}\n`);
  return 'stderr';
}

/**
 * The user's command, through the shell, detached: a mail client waiting for its token never waits
 * for it, and its output never mixes with the token on stdout. What to say comes in the environment.
 */
function runNotifyCommand(cmd: string, a: Alert, env: NodeJS.ProcessEnv): void {
  const child = spawn(cmd, {
    shell: true,
    detached: true,
    stdio: 'ignore',
    env: {
      ...env,
      MAILOAUTH_ACCOUNT: a.account,
      MAILOAUTH_REASON: a.kind,
      MAILOAUTH_SUMMARY: clean(a.summary),
      MAILOAUTH_BODY: clean(a.body),
      MAILOAUTH_FIX: a.fix,
      MAILOAUTH_REAUTH_BY: a.reauthBy === null ? '' : new Date(a.reauthBy).toISOString(),
    },
  });
  child.on('error', () => {});
  child.unref();
}
