import type { Provider } from '../providers/table.js';

/**
 * Who signed in, compared with who was asked for. A typed outcome the caller switches on: the
 * decision is pure, the telling (and asking) is setup's.
 */
export type IdentityOutcome =
  | { kind: 'same' }
  /** The provider logs in with the signed-in name (Outlook.com aliases, Microsoft accounts named by another address): use it. */
  | { kind: 'use-sign-in-name'; loginUser: string }
  /** Someone else signed in: their token opens only what they may open. */
  | { kind: 'other-user'; signedIn: string };

export function decideIdentity(p: Pick<Provider, 'loginIsSignInName'>, asked: string, signedIn: string | undefined, shared: boolean): IdentityOutcome {
  if (!signedIn || signedIn.toLowerCase() === asked.toLowerCase()) return { kind: 'same' };
  if (p.loginIsSignInName && !shared) return { kind: 'use-sign-in-name', loginUser: signedIn };
  return { kind: 'other-user', signedIn };
}
