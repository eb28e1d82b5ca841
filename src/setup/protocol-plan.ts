import type { Account, OAuth2Endpoints } from '../account.js';
import type { CloudId } from '../providers/clouds.js';
import type { Detection } from '../providers/detect.js';
import type { Provider } from '../providers/table.js';
import type { SetupOptions } from './options.js';

/** What a planner is given: the flags, the provider row (as it is in the chosen cloud) and what was there before. */
export interface ProtocolPlanInput {
  o: SetupOptions;
  /** The provider row as listed. */
  provider: Provider;
  /** The same row in the chosen cloud (hosts, authority host, scope resource replaced). */
  row: Provider;
  cloud: CloudId;
  /** The stored account on --reauth (undefined when it moves to another provider or cloud). */
  existing?: Account;
  /** What detection found for this provider. */
  detected?: Detection;
  /** The client id was named (flag, or the stored account), not defaulted. */
  chosenClient: boolean;
}

/** A protocol's decisions, as the account stores them. */
export interface ProtocolPlan {
  clientId: string;
  tenant: string;
  authority: string;
  scopes: string[];
  /** OAuth2 accounts: their endpoints (discovered later when only an issuer is known). */
  oauth2?: OAuth2Endpoints;
}

/** Step 1 of the protocol seam (src/auth/protocol.ts): pure; a bad flag is a usage error here. */
export type ProtocolPlanner = (x: ProtocolPlanInput) => ProtocolPlan;
