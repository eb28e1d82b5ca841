import type { Provider } from '../providers/table.js';

/** Who the platform says signed in (the id token's preferred_username / email, and tenant). */
export interface SignedInIdentity {
  user?: string;
  /** Tenant id (GUID) the sign-in happened in, when the platform has tenants. */
  tenant?: string;
}

export interface IdentityExpectation {
  /** Who was asked to sign in (--email, or the shared mailbox's delegate). */
  asked: string;
  /** --expect-user: the identity the user knows the platform will report, when it is not `asked`. */
  expectUser?: string;
  /** The tenant id the sign-in was sent to, when it names one (not organizations/common). */
  tenant?: string;
  /** A shared mailbox: its login user is fixed (the shared address), whoever signs in. */
  shared: boolean;
}

/**
 * Who signed in, compared with who was asked for. A typed outcome the caller switches on: the
 * decision is pure; telling, asking and refusing are setup's. Nothing that differs passes silently:
 * anyone could have delivered a code to the loopback listener (another local user reading the
 * authorize URL from the process list), so a sign-in of someone else is never simply stored.
 */
export type IdentityOutcome =
  | { kind: 'same' }
  /** --expect-user named exactly the identity that signed in. */
  | { kind: 'expected'; loginUser: string }
  /** The provider logs in with the signed-in name (Outlook.com aliases, accounts named by another address). */
  | { kind: 'use-sign-in-name'; loginUser: string }
  | { kind: 'other-user'; signedIn: string }
  | { kind: 'other-tenant'; signedIn: string; tenant: string; expected: string }
  /** The platform did not say who signed in. */
  | { kind: 'unknown' }
  /** The provider never says who signed in (no id token for this client): nothing to compare; the IMAP login will. */
  | { kind: 'unverifiable' };

export function decideIdentity(p: Pick<Provider, 'loginIsSignInName' | 'identifiesUser'>, want: IdentityExpectation, got: SignedInIdentity): IdentityOutcome {
  const user = got.user?.trim();
  if (!user) return p.identifiesUser === false ? { kind: 'unverifiable' } : { kind: 'unknown' };
  if (want.tenant && got.tenant && want.tenant.toLowerCase() !== got.tenant.toLowerCase()) {
    return { kind: 'other-tenant', signedIn: user, tenant: got.tenant, expected: want.tenant };
  }
  const same = (a?: string) => a !== undefined && a.toLowerCase() === user.toLowerCase();
  if (same(want.asked)) return { kind: 'same' };
  const loginUser = p.loginIsSignInName && !want.shared ? user : want.asked;
  if (same(want.expectUser)) return { kind: 'expected', loginUser };
  if (p.loginIsSignInName && !want.shared) return { kind: 'use-sign-in-name', loginUser: user };
  return { kind: 'other-user', signedIn: user };
}
