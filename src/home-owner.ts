import { statSync } from 'node:fs';
import { ExitCode, UserError } from './errors.js';

/** The process calls this needs (node:process), given so tests can check the decision. */
export interface Credentials {
  getuid?(): number;
  initgroups?(user: number, extraGroup: number): void;
  setgroups?(groups: number[]): void;
  setgid?(id: number): void;
  setuid?(id: number): void;
}

/**
 * Root running with another user's HOME (sudo -E, su -m, a provisioning script) works on that user's
 * files: accounts.json, the secrets, the mail programs' configs, symlinks the user controls. Done as
 * root it would leave root-owned files the user's own mail programs can no longer read, and follow the
 * user's symlinks with root's rights. So mailoauth becomes that user first — groups, group, user, in
 * that order, for good — and does everything as them. Returns the uid it became, if it changed.
 * Called first thing by the executable's entry; costs one getuid() for everyone but root.
 */
export function becomeHomeOwner(env: NodeJS.ProcessEnv, proc: Credentials = process): number | undefined {
  if (proc.getuid?.() !== 0 || !env.HOME) return undefined;
  let owner: { uid: number; gid: number };
  try {
    owner = statSync(env.HOME);
  } catch {
    return undefined; // no such HOME: nothing of anyone's to write through
  }
  if (owner.uid === 0) return undefined;
  try {
    try {
      proc.initgroups!(owner.uid, owner.gid);
    } catch {
      proc.setgroups!([owner.gid]); // a uid with no passwd entry: its own group only
    }
    proc.setgid!(owner.gid);
    proc.setuid!(owner.uid);
  } catch (e) {
    throw new UserError(ExitCode.Unexpected,
      `Running as root with HOME=${env.HOME}, which belongs to uid ${owner.uid}, and could not become that user (${(e as Error).message}): ` +
        'mailoauth does not write another user\'s files as root.',
      `Run it as that user: sudo -u '#${owner.uid}' -H mailoauth ...`);
  }
  return owner.uid;
}
