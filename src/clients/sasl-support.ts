import type { Account } from '../account.js';
import { mechanismOf, SASL_NAME, type SaslMechanism, type SaslProtocol } from '../auth/sasl.js';
import { ExitCode, UserError } from '../errors.js';
import { CLIENT_IDS, type Client, type ClientId } from './client.js';
import { CLIENTS } from './index.js';

/**
 * Whether a program can log in the way the account's servers need: each client declares what it
 * speaks (Client.speaks); the account records what each server needs (Account.sasl). A block for a
 * program that cannot is never written — it would fail at its first login.
 */

/** One server the program cannot log in to: the mechanism it needs, and what the program speaks. */
export interface SaslGap {
  protocol: SaslProtocol;
  needs: SaslMechanism;
  speaks: readonly SaslMechanism[];
}

const LABEL: Record<SaslProtocol, string> = { imap: 'IMAP', smtp: 'SMTP' };
const names = (ms: readonly SaslMechanism[]) => ms.map((m) => SASL_NAME[m]).join(' and ');

/** The servers of `account` that `client`'s block would log in to, and cannot. */
export function saslGaps(client: Pick<Client, 'speaks'>, account: Pick<Account, 'sasl'>): SaslGap[] {
  return (Object.entries(client.speaks) as Array<[SaslProtocol, readonly SaslMechanism[]]>).flatMap(([protocol, speaks]) => {
    const needs = mechanismOf(account, protocol);
    return speaks.includes(needs) ? [] : [{ protocol, needs, speaks }];
  });
}

/** The programs that could log in where `gaps` say this one cannot: each speaks every needed mechanism to that server. */
export function programsThatCan(gaps: readonly SaslGap[]): ClientId[] {
  return CLIENT_IDS.filter((id) => gaps.every((g) => CLIENTS[id].speaks[g.protocol]?.includes(g.needs)));
}

/**
 * The refusal for a program that cannot log in to the account's servers, or undefined when it can.
 * It names the program, what each server needs, and the programs that can.
 */
export function saslRefusal(client: ClientId, account: Pick<Account, 'name' | 'sasl' | 'imap' | 'smtp'>): UserError | undefined {
  const gaps = saslGaps(CLIENTS[client], account);
  if (gaps.length === 0) return undefined;
  const why = gaps.map((g) => `${account.name}'s ${LABEL[g.protocol]} server (${account[g.protocol].host}:${account[g.protocol].port}) needs ${SASL_NAME[g.needs]}, ` +
    `and ${client} speaks only ${names(g.speaks)} to ${LABEL[g.protocol]} servers`).join('; ');
  const can = programsThatCan(gaps);
  return new UserError(ExitCode.Usage, `${client} cannot log in: ${why}. No ${client} block was written.`,
    can.length
      ? `Programs that can: ${can.join(', ')} — e.g. mailoauth config ${account.name} --client ${can[0]} --write`
      : `No program mailoauth writes for speaks ${gaps.map((g) => `${SASL_NAME[g.needs]} to ${LABEL[g.protocol]}`).join(' and ')}`);
}
