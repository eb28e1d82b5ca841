import { describe, expect, it } from 'vitest';
import { inspectAccessToken } from '../../src/diagnose/jwt.js';
import { diagnoseMailFailure, diagnosisDetails, MAIL_ROWS, type MailContext } from '../../src/diagnose/mail-errors.js';
import { ExitCode } from '../../src/errors.js';
import { imapFailure, smtpFailure } from '../../src/verify/failure.js';
import { saslRefusal } from '../../src/verify/sasl-login.js';
import { makeJwt } from './make-jwt.js';

/**
 * Every row of the IMAP/SMTP diagnosis table, fed with errors shaped as imapflow 2 and nodemailer 7
 * raise them (shapes recorded against Dovecot, smtp-server and Node's TLS stack; Microsoft's reply
 * texts as Exchange Online sends them).
 */
const ALICE = 'alice@contoso.example';
const NOW = Date.now();
const claims = { aud: 'https://outlook.office.com', scp: 'IMAP.AccessAsUser.All SMTP.Send', upn: ALICE, tid: 'tid-1', exp: NOW / 1000 + 3600 };
const inspect = (change: Record<string, unknown> = {}) =>
  inspectAccessToken(makeJwt({ ...claims, ...change }), { loginUser: ALICE, now: NOW });

const imapCtx = (token = inspect()): MailContext => ({ protocol: 'imap', account: 'work', email: ALICE, host: 'outlook.office365.com', port: 993, tls: 'implicit', timeoutMs: 20_000, token });
const smtpCtx = (token = inspect()): MailContext => ({ protocol: 'smtp', account: 'work', email: ALICE, host: 'smtp.office365.com', port: 587, tls: 'starttls', timeoutMs: 20_000, token });

/** imapflow's error for a refused AUTHENTICATE (after enhanceCommandError). */
const imapAuthError = (response: string, responseText: string, serverResponseCode?: string) => ({
  message: 'Command failed', response, responseStatus: 'NO', responseText, serverResponseCode,
  executedCommand: '2 AUTHENTICATE XOAUTH2 "(* value hidden *)"', authenticationFailed: true,
});
/** nodemailer's error for a refused AUTH. */
const smtpAuthError = (response: string) => ({
  message: `Invalid login: ${response}`, code: 'EAUTH', response, responseCode: Number(response.slice(0, 3)), command: 'AUTH XOAUTH2',
});
const MS_5_7_139 = '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0040.namprd05.prod.outlook.com 2024-05-01T10:00:00.000Z 08DC69E1C0A3E7B1]';

/** Gmail's reply to a bad XOAUTH2 token (multi-line; nodemailer keeps it whole in `response`). */
const GMAIL_5_7_8 = '535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials c7sm19648018pfp.164 - gsmtp';
/** A Google account's context: an opaque token, the scopes Google's token reply named. */
const gmailCtx = (protocol: 'imap' | 'smtp', email = 'someone@gmail.com', granted = ['https://mail.google.com/']): MailContext => ({
  protocol, account: 'gm', email, provider: 'google', timeoutMs: 20_000, tls: 'implicit',
  host: protocol === 'imap' ? 'imap.gmail.com' : 'smtp.gmail.com', port: protocol === 'imap' ? 993 : 465,
  token: { ...inspectAccessToken('ya29.opaque-token', { loginUser: email, now: NOW, opaqueExpected: true }), granted },
});

type Case = [string, ReturnType<typeof imapFailure>, MailContext, string, ExitCode, RegExp, RegExp?];

const CASES: Case[] = [
  // Transport.
  ['DNS (imapflow)', imapFailure({ message: 'getaddrinfo ENOTFOUND outlook.office365.com', code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo' }, 'connect'), imapCtx(), 'dns', ExitCode.Unavailable, /did not resolve/, /--imap-host/],
  ['DNS (nodemailer EDNS)', smtpFailure({ message: 'getaddrinfo ENOTFOUND smtp.office365.com', code: 'EDNS', command: 'CONN' }), smtpCtx(), 'dns', ExitCode.Unavailable, /did not resolve/, /--smtp-host/],
  ['refused (imapflow)', imapFailure({ message: 'connect ECONNREFUSED 127.0.0.1:993', code: 'ECONNREFUSED', errno: -111 }, 'connect'), imapCtx(), 'refused', ExitCode.Unavailable, /Nothing accepts connections on outlook\.office365\.com:993/, /--imap-port/],
  ['refused (nodemailer ESOCKET)', smtpFailure({ message: 'connect ECONNREFUSED 127.0.0.1:587', code: 'ESOCKET', command: 'CONN' }), smtpCtx(), 'refused', ExitCode.Unavailable, /Nothing accepts/, /--smtp-port/],
  ['implicit TLS to a STARTTLS port', imapFailure({ message: '80BC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:ssl3_record.c:350:\n', code: 'ERR_SSL_WRONG_VERSION_NUMBER', reason: 'wrong version number' }, 'connect'), { ...imapCtx(), port: 143 }, 'tls-mode', ExitCode.Unavailable, /does not speak TLS from the first byte/, /--imap-port 993/],
  ['implicit TLS to SMTP 587 (nodemailer)', smtpFailure({ message: '80BC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number', code: 'ESOCKET', command: 'CONN' }), { ...smtpCtx(), tls: 'implicit' }, 'tls-mode', ExitCode.Unavailable, /does not speak TLS/, /--smtp-port 587/],
  ['certificate for another name', imapFailure({ message: "Hostname/IP does not match certificate's altnames: Host: mail.example. is not in the cert's altnames: DNS:outlook.office365.com", code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'connect'), imapCtx(), 'tls-hostname', ExitCode.Unavailable, /for another name/, /--imap-host/],
  ['untrusted certificate (imapflow)', imapFailure({ message: 'unable to verify the first certificate', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'connect'), imapCtx(), 'tls-untrusted', ExitCode.Unavailable, /not trusted/, /NODE_EXTRA_CA_CERTS/],
  ['self-signed (nodemailer)', smtpFailure({ message: 'self-signed certificate in certificate chain', code: 'ESOCKET', command: 'CONN' }), smtpCtx(), 'tls-untrusted', ExitCode.Unavailable, /not trusted/, /NODE_EXTRA_CA_CERTS/],
  ['greeting timeout (imapflow)', imapFailure({ message: 'Failed to receive greeting from server in required time. Maybe should use TLS?', code: 'GREETING_TIMEOUT' }, 'connect'), { ...imapCtx(), tls: 'starttls', port: 143 }, 'timeout', ExitCode.Unavailable, /did not answer within 20000 ms/, /expects TLS from the first byte: --imap-port 993.*--timeout-ms/],
  ['greeting never received (nodemailer)', smtpFailure({ message: 'Greeting never received', code: 'ETIMEDOUT', command: 'CONN' }), smtpCtx(), 'timeout', ExitCode.Unavailable, /did not answer/, /--timeout-ms/],
  ['our own deadline', imapFailure({ message: 'no answer from outlook.office365.com:993 within 20000 ms', code: 'VERIFY_TIMEOUT' }, 'command'), imapCtx(), 'timeout', ExitCode.Unavailable, /did not answer within 20000 ms/, /993\/587/],
  ['connection reset', imapFailure({ message: 'read ECONNRESET', code: 'ECONNRESET' }, 'connect'), imapCtx(), 'connection-lost', ExitCode.Unavailable, /failed or was closed/, /Try again/],
  ['closed after connect', imapFailure({ message: 'Connection closed', code: 'EConnectionClosed' }, 'command'), imapCtx(), 'connection-lost', ExitCode.Unavailable, /closed/, /Try again/],
  ['SMTP 421 busy', smtpFailure({ message: 'Invalid login: 421 4.3.2 Service not available', code: 'EAUTH', response: '421 4.3.2 Service not available', responseCode: 421, command: 'AUTH XOAUTH2' }), smtpCtx(), 'server-busy', ExitCode.Unavailable, /temporarily/, /few minutes/],
  ['IMAP [UNAVAILABLE]', imapFailure({ message: 'Command failed', response: '2 NO [UNAVAILABLE] Server busy', responseStatus: 'NO', responseText: 'Server busy', authenticationFailed: true }, 'connect'), imapCtx(), 'server-busy', ExitCode.Unavailable, /temporarily/, /few minutes/],

  // SASL: the server offers no mechanism the account's configs use (verify/sasl-login.ts builds these).
  ['IMAP offers OAUTHBEARER only, the configs use XOAUTH2', saslRefusal('imap', { kind: 'not-offered', wanted: 'xoauth2' }, ['OAUTHBEARER']).failure, imapCtx(), 'sasl-not-offered', ExitCode.LoginRejected, /does not offer XOAUTH2, the SASL mechanism work's mail-client configs use for IMAP; it offers OAUTHBEARER\./, /setup --reauth work --clients PROGRAMS \(without --sasl\)/],
  ['SMTP offers PLAIN LOGIN only', saslRefusal('smtp', { kind: 'none' }, ['PLAIN', 'LOGIN']).failure, smtpCtx(), 'sasl-none', ExitCode.LoginRejected, /offers no OAuth2 mechanism \(neither XOAUTH2 nor OAUTHBEARER, only PLAIN LOGIN\)/, /--smtp-host.*auth_mechanisms = xoauth2 oauthbearer/],

  // IMAP refusals.
  ['Microsoft: AUTHENTICATE failed, claims fine → IMAP disabled', imapFailure(imapAuthError('2 NO AUTHENTICATE failed.', 'AUTHENTICATE failed.'), 'connect'), imapCtx(), 'imap-auth-failed', ExitCode.LoginRejected, /IMAP is disabled for the mailbox, or the token was revoked/, /Set-CASMailbox -Identity alice@contoso\.example -ImapEnabled \$true/],
  ['Dovecot: [AUTHENTICATIONFAILED], claims fine', imapFailure(imapAuthError('2 NO [AUTHENTICATIONFAILED] Authentication failed.', 'Authentication failed.', 'AUTHENTICATIONFAILED'), 'connect'), imapCtx(), 'imap-auth-failed', ExitCode.LoginRejected, /refused the token/, /mailoauth setup --reauth work/],
  ['a refusal whose words sound like a transport error is still a refusal', imapFailure(imapAuthError('2 NO [AUTHENTICATIONFAILED] Token timed out; certificate unknown', 'Token timed out; certificate unknown'), 'connect'), imapCtx(), 'imap-auth-failed', ExitCode.LoginRejected, /refused the token/],
  ['Outlook.com: AUTHENTICATE failed → IMAP switched off in Outlook.com settings', imapFailure(imapAuthError('2 NO AUTHENTICATE failed.', 'AUTHENTICATE failed.'), 'connect'), { ...imapCtx(), email: 'bob@hotmail.com', provider: 'outlook.com' }, 'outlook-com-imap-off', ExitCode.LoginRejected, /IMAP access is switched off for this personal account/, /Settings → Mail → Forwarding and IMAP → turn on "Let devices and apps use IMAP"/],
  ['shared mailbox refused for the delegate', imapFailure(imapAuthError('2 NO [AUTHENTICATIONFAILED] Authentication failed.', 'Authentication failed.', 'AUTHENTICATIONFAILED'), 'connect'), { ...imapCtx(inspectAccessToken(makeJwt({ ...claims, upn: 'bob@contoso.example' }), { loginUser: 'team@contoso.example', signInUser: 'bob@contoso.example', now: NOW })), email: 'team@contoso.example', delegate: 'bob@contoso.example' }, 'shared-mailbox-refused', ExitCode.LoginRejected, /refused bob@contoso\.example's token for the shared mailbox team@contoso\.example/, /Add-MailboxPermission -Identity team@contoso\.example -User bob@contoso\.example -AccessRights FullAccess/],
  ['AUTHENTICATE failed, token for bob', imapFailure(imapAuthError('2 NO AUTHENTICATE failed.', 'AUTHENTICATE failed.'), 'connect'), imapCtx(inspect({ upn: 'bob@contoso.example' })), 'token-user-mismatch', ExitCode.LoginRejected, /belongs to bob@contoso\.example, but the login user is alice@contoso\.example/, /Add-MailboxPermission -Identity alice@contoso\.example -User bob@contoso\.example -AccessRights FullAccess/],
  ['AUTHENTICATE failed, Graph token', imapFailure(imapAuthError('2 NO AUTHENTICATE failed.', 'AUTHENTICATE failed.'), 'connect'), imapCtx(inspect({ aud: 'https://graph.microsoft.com' })), 'token-audience', ExitCode.LoginRejected, /is for https:\/\/graph\.microsoft\.com/, /setup --reauth work/],
  ['AUTHENTICATE failed, no IMAP scope', imapFailure(imapAuthError('2 NO AUTHENTICATE failed.', 'AUTHENTICATE failed.'), 'connect'), imapCtx(inspect({ scp: 'SMTP.Send' })), 'token-scope', ExitCode.LoginRejected, /lacks the IMAP\.AccessAsUser\.All permission/, /delegated permission IMAP\.AccessAsUser\.All/],
  ['AUTHENTICATE failed, expired token', imapFailure(imapAuthError('2 NO AUTHENTICATE failed.', 'AUTHENTICATE failed.'), 'connect'), imapCtx(inspect({ exp: NOW / 1000 - 60 })), 'token-expired', ExitCode.LoginRejected, /expired/, /mailoauth token work/],
  ['Microsoft: User is authenticated but not connected (on LIST)', imapFailure({ message: 'Command failed', response: '3 BAD User is authenticated but not connected.', responseStatus: 'BAD', responseText: 'User is authenticated but not connected.', executedCommand: '3 LIST "" "*"' }, 'command'), imapCtx(inspect({ upn: 'bob@contoso.example' })), 'imap-not-connected', ExitCode.LoginRejected, /will not open the mailbox alice@contoso\.example for the token's user bob@contoso\.example/, /setup --reauth work.*Add-MailboxPermission/],

  // SMTP refusals.
  ['Microsoft 535 5.7.139 SMTP AUTH disabled', smtpFailure(smtpAuthError(MS_5_7_139)), smtpCtx(), 'smtp-auth-disabled', ExitCode.LoginRejected, /SMTP AUTH .* is disabled/, /Set-CASMailbox -Identity alice@contoso\.example -SmtpClientAuthenticationDisabled \$false/],
  ['Outlook.com, new mailbox: SMTP AUTH disabled for the Mailbox → consumer wording, no Set-CASMailbox', smtpFailure(smtpAuthError('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.')), { ...smtpCtx(), email: 'bob@outlook.com', provider: 'outlook.com', host: 'smtp-mail.outlook.com' }, 'outlook-com-smtp-auth-disabled', ExitCode.LoginRejected, /SMTP AUTH is turned off for this personal mailbox .*no setting to turn it on/, /^(?!.*Set-CASMailbox).*Outlook\.com support.*mailoauth verify work --smtp/],
  ['Outlook.com, the same without a status code', smtpFailure(smtpAuthError('535 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.')), { ...smtpCtx(), email: 'bob@outlook.com', provider: 'outlook.com' }, 'outlook-com-smtp-auth-disabled', ExitCode.LoginRejected, /personal mailbox/],
  ['5.7.139 beats a mismatched token (the server named the cause)', smtpFailure(smtpAuthError(MS_5_7_139)), smtpCtx(inspect({ upn: 'bob@contoso.example' })), 'smtp-auth-disabled', ExitCode.LoginRejected, /disabled/, /SmtpClientAuthenticationDisabled \$false/],
  ['5.7.139 security defaults', smtpFailure(smtpAuthError("535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.")), smtpCtx(), 'smtp-security-defaults', ExitCode.LoginRejected, /security defaults/, /Conditional Access/],
  ['5.7.139 other wording', smtpFailure(smtpAuthError('535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.')), smtpCtx(), 'smtp-5.7.139', ExitCode.LoginRejected, /5\.7\.139/, /SmtpClientAuthenticationDisabled \$false/],
  ['535 5.7.3, claims fine', smtpFailure(smtpAuthError('535 5.7.3 Authentication unsuccessful [MN2PR01CA0001.prod.outlook.com]')), smtpCtx(), 'smtp-5.7.3', ExitCode.LoginRejected, /refused the token \(535\)/, /SmtpClientAuthenticationDisabled \$false/],
  ['535 5.7.3, token for bob', smtpFailure(smtpAuthError('535 5.7.3 Authentication unsuccessful')), smtpCtx(inspect({ upn: 'bob@contoso.example' })), 'token-user-mismatch', ExitCode.LoginRejected, /belongs to bob/, /setup --reauth work/],
  ['535 5.7.3, no SMTP.Send', smtpFailure(smtpAuthError('535 5.7.3 Authentication unsuccessful')), smtpCtx(inspect({ scp: 'IMAP.AccessAsUser.All' })), 'token-scope', ExitCode.LoginRejected, /lacks the SMTP\.Send permission/, /delegated permission SMTP\.Send/],
  ['530 5.7.57 on MAIL FROM (send-test)', smtpFailure({ message: 'Mail command failed: 530 5.7.57 Client not authenticated to send mail.', code: 'EENVELOPE', response: '530 5.7.57 Client not authenticated to send mail. [BN0PR04CA0001]', responseCode: 530, command: 'MAIL FROM' }, true), smtpCtx(), 'smtp-not-authenticated', ExitCode.LoginRejected, /not count the session as authenticated/, /SmtpClientAuthenticationDisabled/],
  ['554 5.2.252 SendAsDenied (send-test)', smtpFailure({ message: 'Message failed', code: 'EMESSAGE', response: '554 5.2.252 SendAsDenied; bob@contoso.example not allowed to send as alice@contoso.example', responseCode: 554, command: 'DATA' }, true), smtpCtx(), 'smtp-send-as', ExitCode.LoginRejected, /may not send as/, /SendAs/],

  // Gmail / Google Workspace (opaque tokens: Google's words, the address's domain and the granted scopes decide).
  ['Gmail: [ALERT] Invalid credentials (Failure) → token causes, IMAP is always on', imapFailure(imapAuthError('2 NO [ALERT] Invalid credentials (Failure)', '[ALERT] Invalid credentials (Failure)', 'ALERT'), 'connect'), gmailCtx('imap'), 'gmail-imap-refused', ExitCode.LoginRejected, /Gmail refused the token for someone@gmail\.com: the token belongs to another Google account .* lacks the https:\/\/mail\.google\.com\/ scope, or was revoked\. \(IMAP itself is always on for personal Gmail accounts\.\)/, /^Sign in again as someone@gmail\.com and allow Gmail access: mailoauth setup --reauth gm$/],
  ['Workspace: [AUTHENTICATIONFAILED] Invalid credentials → the admin\'s IMAP switch for the OU', imapFailure(imapAuthError('2 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)', 'Invalid credentials (Failure)', 'AUTHENTICATIONFAILED'), 'connect'), gmailCtx('imap', 'carol@example-workspace.org'), 'gmail-imap-refused', ExitCode.LoginRejected, /Google Workspace refused the IMAP login of carol@example-workspace\.org: an admin has turned IMAP off for its organizational unit or allows only listed IMAP clients/, /Admin console \(admin\.google\.com\) → Apps → Google Workspace → Gmail → End User Access → POP and IMAP access.*mailoauth setup --reauth gm/],
  ['Gmail SMTP 535-5.7.8 Username and Password not accepted → token causes, reauth', smtpFailure(smtpAuthError(GMAIL_5_7_8)), gmailCtx('smtp'), 'gmail-smtp-refused', ExitCode.LoginRejected, /Gmail refused the token for someone@gmail\.com: the token belongs to another Google account/, /Sign in again as someone@gmail\.com .*mailoauth setup --reauth gm; then: mailoauth verify gm --smtp/],
  ['Gmail IMAP refusal, token granted without the Gmail scope → the scope, reauth', imapFailure(imapAuthError('2 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)', 'Invalid credentials (Failure)'), 'connect'), gmailCtx('imap', undefined, ['https://www.googleapis.com/auth/gmail.send']), 'google-token-scope', ExitCode.LoginRejected, /granted this token for https:\/\/www\.googleapis\.com\/auth\/gmail\.send, not for https:\/\/mail\.google\.com\/, the only scope Gmail's IMAP accepts/, /mailoauth setup --reauth gm/],
  ['Gmail SMTP 5.7.8, token granted without the Gmail scope → the scope', smtpFailure(smtpAuthError(GMAIL_5_7_8)), gmailCtx('smtp', undefined, ['openid', 'email']), 'google-token-scope', ExitCode.LoginRejected, /granted this token for openid email, not for https:\/\/mail\.google\.com\//, /consent screen must list that scope/],
  ['Gmail DNS failure names Gmail\'s hosts', imapFailure({ message: 'getaddrinfo ENOTFOUND imap.gmial.com', code: 'ENOTFOUND' }, 'connect'), { ...gmailCtx('imap'), host: 'imap.gmial.com' }, 'dns', ExitCode.Unavailable, /did not resolve/, /Gmail \/ Google Workspace: IMAP imap\.gmail\.com, SMTP smtp\.gmail\.com/],
];

describe('IMAP/SMTP diagnosis table', () => {
  it.each(CASES)('%s', (_, failure, ctx, id, exit, cause, fix) => {
    const d = diagnoseMailFailure(failure, ctx);
    expect(d.id).toBe(id);
    expect(d.exit).toBe(exit);
    expect(d.cause).toMatch(cause);
    if (fix) expect(d.fix).toMatch(fix);
    expect(d.said.length).toBeGreaterThan(0);
    expect(d.fromServer).toBe(failure.serverText !== undefined);
  });

  it.each(CASES.filter((c) => c[2].provider === 'google'))('Gmail wording, not Microsoft\'s: %s', (_, failure, ctx) => {
    const d = diagnoseMailFailure(failure, ctx);
    expect(`${d.cause} ${d.fix}`).not.toMatch(/Set-CASMailbox|Exchange|Microsoft 365|outlook\.office/);
  });

  it('every row is exercised by a case', () => {
    const hit = new Set(CASES.map((c) => c[3]));
    expect(MAIL_ROWS.map((r) => r.id).filter((id) => !hit.has(id) && id !== 'smtp-auth-failed')).toEqual([]);
  });

  it('the server\'s words are kept verbatim (tag stripped), and refusals show the token\'s claims, not the token', () => {
    const token = inspect({ upn: 'bob@contoso.example' });
    const d = diagnoseMailFailure(imapFailure(imapAuthError('2 NO [AUTHENTICATIONFAILED] Authentication failed.', 'Authentication failed.'), 'connect'), imapCtx(token));
    expect(d.said).toBe('NO [AUTHENTICATIONFAILED] Authentication failed.');
    expect(diagnosisDetails(d)).toEqual(['server said: NO [AUTHENTICATIONFAILED] Authentication failed.', `token: ${d.token}`]);
    expect(d.token).toBe('aud https://outlook.office.com, scp IMAP.AccessAsUser.All SMTP.Send, upn bob@contoso.example, tid tid-1');
  });

  it('a refusal nobody knows keeps the raw server text (exit 6); an unknown local failure is exit 1', () => {
    const odd = diagnoseMailFailure(smtpFailure({ message: 'Invalid login: 550 5.9.9 Something new', code: 'EPROTOCOL', response: '550 5.9.9 Something new', responseCode: 550, command: 'EHLO' }), { ...smtpCtx(), token: undefined });
    expect(odd).toMatchObject({ id: 'unknown', exit: ExitCode.LoginRejected, said: '550 5.9.9 Something new' });
    expect(odd.fix).toContain('mailoauth doctor work');
    const weird = diagnoseMailFailure({ protocol: 'imap', stage: 'command', message: 'Unexpected parser state', code: 'ParserError7' }, imapCtx());
    expect(weird).toMatchObject({ id: 'unknown', exit: ExitCode.Unexpected, said: 'Unexpected parser state' });
  });

  it('a failure at the AUTH stage without a known reply falls back to the generic SMTP refusal', () => {
    const d = diagnoseMailFailure(smtpFailure({ message: 'Invalid login: 501 5.5.4 Syntax error', code: 'EAUTH', response: '501 5.5.4 Syntax error', responseCode: 501, command: 'AUTH XOAUTH2' }), smtpCtx());
    expect(d).toMatchObject({ id: 'smtp-auth-failed', exit: ExitCode.LoginRejected, said: '501 5.5.4 Syntax error' });
  });
});
