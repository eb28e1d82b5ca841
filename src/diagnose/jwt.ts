import { ExitCode } from '../errors.js';
import type { Finding } from './finding.js';
import { isGuid } from '../guid.js';

/**
 * Look inside an access token WITHOUT verifying its signature (only the mail server can judge it)
 * to explain why a server might refuse it: audience, scopes, user, tenant, expiry. The token itself
 * is never part of any output; only these claims are.
 */

export type MailProtocol = 'imap' | 'smtp';

export interface TokenClaims {
  aud?: string;
  scp: string[];
  /** upn, else unique_name, else preferred_username, else email (guest prefixes like `live.com#` removed). */
  user?: string;
  userClaim?: string;
  tid?: string;
  appid?: string;
  /** Epoch seconds. */
  exp?: number;
  nbf?: number;
}

export interface TokenInspection {
  format: 'jwt' | 'opaque';
  claims?: TokenClaims;
  user: 'match' | 'mismatch' | 'unknown';
  audience: 'ok' | 'wrong' | 'unknown';
  scopes: Record<MailProtocol, 'ok' | 'missing' | 'unknown'>;
  expiry: 'ok' | 'soon' | 'expired' | 'unknown';
  findings: Finding[];
  /** The scopes the provider said it granted with this token (its token reply), when known: all an opaque token tells. */
  granted?: string[];
}

export interface InspectOptions {
  /** The login user (the account's email): the XOAUTH2 `user=`. */
  loginUser: string;
  /** Shared mailbox: the delegate whose token opens `loginUser` (the account's `delegate`). */
  signInUser?: string;
  /** Epoch milliseconds. */
  now: number;
  /** The account's scopes; their resource (https://outlook.office.com) is an expected audience. */
  scopes?: string[];
  /** The account's tenant; a GUID here is compared with `tid`. */
  tenant?: string;
  /** Which protocols the token must serve (default both). */
  need?: MailProtocol[];
  /** Opaque tokens are normal here (personal Outlook.com accounts): an ok row instead of a warning. */
  opaqueExpected?: boolean;
  /** The account name, for the commands in fixes. */
  account?: string;
}

/** Exchange Online's resource names: every cloud's outlook host, and the app id GUID. */
const EXCHANGE_AUDIENCES = [
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook.office365.us',
  'https://outlook-dod.office365.us',
  'https://webmail.apps.mil',
  'https://partner.outlook.cn',
  '00000002-0000-0ff1-ce00-000000000000',
];
const GRAPH_AUDIENCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

export const SCOPE_FOR: Record<MailProtocol, string> = { imap: 'IMAP.AccessAsUser.All', smtp: 'SMTP.Send' };

const SOON_MS = 5 * 60_000;

/** Header and payload of a compact JWS; undefined for anything else (opaque or encrypted tokens). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [header, payload] = parts.slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown);
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload };
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const normAud = (a: string) => a.replace(/\/+$/, '').toLowerCase();

export function claimsOf(payload: Record<string, unknown>): TokenClaims {
  const userClaim = ['upn', 'unique_name', 'preferred_username', 'email'].find((k) => str(payload[k]));
  const rawUser = userClaim ? str(payload[userClaim]) : undefined;
  const aud = Array.isArray(payload.aud) ? str(payload.aud[0]) : str(payload.aud);
  return {
    aud,
    scp: (str(payload.scp) ?? '').split(' ').filter(Boolean),
    user: rawUser?.slice(rawUser.lastIndexOf('#') + 1),
    userClaim,
    tid: str(payload.tid),
    appid: str(payload.appid) ?? str(payload.azp),
    exp: num(payload.exp),
    nbf: num(payload.nbf),
  };
}

/** The audiences a token for this account may carry: Exchange Online's, plus the resource of its scopes. */
function expectedAudiences(scopes: string[] = []): string[] {
  const fromScopes = scopes.filter((s) => s.includes('://')).map((s) => s.slice(0, s.lastIndexOf('/')));
  return [...new Set([...EXCHANGE_AUDIENCES, ...fromScopes].map(normAud))];
}

export function inspectAccessToken(token: string, o: InspectOptions): TokenInspection {
  const need = o.need ?? ['imap', 'smtp'];
  const decoded = decodeJwt(token);
  if (!decoded) {
    return {
      format: 'opaque',
      user: 'unknown',
      audience: 'unknown',
      scopes: { imap: 'unknown', smtp: 'unknown' },
      expiry: 'unknown',
      findings: [{
        level: o.opaqueExpected ? 'ok' : 'warn',
        check: 'token format',
        detail: 'not a JWT (Google\'s tokens and those of personal Outlook.com accounts are opaque); its claims cannot be checked here',
        fix: o.opaqueExpected ? undefined : 'Nothing to do unless the server refuses it; then see the login check below',
      }],
    };
  }
  const c = claimsOf(decoded.payload);
  const findings: Finding[] = [];
  const name = o.account ?? 'ACCOUNT';

  // Audience: a Graph token (scopes asked for without the outlook.office.com prefix) is the classic mistake.
  let audience: TokenInspection['audience'] = 'unknown';
  if (!c.aud) {
    findings.push({ level: 'warn', check: 'token audience', detail: 'the token names no audience (aud)' });
  } else if (expectedAudiences(o.scopes).includes(normAud(c.aud))) {
    audience = 'ok';
    findings.push({ level: 'ok', check: 'token audience', detail: c.aud });
  } else {
    audience = 'wrong';
    const graph = GRAPH_AUDIENCES.includes(normAud(c.aud));
    findings.push({
      level: 'fail',
      check: 'token audience',
      detail: `${c.aud}${graph ? ' (Microsoft Graph)' : ''}: mail servers only accept tokens for Exchange Online (https://outlook.office.com)`,
      fix: `Request the scopes with their resource prefix: https://outlook.office.com/IMAP.AccessAsUser.All and https://outlook.office.com/SMTP.Send, then sign in again: mailoauth setup --reauth ${name}`,
      exit: ExitCode.LoginRejected,
    });
  }

  // Scopes, per protocol the token must serve.
  const have = new Set(c.scp.map((s) => s.toLowerCase()));
  const scopes = { imap: 'unknown', smtp: 'unknown' } as TokenInspection['scopes'];
  for (const p of ['imap', 'smtp'] as const) scopes[p] = c.scp.length === 0 ? 'unknown' : have.has(SCOPE_FOR[p].toLowerCase()) ? 'ok' : 'missing';
  const missing = need.filter((p) => scopes[p] === 'missing').map((p) => SCOPE_FOR[p]);
  if (c.scp.length === 0) {
    findings.push({ level: 'warn', check: 'token scopes', detail: 'the token carries no delegated scopes (scp); is it an app-only token?' });
  } else if (missing.length) {
    findings.push({
      level: 'fail',
      check: 'token scopes',
      detail: `${c.scp.join(' ')}: missing ${missing.join(' and ')}`,
      fix: `Add the delegated permission${missing.length > 1 ? 's' : ''} ${missing.join(', ')} to the app registration (an admin may have to consent), then sign in again: mailoauth setup --reauth ${name}`,
      exit: ExitCode.LoginRejected,
    });
  } else {
    findings.push({ level: 'ok', check: 'token scopes', detail: c.scp.join(' ') });
  }

  // User: the mailbox login must be the token's user, unless that user has been given the mailbox.
  let user: TokenInspection['user'] = 'unknown';
  if (!c.user) {
    findings.push({ level: 'warn', check: 'token user', detail: 'the token names no user (upn, unique_name, preferred_username)' });
  } else if (c.user.toLowerCase() === o.loginUser.toLowerCase()) {
    user = 'match';
    findings.push({ level: 'ok', check: 'token user', detail: `${c.userClaim} ${c.user} = login user` });
  } else if (o.signInUser && c.user.toLowerCase() === o.signInUser.toLowerCase()) {
    user = 'match';
    findings.push({ level: 'ok', check: 'token user', detail: `${c.userClaim} ${c.user}, the delegate signed in for the shared mailbox ${o.loginUser}` });
  } else {
    user = 'mismatch';
    findings.push({
      level: 'warn',
      check: 'token user',
      detail: `${c.userClaim} ${c.user}, but the login user is ${o.loginUser}: this works only if ${c.user} has full access to that mailbox (a shared mailbox); otherwise the server refuses ("User is authenticated but not connected")`,
      fix: `Sign in again as ${o.signInUser ?? o.loginUser}: mailoauth setup --reauth ${name}`,
    });
  }

  // Tenant.
  if (c.tid) {
    const pinned = o.tenant && isGuid(o.tenant) ? o.tenant.toLowerCase() : undefined;
    if (pinned && pinned !== c.tid.toLowerCase()) {
      findings.push({ level: 'warn', check: 'token tenant', detail: `tid ${c.tid}, but the account is set up for tenant ${o.tenant}`, fix: `Sign in again with the right tenant: mailoauth setup --reauth ${name} --tenant <tenant>` });
    } else {
      findings.push({ level: 'ok', check: 'token tenant', detail: `tid ${c.tid}` });
    }
  }

  // Expiry, and a clock that disagrees with the issuer's.
  let expiry: TokenInspection['expiry'] = 'unknown';
  if (c.exp !== undefined) {
    const left = c.exp * 1000 - o.now;
    const at = new Date(c.exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    if (left <= 0) {
      expiry = 'expired';
      findings.push({ level: 'fail', check: 'token expiry', detail: `expired ${minutes(-left)} ago (${at})`, fix: `mailoauth token ${name} fetches a fresh one; if this persists, check this machine's clock`, exit: ExitCode.LoginRejected });
    } else {
      expiry = left < SOON_MS ? 'soon' : 'ok';
      findings.push({ level: expiry === 'soon' ? 'warn' : 'ok', check: 'token expiry', detail: `valid for ${minutes(left)} (until ${at})` });
    }
  }
  if (c.nbf !== undefined && c.nbf * 1000 - o.now > 2 * 60_000) {
    findings.push({ level: 'warn', check: 'clock', detail: `the token is not valid until ${minutes(c.nbf * 1000 - o.now)} from now: this machine's clock is behind`, fix: 'Synchronise the clock (timedatectl set-ntp true)' });
  }
  return { format: 'jwt', claims: c, user, audience, scopes, expiry, findings };
}

/** One line for error messages: "aud …, scp …, upn …" (never the token). */
export function claimsSummary(i: TokenInspection | undefined): string | undefined {
  if (!i) return undefined;
  if (i.format === 'opaque' || !i.claims) return 'the token is opaque (not a JWT), its claims cannot be shown';
  const c = i.claims;
  return [`aud ${c.aud ?? '(none)'}`, `scp ${c.scp.join(' ') || '(none)'}`, `${c.userClaim ?? 'upn'} ${c.user ?? '(none)'}`, c.tid ? `tid ${c.tid}` : undefined]
    .filter(Boolean)
    .join(', ');
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 1) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (m < 120) return `${m} min`;
  return `${Math.round(m / 60)} h`;
}
