import { describe, expect, it } from 'vitest';
import { busCandidates, escapeBusPath, locateSessionBus, type BusCandidate } from '../../src/store/session-bus.js';
import type { BusProbe } from '../../src/store/dbus-probe.js';

describe('busCandidates: where to look for the session bus', () => {
  it.each([
    ['DBUS_SESSION_BUS_ADDRESS set: only that', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/b', XDG_RUNTIME_DIR: '/run/user/7' }, [['unix:path=/tmp/b', '/tmp/b', 'DBUS_SESSION_BUS_ADDRESS']]],
    ['a tcp address: taken as is', { DBUS_SESSION_BUS_ADDRESS: 'tcp:host=127.0.0.1,port=1' }, [['tcp:host=127.0.0.1,port=1', undefined, 'DBUS_SESSION_BUS_ADDRESS']]],
    ['systemd timer (XDG_RUNTIME_DIR set)', { XDG_RUNTIME_DIR: '/run/user/1000' }, [['unix:path=/run/user/1000/bus', '/run/user/1000/bus', '$XDG_RUNTIME_DIR/bus']]],
    ['XDG_RUNTIME_DIR elsewhere: that, then /run/user/UID', { XDG_RUNTIME_DIR: '/tmp/rt/' }, [['unix:path=/tmp/rt/bus', '/tmp/rt/bus', '$XDG_RUNTIME_DIR/bus'], ['unix:path=/run/user/1000/bus', '/run/user/1000/bus', '/run/user/UID/bus']]],
    ['classic cron (neither set)', {}, [['unix:path=/run/user/1000/bus', '/run/user/1000/bus', '/run/user/UID/bus']]],
    ['a relative XDG_RUNTIME_DIR is ignored (the spec wants it absolute)', { XDG_RUNTIME_DIR: 'run' }, [['unix:path=/run/user/1000/bus', '/run/user/1000/bus', '/run/user/UID/bus']]],
  ])('%s', (_, env, want) => {
    expect(busCandidates(env, 1000).map((c) => [c.address, c.socket, c.source])).toEqual(want);
  });

  it('a path that needs escaping in a D-Bus address', () => {
    expect(escapeBusPath('/tmp/a b,c=d')).toBe('/tmp/a%20b%2cc%3dd');
    expect(busCandidates({ XDG_RUNTIME_DIR: '/tmp/a b' }, undefined)[0]!.address).toBe('unix:path=/tmp/a%20b/bus');
  });
});

describe('locateSessionBus: the first bus that answers', () => {
  const c = (socket: string | undefined): BusCandidate => ({ address: `unix:path=${socket}`, socket, source: '$XDG_RUNTIME_DIR/bus' });
  const probeWith = (answers: Record<string, BusProbe>) => async (socket: string) => answers[socket] ?? 'unreachable';
  it.each([
    ['first answers', [c('/a'), c('/b')], { '/a': 'answered' }, { kind: 'found', at: '/a' }],
    ['first has nobody, second answers', [c('/a'), c('/b')], { '/b': 'answered' }, { kind: 'found', at: '/b' }],
    ['a hung bus stops the search (it is the user\'s, and it is broken)', [c('/a'), c('/b')], { '/a': 'silent', '/b': 'answered' }, { kind: 'silent', at: '/a' }],
    ['nobody anywhere', [c('/a'), c('/b')], {}, { kind: 'none', at: undefined }],
    ['an address without a socket is left to the library', [c(undefined)], {}, { kind: 'found', at: undefined }],
  ] as const)('%s', async (_, candidates, answers, want) => {
    const r = await locateSessionBus([...candidates], probeWith(answers), 100);
    expect({ kind: r.kind, at: r.kind === 'none' ? undefined : r.bus.socket }).toEqual(want);
  });
});
