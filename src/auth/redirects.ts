import { ExitCode, UserError } from '../errors.js';
import type { KnownClient } from '../providers/table.js';
import type { Flow } from './flow.js';

/**
 * Which redirect URI a sign-in sends, decided before any request: the identity platform shows an
 * unregistered redirect (AADSTS50011, Google's redirect_uri_mismatch) on its own page and never sends
 * the browser back, so a wrong guess cannot be noticed and corrected afterwards. Pure.
 */

/** For apps whose registration we do not know (the user's own): the forms mailoauth's app help asks them to register. */
export const OWN_APP_REDIRECT: Record<Exclude<Flow, 'device'>, string> = {
  // The literal address: a name (localhost) can resolve to an address someone else holds (RFC 8252 §8.3).
  browser: 'http://127.0.0.1',
  paste: 'https://localhost',
};

/** What a registration entry is compared with: no port for loopback http redirects (they match any port), no trailing slash. */
export function registrationForm(uri: string): string {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return uri;
  }
  const loopback = u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  return `${u.protocol}//${loopback ? u.hostname : u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** The browser flow's redirect must be a loopback http address the listener can hold. */
export function isLoopbackRedirect(uri: string): boolean {
  return /^http:\/\/(127\.0\.0\.1|localhost)\/?$/.test(registrationForm(uri) + '/');
}

export interface RedirectChoice {
  flow: Flow;
  /** The --redirect-uri flag. */
  flag?: string;
  /** What the stored account used (a --reauth), kept when still allowed. */
  stored?: string;
  /** The app, when its registration is known (a vendor's public client); absent for the user's own app. */
  client?: KnownClient;
}

/**
 * The redirect for a flow (undefined for device code): the flag, else the stored one, else what the
 * known client registered, else the own-app default. A flag a known client did not register is a usage
 * error naming what it did register; a stored one (an older mailoauth's choice) is quietly replaced.
 */
export function chooseRedirect(c: RedirectChoice): string | undefined {
  if (c.flow === 'device') return undefined;
  const registered = c.client ? c.client.redirects[c.flow] : undefined;
  if (c.client && !registered) {
    throw new UserError(ExitCode.Usage, `${c.client.label} has no redirect registered for the ${c.flow} flow.`, `Use ${alternatives(c.client, c.flow).join(' or ')}`);
  }
  const allowed = (uri: string) => !registered || registrationForm(uri) === registrationForm(registered);
  if (c.flag !== undefined) {
    if (c.flow === 'browser' && !isLoopbackRedirect(c.flag)) {
      throw new UserError(ExitCode.Usage, `The browser flow needs a loopback redirect (http://127.0.0.1 or http://localhost), not "${c.flag}".`, 'Use --redirect-uri http://127.0.0.1, or --flow paste for an https redirect');
    }
    if (!allowed(c.flag)) {
      throw new UserError(
        ExitCode.Usage,
        `${c.client!.label} (${c.client!.id}) has no redirect URI ${registrationForm(c.flag)} registered: the sign-in page would stop at AADSTS50011 / redirect_uri_mismatch and never come back.`,
        `Leave --redirect-uri out (the ${c.flow} flow uses ${registered}), or use your own app registration with --client-id`,
      );
    }
    return stripSlash(c.flag);
  }
  if (c.stored !== undefined && allowed(c.stored) && (c.flow !== 'browser' || isLoopbackRedirect(c.stored))) return stripSlash(c.stored);
  return registered ?? OWN_APP_REDIRECT[c.flow];
}

const stripSlash = (u: string) => u.replace(/\/+$/, '');

/** The flows a client can still do besides `failed`, as flags, for fix texts. */
function alternatives(client: KnownClient | undefined, failed: Flow): string[] {
  return signInFallbacks({ flow: failed }, client).map((f) => `--flow ${f.flow}`);
}

export interface SignInAttempt {
  flow: Flow;
  redirectUri?: string;
  /** How the wizard names it. */
  name?: string;
}

/**
 * What to offer when a browser-based sign-in got no answer (the platform likely showed an error page)
 * or was refused for its redirect: every other way this client can sign in, never the one that just
 * failed. A known client offers only what it registered; the user's own app, each form mailoauth knows.
 */
export function signInFallbacks(failed: SignInAttempt, client: KnownClient | undefined): SignInAttempt[] {
  const candidates: SignInAttempt[] = client
    ? [
        ...(['browser', 'paste'] as const).flatMap((flow) => (client.redirects[flow] ? [{ flow, redirectUri: client.redirects[flow] }] : [])),
        ...(client.deviceCode ? [{ flow: 'device' as const }] : []),
      ]
    : [
        { flow: 'browser', redirectUri: 'http://127.0.0.1' },
        { flow: 'browser', redirectUri: 'http://localhost' },
        { flow: 'paste', redirectUri: 'https://localhost' },
        { flow: 'device' },
      ];
  const same = (a: SignInAttempt) => a.flow === failed.flow && (a.flow === 'device' || failed.redirectUri === undefined || registrationForm(a.redirectUri!) === registrationForm(failed.redirectUri));
  return candidates.filter((a) => !same(a)).map((a) => ({ ...a, name: attemptName(a) }));
}

function attemptName(a: SignInAttempt): string {
  if (a.flow === 'device') return 'Device code (sign in on any device with a short code; no redirect needed)';
  if (a.flow === 'paste') return `Paste the address the browser ends on (${a.redirectUri})`;
  return `Browser, with redirect ${a.redirectUri}`;
}
