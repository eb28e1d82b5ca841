import { describe, expect, it } from 'vitest';
import { CLIENT_IDS, type ClientId } from '../../src/clients/client.js';
import { CLIENTS } from '../../src/clients/index.js';
import {
  absoluteStore, chooseStore, clashError, defaultStore, findClash, storesOverlap, storeUsesIn, type StoreUse,
} from '../../src/clients/local-store.js';
import { ExitCode } from '../../src/errors.js';
import { account, BIN, ropts } from './support.js';

/**
 * Two programs on one Maildir upload each other's copies as new mail: the decisions that keep every
 * managed block on a store of its own. The real programs prove it in test/e2e/local-stores.test.ts.
 */

const LOCAL = CLIENT_IDS.filter((id) => CLIENTS[id].localStore);
const HOME = '/home/me';
const canonical = (s: string) => absoluteStore(s, HOME);

describe('default stores', () => {
  it('the programs that keep mail locally are offlineimap, mbsync and getmail (and only they have a store to read back)', () => {
    expect(LOCAL).toEqual(['offlineimap', 'mbsync', 'getmail']);
    for (const id of CLIENT_IDS.filter((c) => !LOCAL.includes(c))) expect(CLIENTS[id].localStore).toBeUndefined();
  });

  it('no two defaults overlap, for any pair of programs and accounts (also names that look like a program)', () => {
    const names = ['work', 'offlineimap', 'mbsync', 'work.offlineimap', 'a', 'a.b'];
    const all = LOCAL.flatMap((c) => names.map((n) => ({ c, n, p: canonical(defaultStore(c, n)) })));
    for (const x of all) {
      for (const y of all) {
        if (x !== y) expect(storesOverlap(x.p, y.p), `${x.c}/${x.n} vs ${y.c}/${y.n}`).toBe(false);
      }
    }
  });

  it.each(LOCAL.map((id) => [id]))('%s: a rendered block names its own default, and reads back what it wrote', (id) => {
    const a = account();
    const read = CLIENTS[id].localStore!.read;
    const body = (b: string) => b.split('\n').slice(1, -1).join('\n');
    expect(read(body(CLIENTS[id].render(a, ropts())))).toMatch(new RegExp(`^~/Mail/${id}/work/?$`));
    // What each syntax must escape: `%` for ConfigParser, `\` for mbsyncrc; spaces, `#` and `;`.
    for (const maildir of ['/m/dir with space/#2; x', '/m/100% \\mail', '~/Mail']) {
      const uses = storeUsesIn(id as ClientId, '/rc', CLIENTS[id].render(a, ropts({ maildir })), CLIENTS[id].localStore!.read);
      expect(uses).toEqual([{ client: id, account: 'work', file: '/rc', store: maildir }]);
    }
  });
});

describe('chooseStore: asked for, else what the block already names, else the default', () => {
  it.each([
    ['--maildir wins', '/m/new', '~/Mail/work', '/m/new'],
    ['an existing block keeps its store (the old shared default too): a rerun moves nobody\'s mail', undefined, '~/Mail/work', '~/Mail/work'],
    ['a new block gets its program\'s own default', undefined, undefined, '~/Mail/mbsync/work'],
    ['trailing slashes go', '/m/new//', undefined, '/m/new'],
  ])('%s', (_, given, existing, expected) => {
    expect(chooseStore('mbsync', 'work', given, existing)).toBe(expected);
  });
});

describe('overlap', () => {
  it.each([
    ['~/Mail/work', '/home/me/Mail/work/', true],
    ['~/Mail', '~/Mail/work', true],
    ['~/Mail/work/INBOX', '~/Mail/work', true],
    ['~/Mail/x/../work', '~/Mail/work', true],
    ['~/Mail/work', '~/Mail/work2', false],
    ['~/Mail/offlineimap/work', '~/Mail/mbsync/work', false],
    ['/', '/anything', true],
  ])('%s and %s: %s', (a, b, overlap) => {
    expect(storesOverlap(canonical(a), canonical(b))).toBe(overlap);
  });

  const use = (client: ClientId, acct: string, store: string, file = `/rc-${client}`): StoreUse => ({ client, account: acct, file, store });

  it('the block being replaced is not a clash; the same store in another program, account or file is', () => {
    const mine = use('mbsync', 'work', '~/Mail/work');
    expect(findClash(mine, [use('mbsync', 'work', '~/Mail/work')], canonical)).toBeUndefined();
    expect(findClash(mine, [use('offlineimap', 'work', '~/Mail/work')], canonical)?.client).toBe('offlineimap');
    expect(findClash(mine, [use('mbsync', 'personal', '~/Mail/work/')], canonical)?.account).toBe('personal');
    expect(findClash(mine, [use('mbsync', 'work', '~/Mail/work', '/other-rc')], canonical)?.file).toBe('/other-rc');
    expect(findClash(mine, [use('offlineimap', 'work', '~/Mail')], canonical)?.store).toBe('~/Mail');
    expect(findClash(mine, [use('offlineimap', 'work', '~/Mail/offlineimap/work')], canonical)).toBeUndefined();
  });

  it('the refusal names both blocks, why, and the --maildir fix with what moving means for that program', () => {
    const e = clashError(use('mbsync', 'work', '~/Mail/work', '/h/.mbsyncrc'), use('offlineimap', 'work', '~/Mail/work', '/h/.offlineimaprc'),
      '~/Mail/mbsync/work', CLIENTS.mbsync.localStore!.moveNote);
    expect(e.exitCode).toBe(ExitCode.Usage);
    expect(e.message).toContain("mbsync's block for work (/h/.mbsyncrc) would keep its mail in ~/Mail/work, " +
      "which offlineimap's block for work (/h/.offlineimaprc) already uses");
    expect(e.message).toMatch(/upload the other's copies to the server as new mail/);
    expect(e.fix).toContain('mailoauth config work --client mbsync --write --maildir ~/Mail/mbsync/work');
    expect(e.fix).toMatch(/sync state inside the Maildir/);
    const nested = clashError(use('mbsync', 'work', '~/Mail'), use('offlineimap', 'x', '~/Mail/x'), 'DIR', '');
    expect(nested.message).toMatch(/one is inside the other/);
  });
});
