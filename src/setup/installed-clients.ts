import { CLIENT_IDS, CLIENTS } from '../clients/index.js';
import { isInstalled } from '../clients/prerequisites.js';
import { systemProbe } from '../clients/system-probe.js';

/**
 * The mail programs installed here, which the wizard's plan preselects. mutt only when neomutt is
 * not (they usually share ~/.muttrc, and neomutt reads mutt's settings).
 */
export function installedClients(env: NodeJS.ProcessEnv): string[] {
  const probe = systemProbe(env);
  // Installed means the program and its essential parts (git alone is no git send-email).
  const found = CLIENT_IDS.filter((c) => isInstalled(CLIENTS[c].prerequisites(), probe));
  return found.filter((c) => !(c === 'mutt' && found.includes('neomutt')));
}
