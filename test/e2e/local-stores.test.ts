/**
 * Journey: offlineimap and mbsync for one account, as `setup --clients offlineimap,mbsync,…` writes
 * them, take turns (offlineimap, mbsync -a, offlineimap, mbsync -a) against the real Dovecot. When both
 * blocks pointed at ~/Mail/ACCOUNT, each program uploaded the other's downloaded copies as new mail:
 * the 3-message INBOX held 9 after three runs. Each block now has a Maildir of its own, and the
 * server keeps exactly the seeded messages (counted in Dovecot's own Maildir, the server side). A
 * block that would share a store with another is refused.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';
import {
  SEED, TOOLS, USER, clientVersion, deviceSignIn, mailoauth, maildirSubjects, mbsync, mbsyncMaildir, offlineimap, offlineimapMaildir,
  proved, setupArgs, startWorld, userEnv, type World,
} from './harness.js';

const skip = skipWithout('e2e: offlineimap and mbsync on one account', TOOLS);
const NAME = 'work';
const SUBJECTS = SEED.map((m) => m.subject).sort();

/** Every message file in a Maildir++ tree (INBOX and each `.Folder`), as the server stores them. */
function serverMessages(maildir: string): string[] {
  const folders = [maildir, ...readdirSync(maildir).filter((f) => f.startsWith('.') && existsSync(join(maildir, f, 'cur'))).map((f) => join(maildir, f))];
  return folders.flatMap((f) => ['cur', 'new'].flatMap((s) => (existsSync(join(f, s)) ? readdirSync(join(f, s)).map((m) => join(f, s, m)) : [])));
}

describe.skipIf(skip)('journey: offlineimap and mbsync side by side never duplicate server mail', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.stop();
  });

  it('setup writes both blocks on separate Maildirs; offlineimap, mbsync -a, offlineimap, mbsync -a leave the server with the 3 seeded messages', async () => {
    const env = userEnv(w);
    const setup = await deviceSignIn(w, env, setupArgs(w, NAME, 'device'));
    expect(setup.code, setup.stderr).toBe(0);
    const server = w.dovecot.maildir(USER);
    expect(serverMessages(server)).toHaveLength(SEED.length);

    const runs = [['offlineimap', () => offlineimap(env, NAME)], ['mbsync', () => mbsync(env)],
      ['offlineimap', () => offlineimap(env, NAME)], ['mbsync', () => mbsync(env)]] as const;
    const counts: number[] = [];
    for (const [what, go] of runs) {
      const r = await go();
      expect(r.code, `${what}: ${r.out}`).toBe(0);
      counts.push(serverMessages(server).length);
    }
    // The server side: nothing was uploaded back, at any step.
    expect(counts).toEqual([3, 3, 3, 3]);
    expect(serverMessages(server).map((f) => /^Subject: (.*)$/m.exec(readFileSync(f, 'utf8'))?.[1]).sort()).toEqual(SUBJECTS);
    // Each program has the whole mailbox, in its own directory.
    expect(maildirSubjects(join(offlineimapMaildir(env, NAME), 'INBOX'))).toEqual(SUBJECTS);
    expect(maildirSubjects(join(mbsyncMaildir(env, NAME), 'INBOX'))).toEqual(SUBJECTS);

    // Pointing mbsync at offlineimap's Maildir is refused, and its config stays as it was.
    const mbsyncrc = join(env.HOME, '.mbsyncrc');
    const before = readFileSync(mbsyncrc, 'utf8');
    const refused = await mailoauth(w, ['config', NAME, '--client', 'mbsync', '--write', '--maildir', offlineimapMaildir(env, NAME)], env);
    expect(refused.code, refused.out).toBe(2);
    expect(refused.stderr).toContain(`offlineimap's block for ${NAME} (${join(env.HOME, '.offlineimaprc')})`);
    expect(refused.stderr).toContain('--maildir');
    expect(readFileSync(mbsyncrc, 'utf8')).toBe(before);

    proved(`${clientVersion('offlineimap')} + ${clientVersion('mbsync')}: offlineimap, mbsync -a, offlineimap, mbsync -a on one account, ` +
      `each in its own Maildir: the server INBOX held ${counts.join('/')} messages after each run (seeded: ${SEED.length}); ` +
      'a block sharing the other\'s Maildir was refused (exit 2)');
  }, 150_000);
});
