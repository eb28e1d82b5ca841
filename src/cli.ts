import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import type { Deps } from './deps.js';
import { ExitCode } from './errors.js';
import { CLOUD_IDS } from './providers/clouds.js';
import { PROVIDERS } from './providers/table.js';
import { report } from './report.js';

const PROVIDER_IDS = PROVIDERS.map((p) => p.id);

/**
 * The commander wiring, for the given edges: each command's file (src/commands/) is loaded when it
 * runs, parses its options and calls its domain function. Output goes to `d.stdout`/`d.stderr`, so
 * tests run every command in-process (test/helpers/test-deps.ts).
 */
export function buildProgram(d: Deps): Command {
  const program = new Command('mailoauth')
    .description('OAuth2 for your mail programs: sign in once, then offlineimap, mbsync, mutt and msmtp get fresh tokens.')
    .version(pkg.version)
    .option('--debug', 'explain what happens on stderr (tokens are never shown)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => d.stdout.write(s), writeErr: (s) => d.stderr.write(s) });

  const deps = (): Deps => ({ ...d, debug: d.debug || Boolean(program.opts().debug) });

  program
    .command('token')
    .description('print a valid access token for ACCOUNT (refreshing it when < 5 minutes are left)')
    .argument('<account>', 'account name (see mailoauth list)')
    .option('--xoauth2', 'print the base64 SASL XOAUTH2 string instead')
    .option('--json', 'print {access_token, expires_at, account, scopes}')
    .action(async (name: string, o: { xoauth2?: boolean; json?: boolean }) => {
      const { tokenCommand } = await import('./commands/token.js');
      await tokenCommand(deps(), name, o);
    });

  program
    .command('setup', { isDefault: false })
    .description('sign in to a mailbox and store its refresh token in the OS keychain')
    .option('--email <address>', 'the mailbox address and login user (with --mailbox: the user who signs in)')
    .option('--name <account>', 'a shorter account name (default: the email)')
    .addOption(new Option('--provider <id>', 'provider row (oidc: any OpenID Connect / OAuth2 provider, with --issuer)').choices(PROVIDER_IDS))
    .option('--client-id <id>', "the app's client id (default: Thunderbird's public client)")
    .option('--client-secret-env <var>', "environment variable holding your own Google client's secret (stored in the keychain)")
    .option('--tenant <tenant>', 'tenant id or domain (default: detected from the domain, else organizations; consumers for Outlook.com)')
    .addOption(new Option('--cloud <cloud>', 'Microsoft cloud: worldwide (and GCC), US Government GCC High or DoD, China 21Vianet (default: detected)').choices(CLOUD_IDS))
    .option('--issuer <url>', 'oidc: the issuer whose metadata names the endpoints (OpenID discovery / RFC 8414)')
    .option('--scope <scopes>', 'oidc: the scopes the mail servers accept, e.g. "openid email offline_access mail"')
    .option('--authorization-endpoint <url>', 'oidc without discovery: the authorization endpoint')
    .option('--token-endpoint <url>', 'oidc without discovery: the token endpoint')
    .option('--device-authorization-endpoint <url>', 'oidc without discovery: the device authorization endpoint (RFC 8628), if any')
    .option('--mailbox <address>', 'a shared mailbox to open with the --email user\'s sign-in (the login user becomes this address)')
    .option('--expect-user <address>', 'the identity the platform will report when it is not --email (an Outlook.com alias, a UPN); any other is refused with --yes')
    .addOption(new Option('--flow <flow>', 'how to sign in').choices(['device', 'browser', 'paste']))
    .addOption(new Option('--store <store>', 'where the refresh token goes').choices(['keychain', 'file', 'gpg']))
    .option('--gpg-recipient <key>', '--store gpg: the GPG key (id, fingerprint or email) the secrets are encrypted to')
    .option('--authority <url>', 'identity platform authority, https://HOST/TENANT (sovereign clouds, tests); Google: a base URL for both endpoints')
    .option('--redirect-uri <uri>', "redirect URI your own app registered (browser: http://127.0.0.1 or http://localhost; paste: any https URI); Thunderbird's app: its registered ones only")
    .option('--port <port>', 'loopback port for the browser flow (default: a free one)')
    .option('--imap-host <host>').option('--imap-port <port>').option('--smtp-host <host>').option('--smtp-port <port>')
    .option('--clients <list>', 'write config blocks for these programs: offlineimap,mbsync,mutt,neomutt,msmtp,aerc,getmail,git-send-email,s-nail')
    .option('--ca-file <path>', 'CA bundle the written client configs trust (default: the system store)')
    .option('--maildir <path>', 'local Maildir for the one program that keeps mail locally (default ~/Mail/PROGRAM/ACCOUNT)')
    .option('--dry-run', 'show the config diffs, write no config file')
    .option('--force', 'replace managed blocks that were edited by hand')
    .option('--no-verify', 'skip the IMAP/SMTP check')
    .option('--sasl <mechanism>', 'xoauth2 or oauthbearer for both servers (default: what the servers offer, XOAUTH2 first; without a check: xoauth2)')
    .option('--reauth <account>', 'sign an existing account in again')
    .option('-y, --yes', 'never prompt; fail on a missing answer')
    .action(async (o) => {
      const { setupCommand } = await import('./commands/setup.js');
      await setupCommand(deps(), o);
    });

  program
    .command('config')
    .description("print or write one mail client's config block for ACCOUNT")
    .argument('<account>', 'account name (see mailoauth list)')
    .requiredOption('--client <name>', 'offlineimap, mbsync, mutt, neomutt, msmtp, aerc, getmail, git-send-email or s-nail')
    .option('--print', 'print the block on stdout (the default)')
    .option('--write', "merge the block into the client's config file (diff, backup, atomic write)")
    .option('--file <path>', "config file to edit instead of the client's default")
    .option('--ca-file <path>', 'CA bundle the client should trust (default: the system store)')
    .option('--maildir <path>', 'local Maildir (programs that keep mail locally; default ~/Mail/PROGRAM/ACCOUNT)')
    .option('--dry-run', 'with --write: show the diff only')
    .option('--force', 'replace a managed block that was edited by hand')
    .action(async (name: string, o) => {
      const { configCommand } = await import('./commands/config.js');
      await configCommand(deps(), name, o);
    });

  program
    .command('export')
    .description("write ACCOUNT's access token where another tool reads it (imapsync's --oauthaccesstoken)")
    .argument('<account>', 'account name (see mailoauth list)')
    .option('--imapsync <file>', 'token file for imapsync: line 1 the access token, mode 0600')
    .option('--watch', 'keep rewriting the file before the token expires, until stopped')
    .action(async (name: string, o) => {
      const { exportCommand } = await import('./commands/export.js');
      await exportCommand(deps(), name, o);
    });

  program
    .command('remove')
    .description("forget ACCOUNT: keychain items, metadata, and its managed blocks in mail-client configs")
    .argument('<account>', 'account name (see mailoauth list)')
    .option('--dry-run', 'show what would change')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name: string, o) => {
      const { removeCommand } = await import('./commands/remove.js');
      await removeCommand(deps(), name, o);
    });

  program
    .command('verify')
    .description('log in to IMAP (folders, INBOX counts) and SMTP (AUTH only) with a fresh token; sends nothing unless --send-test')
    .argument('<account>', 'account name (see mailoauth list)')
    .option('--imap', 'check IMAP (default: IMAP and SMTP)')
    .option('--smtp', 'check SMTP AUTH (default: IMAP and SMTP)')
    .option('--send-test <to>', 'after SMTP AUTH, send one short test message to this address')
    .option('--imap-host <host>').option('--imap-port <port>').option('--smtp-host <host>').option('--smtp-port <port>')
    .option('--timeout-ms <ms>', 'deadline for each server (default 20000)')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (name: string, o) => {
      const { verifyCommand } = await import('./commands/verify.js');
      await verifyCommand(deps(), name, o);
    });

  program
    .command('refresh')
    .description("refresh ACCOUNT's tokens now (or every account's), so a sign-in nobody uses for weeks does not expire")
    .argument('[account]', 'account name (see mailoauth list)')
    .option('--all', 'every account')
    .option('--quiet', 'print nothing when everything worked (for cron)')
    .option('--json', 'print the outcome per account as JSON')
    .option('--notify-cmd <command>', 'run this shell command instead of a desktop notification when a sign-in ended or ends within 3 days (MAILOAUTH_* variables say what)')
    .action(async (name: string | undefined, o) => {
      const { refreshCommand } = await import('./commands/refresh.js');
      await refreshCommand(deps(), name, o);
    });

  program
    .command('schedule')
    .description('run `mailoauth refresh --all` daily: a systemd user timer, or the crontab line where systemd is absent')
    .option('--install', 'write and enable the timer (cron: print the line to add)')
    .option('--remove', 'disable and delete the timer')
    .option('--print', 'print the unit files (or crontab line) without installing')
    .option('--systemd', 'use a systemd user timer even if no user manager answers now')
    .option('--cron', 'use cron even where systemd runs')
    .option('--notify-cmd <command>', 'passed to the scheduled refresh (see mailoauth refresh --help)')
    .action(async (o) => {
      const { scheduleCommand } = await import('./commands/schedule.js');
      await scheduleCommand(deps(), o);
    });

  program
    .command('list')
    .description('accounts with their access-token expiry, refresh-token age and the date a new sign-in is due')
    .option('--json', 'print the accounts as JSON')
    .action(async (o) => {
      const { listCommand } = await import('./commands/list.js');
      await listCommand(deps(), o);
    });

  program
    .command('doctor')
    .description('check keychain, accounts, tokens, IMAP/SMTP logins and mail clients; each problem with its fix')
    .argument('[account]', 'check only this account (default: all)')
    .option('--app-help', 'how to register your own app (and the admin-consent URL)')
    .addOption(new Option('--cloud <cloud>', 'with --app-help: the Microsoft cloud to register in').choices(CLOUD_IDS))
    .option('--timeout-ms <ms>', 'deadline for each server (default 20000)')
    .option('--json', 'print the findings as JSON on stdout')
    .action(async (name: string | undefined, o) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      await doctorCommand(deps(), name, o);
    });

  return program;
}

/** Run one command line (without `node` and the script): the exit code, after any error is reported on d.stderr. */
export async function runCli(args: string[], d: Deps): Promise<number> {
  const program = buildProgram(d);
  try {
    await program.parseAsync(args, { from: 'user' });
    return ExitCode.Ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    return report(e, d.stderr, d.debug || Boolean(program.opts().debug));
  }
}
