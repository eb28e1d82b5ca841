import type { TlsMode } from '../account.js';
import { SASL_MECHANISMS, SASL_NAME, type SaslMechanism } from '../auth/sasl.js';
import { ExitCode } from '../errors.js';
import { GMAIL_SCOPE, PROVIDERS, providerById } from '../providers/table.js';
import { claimsSummary, SCOPE_FOR, type MailProtocol, type TokenInspection } from './jwt.js';
import { domainOf } from '../account-name.js';

/**
 * IMAP/SMTP failures → cause and exact fix (the mail-server half of the diagnosis; AADSTS codes
 * are in aadsts.ts). The input is a failure already reduced to what the server or the socket said
 * (src/verify/failure.ts does that for imapflow and nodemailer), so the table is plain data.
 */
export interface MailFailure {
  protocol: MailProtocol;
  /** Where it broke: before a session existed, during AUTHENTICATE/AUTH, or on a later command. */
  stage: 'connect' | 'auth' | 'command' | 'send';
  /** Socket/TLS/library error code: ECONNREFUSED, ERR_SSL_WRONG_VERSION_NUMBER, GREETING_TIMEOUT, EAUTH... */
  code?: string;
  /** The server's own reply, verbatim (IMAP: the tagged response; SMTP: "535 5.7.3 ..."). */
  serverText?: string;
  /** SMTP reply code (535) when the server answered. */
  replyCode?: number;
  /** The library's message: shown when the server said nothing (connection errors). */
  message: string;
  /** Code SASL_NOT_OFFERED / SASL_NONE: the mechanisms the server offered, and the one the login needed. */
  sasl?: { offered: string[]; wanted?: SaslMechanism };
}

export interface MailContext {
  protocol: MailProtocol;
  account: string;
  email: string;
  host: string;
  port: number;
  tls: TlsMode;
  timeoutMs?: number;
  /** Provider row id (outlook.com has its own IMAP switch, google its own rows); absent: Microsoft 365 wording. */
  provider?: string;
  /** Shared mailbox: the delegate whose token opens `email`. */
  delegate?: string;
  /** What the access token says, when one was sent. */
  token?: TokenInspection;
}

export interface MailDiagnosis {
  /** Row id, stable for tests and --json. */
  id: string;
  exit: ExitCode;
  cause: string;
  fix: string;
  /** What the server (or, when it never answered, the socket or TLS layer) said, verbatim: always shown, so unknown errors stay readable. */
  said: string;
  /** `said` is the server's reply (not a local error message). */
  fromServer: boolean;
  /** aud/scp/user of the token, when the server judged it. */
  token?: string;
}

interface Row {
  id: string;
  exit: ExitCode;
  match: (f: MailFailure, c: MailContext) => boolean;
  cause: (c: MailContext, f: MailFailure) => string;
  fix: (c: MailContext, f: MailFailure) => string;
  /** Show the token's claims with this diagnosis. */
  showToken?: boolean;
}

const LABEL: Record<MailProtocol, string> = { imap: 'IMAP', smtp: 'SMTP' };
const where = (c: MailContext) => `${LABEL[c.protocol]} server ${c.host}:${c.port}`;
const hostFlag = (c: MailContext) => `--${c.protocol}-host`;
const portFlag = (c: MailContext) => `--${c.protocol}-port`;
const text = (f: MailFailure) => `${f.serverText ?? ''}\n${f.message}`;
const codeIs = (...codes: string[]) => (f: MailFailure) => f.code !== undefined && codes.includes(f.code);
const said = (re: RegExp) => (f: MailFailure) => re.test(text(f));
/** The socket or TLS layer said it (the server never answered), so its words cannot be a server reply. */
const failedLocally = (re: RegExp) => (f: MailFailure) => f.serverText === undefined && re.test(f.message);
const rejected = (f: MailFailure) => f.stage === 'auth' && (f.serverText !== undefined || f.code === 'EAUTH');
const reauth = (c: MailContext) => `mailoauth setup --reauth ${c.account}`;
const enableImap = (c: MailContext) => `Set-CASMailbox -Identity ${c.email} -ImapEnabled $true`;
const enableSmtpAuth = (c: MailContext) => `Set-CASMailbox -Identity ${c.email} -SmtpClientAuthenticationDisabled $false`;
const fullAccess = (c: MailContext) =>
  `Add-MailboxPermission -Identity ${c.email} -User ${c.delegate ?? c.token?.claims?.user ?? '<signed-in user>'} -AccessRights FullAccess`;
/** Outlook.com's own switch (personal accounts have no admin and no Set-CASMailbox). */
const OUTLOOK_COM_IMAP = 'Outlook.com → Settings → Mail → Forwarding and IMAP → turn on "Let devices and apps use IMAP", save';

/** The provider's own servers, for the hints of the transport rows (Microsoft 365's when unknown). */
const row = (c: MailContext) => providerById(c.provider ?? '') ?? PROVIDERS[0]!;
/** "Microsoft 365", "Gmail / Google Workspace": the row's label without its parenthesis. */
const named = (c: MailContext) => row(c).label.replace(/ \(.*\)$/, '');
const hostsHint = (c: MailContext) => `${named(c)}: IMAP ${row(c).imap.host}, SMTP ${row(c).smtp.host}`;
const portsHint = (c: MailContext) => `${named(c)}: IMAP ${row(c).imap.port}, SMTP ${row(c).smtp.port}`;

const isGoogle = (c: MailContext) => c.provider === 'google';
/** A personal Gmail address (gmail.com, googlemail.com), not a Google Workspace domain. */
const personalGmail = (c: MailContext) => row(c).domains.includes(domainOf(c.email));
/** Google's token reply named its scopes, and the Gmail scope is not among them. */
const lacksGmailScope = (c: MailContext) => c.token?.granted !== undefined && !c.token.granted.includes(GMAIL_SCOPE);
/** Where a Google Workspace admin turns IMAP on (per organizational unit) and allows mail clients. */
const WORKSPACE_IMAP = 'Admin console (admin.google.com) → Apps → Google Workspace → Gmail → End User Access → POP and IMAP access';
/** What Gmail says to any bad XOAUTH2 token, whatever the reason: the wording names the likely ones. */
const GOOGLE_TOKEN_CAUSES = (c: MailContext) =>
  `the token belongs to another Google account than ${c.email} (the account chosen in the browser), lacks the ${GMAIL_SCOPE} scope, or was revoked`;

/** The OAuth2 mechanisms among those a server offered, by their wire names. */
const oauthOffered = (f: MailFailure) => SASL_MECHANISMS.map((m) => SASL_NAME[m]).filter((n) => f.sasl?.offered.includes(n));

const NETWORK = ExitCode.Unavailable;
const REJECTED = ExitCode.LoginRejected;

/**
 * First match wins: transport problems; then replies specific enough to name their cause; then what
 * the token's claims explain; then the generic refusals, which name the usual causes.
 */
export const MAIL_ROWS: readonly Row[] = [
  {
    // The server offers the other OAuth2 mechanism: it changed, or --sasl named the wrong one.
    id: 'sasl-not-offered',
    exit: REJECTED,
    match: codeIs('SASL_NOT_OFFERED'),
    cause: (c, f) => `${where(c)} does not offer ${SASL_NAME[f.sasl?.wanted ?? 'xoauth2']}, the SASL mechanism ${c.account}'s mail-client configs use for ${LABEL[c.protocol]}; ` +
      `it offers ${oauthOffered(f).join(' and ')}.`,
    fix: (c) => `mailoauth setup --reauth ${c.account} --clients PROGRAMS (without --sasl): setup records the mechanism the servers offer now and rewrites those programs' configs`,
  },
  {
    id: 'sasl-none',
    exit: REJECTED,
    match: codeIs('SASL_NONE'),
    cause: (c, f) => `${where(c)} offers no OAuth2 mechanism (neither XOAUTH2 nor OAUTHBEARER${f.sasl?.offered.length ? `, only ${f.sasl.offered.join(' ')}` : ''}), so it cannot take a token: ` +
      'a password-only server, the wrong host or port, or OAuth2 not enabled on it.',
    fix: (c) => `Check the ${LABEL[c.protocol]} server (${hostFlag(c)}, ${portFlag(c)}; ${hostsHint(c)}); a self-hosted Dovecot needs ` +
      '"auth_mechanisms = xoauth2 oauthbearer" and an oauth2 passdb',
  },
  {
    id: 'dns',
    exit: NETWORK,
    match: (f) => codeIs('ENOTFOUND', 'EAI_AGAIN', 'EDNS')(f) || failedLocally(/getaddrinfo/)(f),
    cause: (c) => `The host name ${c.host} did not resolve (offline, a typo, or a DNS problem).`,
    fix: (c) => `Check the network and the host name (${hostsHint(c)}); another host: ${hostFlag(c)} HOST`,
  },
  {
    id: 'refused',
    exit: NETWORK,
    match: (f) => codeIs('ECONNREFUSED')(f) || failedLocally(/ECONNREFUSED/)(f),
    cause: (c) => `Nothing accepts connections on ${c.host}:${c.port}.`,
    fix: (c) => `Check the port (${portsHint(c)}) and any firewall or VPN in the way; another port: ${portFlag(c)} PORT`,
  },
  {
    id: 'tls-mode',
    exit: NETWORK,
    match: (f) => codeIs('ERR_SSL_WRONG_VERSION_NUMBER')(f) || failedLocally(/wrong version number|packet length too long|unknown protocol|http request/i)(f),
    cause: (c) => `${c.host}:${c.port} does not speak TLS from the first byte (it expects STARTTLS or plain text), but ${c.tls === 'implicit' ? 'implicit TLS' : 'TLS'} was used.`,
    fix: (c) => c.protocol === 'imap'
      ? `Use the IMAPS port: ${portFlag(c)} 993 (port 143 means STARTTLS)`
      : `Use the submission port with STARTTLS: ${portFlag(c)} 587 (port 465 means implicit TLS)`,
  },
  {
    id: 'tls-hostname',
    exit: NETWORK,
    match: (f) => codeIs('ERR_TLS_CERT_ALTNAME_INVALID')(f) || failedLocally(/altnames|does not match certificate/i)(f),
    cause: (c) => `The TLS certificate of ${c.host}:${c.port} is for another name.`,
    fix: (c) => `Connect to a name the certificate lists (for ${named(c)}: ${row(c)[c.protocol].host}): ${hostFlag(c)} HOST`,
  },
  {
    id: 'tls-untrusted',
    exit: NETWORK,
    match: (f) => /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)/.test(f.code ?? '') || failedLocally(/certificate|self[- ]signed|unable to verify|local issuer/i)(f),
    cause: (c) => `The TLS certificate of ${c.host}:${c.port} is not trusted (expired, self-signed, or from a private CA or a TLS-inspecting proxy).`,
    fix: () => 'If a private CA is expected here, trust it for mailoauth: export NODE_EXTRA_CA_CERTS=/path/to/ca.pem and run again; otherwise do not send a token to this server',
  },
  {
    id: 'timeout',
    exit: NETWORK,
    match: (f) => codeIs('ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'VERIFY_TIMEOUT')(f) || failedLocally(/timed? ?out|timeout|Greeting never received/i)(f),
    cause: (c) => `${where(c)} did not answer${c.timeoutMs ? ` within ${c.timeoutMs} ms` : ''}.`,
    fix: (c) => `Check the network (some networks block ports 993/587) and that ${c.port} is the right port` +
      `${c.tls === 'starttls' ? ` (if this port expects TLS from the first byte: ${portFlag(c)} ${c.protocol === 'imap' ? 993 : 465})` : ''}; a slow server: --timeout-ms 60000`,
  },
  {
    id: 'connection-lost',
    exit: NETWORK,
    match: (f) => f.stage === 'connect' || codeIs('ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EConnectionClosed', 'ClosedAfterConnectTLS', 'ClosedAfterConnectText', 'NoConnection', 'ESOCKET', 'ECONNECTION')(f),
    cause: (c) => `The connection to ${c.host}:${c.port} failed or was closed before the login finished.`,
    fix: () => 'Try again in a minute; if it keeps failing, check the network, VPN or proxy',
  },
  {
    id: 'server-busy',
    exit: NETWORK,
    match: (f) => (f.replyCode !== undefined && f.replyCode >= 400 && f.replyCode < 500) || said(/\[UNAVAILABLE\]|\[SERVERBUG\]|^BYE\b|temporar/i)(f),
    cause: (c) => `${where(c)} is temporarily unable to serve the login (busy, throttling, or an outage).`,
    fix: () => 'Try again in a few minutes',
  },
  // Gmail / Google Workspace: opaque tokens, no JWT claims to read; Google's words and the token reply's scopes are all there is.
  {
    id: 'google-token-scope',
    exit: REJECTED,
    match: (f, c) => isGoogle(c) && rejected(f) && lacksGmailScope(c),
    cause: (c) => `Google granted this token for ${c.token?.granted?.join(' ') || 'no scope'}, not for ${GMAIL_SCOPE}, the only scope Gmail's ${LABEL[c.protocol]} accepts.`,
    fix: (c) => `Sign in again and allow Gmail access ("Read, compose, send and permanently delete all your email from Gmail"): ${reauth(c)}` +
      '; with your own client, the OAuth consent screen must list that scope',
  },
  {
    id: 'gmail-imap-refused',
    exit: REJECTED,
    match: (f, c) => isGoogle(c) && f.protocol === 'imap' && (f.stage === 'auth' || said(/Invalid credentials|AUTHENTICATE failed|AUTHENTICATIONFAILED|Authentication failed/i)(f)),
    cause: (c) => personalGmail(c)
      ? `Gmail refused the token for ${c.email}: ${GOOGLE_TOKEN_CAUSES(c)}. (IMAP itself is always on for personal Gmail accounts.)`
      : `Google Workspace refused the IMAP login of ${c.email}: an admin has turned IMAP off for its organizational unit or allows only listed IMAP clients, or ${GOOGLE_TOKEN_CAUSES(c)}.`,
    fix: (c) => personalGmail(c)
      ? `Sign in again as ${c.email} and allow Gmail access: ${reauth(c)}`
      : `A Google Workspace admin turns on IMAP for the user's organizational unit: ${WORKSPACE_IMAP} (if only some IMAP clients are allowed, add this OAuth client id); ` +
        `it can take a while to apply; then: mailoauth verify ${c.account}. If IMAP is on, sign in again as ${c.email}: ${reauth(c)}`,
  },
  {
    id: 'gmail-smtp-refused',
    exit: REJECTED,
    match: (f, c) => isGoogle(c) && f.protocol === 'smtp' && (f.stage === 'auth' || f.replyCode === 535 || said(/5\.7\.8|Username and Password not accepted/i)(f)),
    cause: (c) => `Gmail refused the token for ${c.email}: ${GOOGLE_TOKEN_CAUSES(c)}. (Gmail answers "535 5.7.8 Username and Password not accepted" to every bad XOAUTH2 token.)`,
    fix: (c) => `Sign in again as ${c.email} (choose that account in the browser) and allow Gmail access: ${reauth(c)}; then: mailoauth verify ${c.account} --smtp`,
  },
  {
    id: 'imap-not-connected',
    exit: REJECTED,
    match: (f, c) => f.protocol === 'imap' && c.delegate === undefined && said(/authenticated but not connected/i)(f),
    cause: (c) => `The server accepted the token but will not open the mailbox ${c.email} for ${c.token?.claims?.user ? `the token's user ${c.token.claims.user}` : 'the user who signed in'}: the token's user is not the login user (or has no access to that mailbox).`,
    fix: (c) => `Sign in again as ${c.email}: ${reauth(c)}. For a shared mailbox, an Exchange admin grants access instead: ${fullAccess(c)}`,
    showToken: true,
  },
  {
    // A personal account has no Exchange admin and no Set-CASMailbox: say what is true for it.
    id: 'outlook-com-smtp-auth-disabled',
    exit: REJECTED,
    match: (f, c) => f.protocol === 'smtp' && c.provider === 'outlook.com' && (said(/5\.7\.139/)(f) || said(/SmtpClientAuthentication is disabled|smtp_auth_disabled/i)(f)),
    cause: (c) => `Outlook.com refused SMTP for ${c.email}: SMTP AUTH is turned off for this personal mailbox ("SmtpClientAuthentication is disabled for the Mailbox"). ` +
      'Microsoft does this for new Outlook.com accounts (reported since 2025); a personal account has no setting to turn it on. Receiving over IMAP is not affected.',
    fix: (c) => `Send from Outlook.com on the web or its apps for now, and ask Outlook.com support (Settings → Help) to enable SMTP AUTH for ${c.email}; check again later with: mailoauth verify ${c.account} --smtp`,
  },
  {
    id: 'smtp-auth-disabled',
    exit: REJECTED,
    match: (f) => f.protocol === 'smtp' && said(/SmtpClientAuthentication is disabled|smtp_auth_disabled/i)(f),
    cause: () => 'SMTP AUTH (authenticated client submission) is disabled for this mailbox or for the whole organization.',
    fix: (c) => `An Exchange admin runs: ${enableSmtpAuth(c)} (organization-wide: Set-TransportConfig -SmtpClientAuthenticationDisabled $false); it can take an hour to apply`,
  },
  {
    id: 'smtp-security-defaults',
    exit: REJECTED,
    match: (f) => f.protocol === 'smtp' && said(/5\.7\.139/)(f) && said(/security defaults/i)(f),
    cause: () => "The organization's security defaults block SMTP AUTH.",
    fix: (c) => `An admin replaces security defaults with Conditional Access policies that allow it, then: ${enableSmtpAuth(c)}`,
  },
  {
    id: 'smtp-5.7.139',
    exit: REJECTED,
    match: (f) => f.protocol === 'smtp' && said(/5\.7\.139/)(f),
    cause: () => 'Microsoft refused SMTP AUTH for this mailbox (5.7.139): usually SMTP AUTH is disabled for it, or a policy blocks it.',
    fix: (c) => `An Exchange admin runs: ${enableSmtpAuth(c)}; if it is already enabled, check security defaults and Conditional Access`,
  },
  {
    id: 'token-user-mismatch',
    exit: REJECTED,
    match: (f, c) => rejected(f) && c.token?.user === 'mismatch',
    cause: (c) => `The token belongs to ${c.token?.claims?.user}, but the login user is ${c.email}; the server refuses a token for another user (Microsoft: "User is authenticated but not connected").`,
    fix: (c) => `Sign in again as ${c.email}: ${reauth(c)}. For a shared mailbox, an Exchange admin grants access instead: ${fullAccess(c)}`,
    showToken: true,
  },
  {
    id: 'token-audience',
    exit: REJECTED,
    match: (f, c) => rejected(f) && c.token?.audience === 'wrong',
    cause: (c) => `The token is for ${c.token?.claims?.aud}, not for Exchange Online (https://outlook.office.com): the scopes were requested without their outlook.office.com prefix.`,
    fix: (c) => `Sign in again with the account's default scopes (https://outlook.office.com/IMAP.AccessAsUser.All, .../SMTP.Send): ${reauth(c)}`,
    showToken: true,
  },
  {
    id: 'token-scope',
    exit: REJECTED,
    match: (f, c) => rejected(f) && c.token?.scopes[c.protocol] === 'missing',
    cause: (c) => `The token lacks the ${SCOPE_FOR[c.protocol]} permission that ${LABEL[c.protocol]} needs.`,
    fix: (c) => `Add the delegated permission ${SCOPE_FOR[c.protocol]} to the app registration (an admin may have to consent: mailoauth doctor --app-help), then: ${reauth(c)}`,
    showToken: true,
  },
  {
    id: 'token-expired',
    exit: REJECTED,
    match: (f, c) => rejected(f) && c.token?.expiry === 'expired',
    cause: () => 'The token had expired when the server checked it.',
    fix: (c) => `mailoauth token ${c.account} fetches a fresh one; if this repeats, check this machine's clock (timedatectl)`,
    showToken: true,
  },
  {
    id: 'smtp-5.7.3',
    exit: REJECTED,
    match: (f) => f.protocol === 'smtp' && (f.replyCode === 535 || said(/^535\b|5\.7\.3\b/)(f)),
    cause: () => 'The SMTP server refused the token (535): SMTP AUTH disabled for the mailbox, a token without SMTP.Send, or a token for another user.',
    fix: (c) => `Check the token's claims (scp must include SMTP.Send, the user must be ${c.email}); an Exchange admin enables SMTP AUTH with: ${enableSmtpAuth(c)}`,
    showToken: true,
  },
  {
    id: 'smtp-not-authenticated',
    exit: REJECTED,
    match: (f) => f.protocol === 'smtp' && said(/5\.7\.57|not authenticated/i)(f),
    cause: () => 'The SMTP server did not count the session as authenticated when mail was submitted.',
    fix: (c) => `An Exchange admin enables SMTP AUTH: ${enableSmtpAuth(c)}`,
  },
  {
    id: 'smtp-send-as',
    exit: REJECTED,
    match: (f) => f.protocol === 'smtp' && said(/SendAsDenied|5\.2\.252|5\.7\.60/i)(f),
    cause: (c) => `The mailbox may not send as the sender address (the test mail is sent from ${c.email}).`,
    fix: (c) => `Sign in as ${c.email} (${reauth(c)}), or an Exchange admin grants Send As: Add-RecipientPermission -Identity ${c.email} -Trustee <signed-in user> -AccessRights SendAs`,
  },
  {
    id: 'outlook-com-imap-off',
    exit: REJECTED,
    match: (f, c) => f.protocol === 'imap' && c.provider === 'outlook.com' && (f.stage === 'auth' || said(/AUTHENTICATE failed|AUTHENTICATIONFAILED|Authentication failed/i)(f)),
    cause: (c) => `Outlook.com refused the IMAP login of ${c.email}: IMAP access is switched off for this personal account (it is off until you allow it), or the sign-in was revoked.`,
    fix: (c) => `${OUTLOOK_COM_IMAP}; then check with: mailoauth verify ${c.account}; if it still fails, sign in again: ${reauth(c)}`,
    showToken: true,
  },
  {
    id: 'shared-mailbox-refused',
    exit: REJECTED,
    match: (f, c) => f.protocol === 'imap' && c.delegate !== undefined && (f.stage === 'auth' || said(/AUTHENTICATE failed|AUTHENTICATIONFAILED|Authentication failed|not connected/i)(f)),
    cause: (c) => `The IMAP server refused ${c.delegate}'s token for the shared mailbox ${c.email}: ${c.delegate} has no full access to it (or IMAP is disabled for it).`,
    fix: (c) => `An Exchange admin grants access: ${fullAccess(c)} (and, if needed, ${enableImap(c)}); then: mailoauth verify ${c.account}`,
    showToken: true,
  },
  {
    id: 'imap-auth-failed',
    exit: REJECTED,
    match: (f) => f.protocol === 'imap' && (f.stage === 'auth' || said(/AUTHENTICATE failed|AUTHENTICATIONFAILED|Authentication failed/i)(f)),
    cause: (c) => `The IMAP server refused the token for ${c.email}${c.token?.format === 'jwt' ? ', although its audience, scopes and user look right' : ''}: IMAP is disabled for the mailbox, or the token was revoked or is not accepted by this server.`,
    fix: (c) => `An Exchange admin enables IMAP for the mailbox: ${enableImap(c)}; if it is enabled, sign in again: ${reauth(c)}`,
    showToken: true,
  },
  {
    id: 'smtp-auth-failed',
    exit: REJECTED,
    match: (f) => f.protocol === 'smtp' && f.stage === 'auth',
    cause: (c) => `The SMTP server refused the login of ${c.email}.`,
    fix: (c) => `See the server's words above; an Exchange admin can enable SMTP AUTH with: ${enableSmtpAuth(c)}; more checks: mailoauth doctor ${c.account}`,
    showToken: true,
  },
];

/** Cause, fix and exit code for a failed IMAP/SMTP login; unknown failures keep the server's words. */
export function diagnoseMailFailure(f: MailFailure, c: MailContext): MailDiagnosis {
  const said = (f.serverText ?? f.message).trim();
  const row = MAIL_ROWS.find((r) => r.match(f, c));
  if (row) {
    return { id: row.id, exit: row.exit, cause: row.cause(c, f), fix: row.fix(c, f), said, fromServer: f.serverText !== undefined, token: row.showToken ? claimsSummary(c.token) : undefined };
  }
  const answered = f.serverText !== undefined;
  return {
    id: 'unknown',
    exit: answered ? REJECTED : ExitCode.Unexpected,
    cause: answered ? `${where(c)} answered with an error mailoauth does not know.` : `Talking to ${where(c)} failed in a way mailoauth does not know.`,
    fix: `Check what it said above; more checks: mailoauth doctor ${c.account}`,
    said,
    fromServer: answered,
    token: answered ? claimsSummary(c.token) : undefined,
  };
}

/** The lines under a diagnosis: what was said (by whom), and the token's claims when they matter. */
export function diagnosisDetails(d: MailDiagnosis): string[] {
  return [`${d.fromServer ? 'server said' : 'error'}: ${d.said}`, ...(d.token ? [`token: ${d.token}`] : [])];
}
