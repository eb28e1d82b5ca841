import type { Account } from '../account.js';
import { PlatformError } from '../auth/classify.js';
import { NoBrowserAnswer } from '../auth/loopback-listener.js';
import { signInFallbacks, type SignInAttempt } from '../auth/redirects.js';
import type { Deps } from '../deps.js';
import { UserError } from '../errors.js';
import { knownClient, providerById } from '../providers/table.js';

/** At most this many sign-ins per setup: the first, and a few other ways chosen by the user. */
const MAX_ATTEMPTS = 4;

/**
 * Runs a sign-in, and when the browser never came back (the platform showing an error on its own page)
 * or the redirect was refused, offers every other way this app can sign in — never the one that just
 * failed — instead of a dead end. Without a person to ask, the error names those ways as flags.
 */
export async function signInAttempts<T>(
  d: Deps,
  a: Pick<Account, 'name' | 'provider' | 'clientId'>,
  first: SignInAttempt,
  interactive: boolean,
  run: (attempt: SignInAttempt) => Promise<T>,
): Promise<T> {
  const row = providerById(a.provider);
  const client = row ? knownClient(row, a.clientId) : undefined;
  let attempt = first;
  for (let tries = 1; ; tries++) {
    try {
      return await run(attempt);
    } catch (e) {
      const noAnswer = e instanceof NoBrowserAnswer;
      if (!noAnswer && !(e instanceof PlatformError && e.aadsts === 50011)) throw e;
      const others = signInFallbacks(attempt, client);
      if (!interactive || tries >= MAX_ATTEMPTS || others.length === 0) {
        throw new UserError(e.exitCode, e.message, others.length ? `Run setup again and sign in another way: ${others.map(asFlags).join(', or ')}` : e.fix);
      }
      d.stderr.write(`mailoauth: ${e.message}\n`);
      const retry = noAnswer ? [{ value: attempt, name: 'Try the browser again (a new sign-in)' }] : [];
      attempt = await d.prompt.select<SignInAttempt>({
        id: 'signInFallback',
        message: 'Sign in another way?',
        choices: [...others.map((f) => ({ value: f, name: f.name ?? f.flow })), ...retry],
      });
    }
  }
}

function asFlags(o: SignInAttempt): string {
  return o.flow === 'browser' && o.redirectUri ? `--flow browser --redirect-uri ${o.redirectUri}` : `--flow ${o.flow}`;
}
