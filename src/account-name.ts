import { ExitCode, UserError } from './errors.js';
import { isGuid } from './guid.js';

/** An account name is letters, digits, `.`, `_`, `-`, `@`, `+` — safe in every config language we write. */
export const ACCOUNT_NAME = /^[A-Za-z0-9._@+-]{1,128}$/;
const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** The rule itself: setup's flags and the names read back from accounts.json pass the same one. */
export function isAccountName(name: string): boolean {
  return ACCOUNT_NAME.test(name) && !name.startsWith('-') && !name.startsWith('.');
}

export function checkAccountName(name: string): string {
  if (!isAccountName(name)) {
    throw new UserError(ExitCode.Usage, `"${name}" cannot be an account name: use letters, digits and . _ - @ + (not starting with - or .).`, 'Give another with --name');
  }
  return name;
}

/** The domain of an address, lower-cased: what follows the last `@` (a quoted local part may hold one). */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export function checkEmail(email: string): string {
  if (!EMAIL.test(email) || email.length > 254) {
    throw new UserError(ExitCode.Usage, `"${email}" is not an email address.`, 'Pass the mailbox address, e.g. --email you@contoso.com');
  }
  return email;
}

export function checkClientId(id: string): string {
  if (!isGuid(id)) {
    throw new UserError(ExitCode.Usage, `"${id}" is not a Microsoft client id (a GUID like 9e5f94bc-e8a4-4e73-b8be-63364c29d753).`, 'Copy the "Application (client) ID" from the app registration, or leave --client-id out to use Thunderbird\'s');
  }
  return id.toLowerCase();
}

export function checkAuthority(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(ExitCode.Usage, `"${url}" is not a URL.`, 'e.g. --authority https://login.microsoftonline.us/contoso.onmicrosoft.us');
  }
  if (u.protocol !== 'https:' || u.pathname.split('/').filter(Boolean).length !== 1) {
    throw new UserError(ExitCode.Usage, `"${url}" is not an authority: it must be https://HOST/TENANT.`, 'e.g. --authority https://login.microsoftonline.com/organizations');
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** Host names and IPv4 addresses only: they appear unquoted in URLs and config lines. */
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

export function assertHost(host: string, what: string): void {
  if (!HOST.test(host)) {
    throw new UserError(ExitCode.Usage,
      `The ${what} host ${JSON.stringify(host)} is not a host name mailoauth can write into a config.`,
      `Give a DNS name such as outlook.office365.com with --${what.toLowerCase()}-host.`);
  }
}

export function assertPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(ExitCode.Usage, `The ${what} port ${port} is not a TCP port (1-65535).`,
      `Give a port such as 993 with --${what.toLowerCase()}-port.`);
  }
}
