/**
 * The SASL mechanisms that carry an OAuth2 bearer token to a mail server, and the one decision about
 * them: which one a login uses. Pure and dependency-free (the `token --xoauth2` path imports it).
 *
 * - XOAUTH2 (Google's, https://developers.google.com/gmail/imap/xoauth2-protocol): what Microsoft,
 *   Yandex and Thunderbird speak, and what Google and Dovecot also offer.
 * - OAUTHBEARER (RFC 7628): the standard one; Yahoo's current IMAP documentation advertises only it.
 *
 * A server says what it offers (IMAP `AUTH=` capabilities, SMTP `AUTH` in EHLO); the choice prefers
 * XOAUTH2, which every known provider and every program mailoauth writes for accepts, else OAUTHBEARER.
 */

export type SaslMechanism = 'xoauth2' | 'oauthbearer';
export type SaslProtocol = 'imap' | 'smtp';

/** In order of preference. */
export const SASL_MECHANISMS: readonly SaslMechanism[] = ['xoauth2', 'oauthbearer'];

/** The mechanism's name on the wire (IMAP `AUTH=NAME`, `AUTHENTICATE NAME`, SMTP `AUTH NAME`). */
export const SASL_NAME: Record<SaslMechanism, string> = { xoauth2: 'XOAUTH2', oauthbearer: 'OAUTHBEARER' };

/**
 * What a client sends (base64) to end an exchange the server answered with an error challenge
 * (`+ <base64 JSON>` / `334 <base64 JSON>`): XOAUTH2 an empty response, OAUTHBEARER a single %x01
 * (RFC 7628 §3.2.3). The server then sends its final failure.
 */
export const SASL_ABORT: Record<SaslMechanism, string> = { xoauth2: '', oauthbearer: Buffer.from('\x01').toString('base64') };

/** Per protocol, what the account's config blocks use; absent means XOAUTH2 (accounts made before OAUTHBEARER). */
export type SaslChoices = Partial<Record<SaslProtocol, SaslMechanism>>;

export const mechanismOf = (a: { sasl?: SaslChoices }, protocol: SaslProtocol): SaslMechanism => a.sasl?.[protocol] ?? 'xoauth2';

/**
 * How a login picks its mechanism: `require` one (verify: the one the blocks use), or choose from
 * what the server offers, trying `prefer` first (setup: the account's earlier choice).
 */
export type SaslPolicy = { require: SaslMechanism } | { prefer?: SaslMechanism };

export type SaslChoice =
  | { kind: 'chosen'; mechanism: SaslMechanism }
  /** The server offers an OAuth mechanism, but not the required one. */
  | { kind: 'not-offered'; wanted: SaslMechanism }
  /** The server offers no OAuth mechanism at all (a password-only server, or the wrong host). */
  | { kind: 'none' };

/** The mechanism names a server offers (upper case), from what it advertised. */
export type SaslOffer = readonly string[];

export function chooseMechanism(offered: SaslOffer, policy: SaslPolicy): SaslChoice {
  const has = (m: SaslMechanism) => offered.includes(SASL_NAME[m]);
  const oauth = SASL_MECHANISMS.filter(has);
  if ('require' in policy) {
    if (has(policy.require)) return { kind: 'chosen', mechanism: policy.require };
    return oauth.length ? { kind: 'not-offered', wanted: policy.require } : { kind: 'none' };
  }
  const order = policy.prefer ? [policy.prefer, ...SASL_MECHANISMS] : SASL_MECHANISMS;
  const pick = order.find(has);
  return pick ? { kind: 'chosen', mechanism: pick } : { kind: 'none' };
}

/** IMAP: the `AUTH=NAME` capabilities (RFC 9051 §7.2.2), as upper-case names. */
export function offeredByImap(capabilities: Iterable<string>): string[] {
  return [...new Set([...capabilities].flatMap((c) => /^AUTH=(.+)$/i.exec(c)?.[1]?.toUpperCase() ?? []))];
}

/**
 * SMTP: the mechanisms of the `AUTH` keyword in an EHLO reply (RFC 4954 §3), as upper-case names.
 * Old servers also announce `AUTH=MECH ...` (the pre-standard form some clients need); both count.
 */
export function offeredBySmtp(ehloReply: string): string[] {
  const names = ehloReply.split(/\r?\n/).flatMap((line) => {
    const m = /^\d{3}[ -]AUTH[ =](.*)$/i.exec(line.trim());
    return m ? m[1]!.trim().split(/\s+/).filter(Boolean).map((s) => s.toUpperCase()) : [];
  });
  return [...new Set(names)];
}

export interface SaslLogin {
  /** The login user: XOAUTH2 `user=`, OAUTHBEARER's GS2 authzid. */
  user: string;
  token: string;
  /** OAUTHBEARER's `host` and `port`: the server as connected to (RFC 7628 §3.1: SHOULD be sent). */
  host?: string;
  port?: number;
}

/** RFC 5801 §4 saslname: `,` and `=` inside the authzid are escaped (`=` first, so the escapes stay). */
const saslName = (s: string) => s.replace(/=/g, '=3D').replace(/,/g, '=2C');

const FIELD_BREAK = /[\x00-\x1f\x7f]/;

/**
 * The initial client response, before base64:
 * XOAUTH2 `user=U^Aauth=Bearer T^A^A`; OAUTHBEARER (RFC 7628 §3.1) `n,a=U,^Ahost=H^Aport=P^Aauth=Bearer T^A^A`.
 * A control character in a value would end its field early and smuggle in fields of its own: refused.
 */
export function initialResponse(m: SaslMechanism, l: SaslLogin): string {
  for (const [what, v] of [['user', l.user], ['token', l.token], ['host', l.host ?? '']] as const) {
    if (FIELD_BREAK.test(v)) throw new Error(`the SASL ${what} holds a control character`);
  }
  const where = [...(l.host !== undefined ? [`host=${l.host}`] : []), ...(l.port !== undefined ? [`port=${l.port}`] : [])];
  const fields: Record<SaslMechanism, string[]> = {
    xoauth2: [`user=${l.user}`, `auth=Bearer ${l.token}`],
    oauthbearer: [`n,a=${saslName(l.user)},`, ...where, `auth=Bearer ${l.token}`],
  };
  return [...fields[m], '', ''].join('\x01');
}

export const initialResponseBase64 = (m: SaslMechanism, l: SaslLogin) => Buffer.from(initialResponse(m, l)).toString('base64');

/** `--sasl xoauth2|oauthbearer`, case-insensitive; undefined when not given. */
export function parseMechanism(v: string | undefined): SaslMechanism | undefined {
  if (v === undefined) return undefined;
  const m = v.trim().toLowerCase();
  return (SASL_MECHANISMS as readonly string[]).includes(m) ? (m as SaslMechanism) : undefined;
}

/** What the account keeps: only the departures from the XOAUTH2 default, so older accounts.json stay as they were. */
export function saslRecord(choices: SaslChoices): SaslChoices | undefined {
  const kept = Object.fromEntries(Object.entries(choices).filter(([, m]) => m !== undefined && m !== 'xoauth2')) as SaslChoices;
  return Object.keys(kept).length ? kept : undefined;
}

/** After setup's logins: what they used replaces what was recorded, for the servers that answered. */
export function saslAfterLogins(recorded: SaslChoices | undefined, used: SaslChoices): SaslChoices | undefined {
  return saslRecord({ imap: recorded?.imap ?? 'xoauth2', smtp: recorded?.smtp ?? 'xoauth2', ...used });
}
