import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/tools.js';

/**
 * fetchmail gets no block: the README says Debian 12's build cannot use an OAuth2 token at all
 * (OAUTHBEARER/XOAUTH2 live on fetchmail's 7.0 branch; openSUSE patches them into its 6.x).
 * This holds the claim to the real program: when a fetchmail that knows them is installed, this
 * test fails, and fetchmail deserves a block.
 */
describe.skipIf(skipWithout('fetchmail without OAuth2', ['fetchmail']))('fetchmail (Debian 12 build)', () => {
  it.each(['oauthbearer', 'xoauth2'])('refuses --auth %s: it has no OAuth2 mechanism', (mech) => {
    const r = spawnSync('fetchmail', ['--auth', mech, '-V'], { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH, LC_ALL: 'C' } });
    expect(`${r.stdout}${r.stderr}`).toContain(`Invalid authentication \`${mech}' specified.`);
    const version = /fetchmail release (\d+(?:\.\d+)+)/.exec(spawnSync('fetchmail', ['-V'], { encoding: 'utf8', timeout: 20_000 }).stdout)?.[1];
    console.log(`fetchmail ${version ?? '?'}: --auth ${mech} refused (no OAuth2 in this build)`);
  });
});
