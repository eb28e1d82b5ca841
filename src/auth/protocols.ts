import type { Account } from '../account.js';
import type { ProtocolId, SignInProtocol } from './protocol.js';

/** Loaded only when a sign-in runs, and only the adapter the account needs (MSAL costs ~60 ms to load). */
const PROTOCOLS: Record<ProtocolId, () => Promise<SignInProtocol>> = {
  msal: async () => (await import('./msal-protocol.js')).msalProtocol,
  oauth2: async () => (await import('./oauth2-protocol.js')).oauth2Protocol,
};

/** The adapter an account signs in with; accounts written before there was a choice are MSAL's. */
export function protocolFor(a: Pick<Account, 'auth'>): Promise<SignInProtocol> {
  return (PROTOCOLS[a.auth ?? 'msal'] ?? PROTOCOLS.msal)();
}
