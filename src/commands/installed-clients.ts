import { CLIENT_IDS, CLIENTS } from '../clients/index.js';
import { systemProbe } from '../clients/system-probe.js';

/**
 * The mail programs installed here, which the wizard's plan preselects. mutt only when neomutt is
 * not (they usually share ~/.muttrc, and neomutt reads mutt's settings).
 */
export function installedClients(env: NodeJS.ProcessEnv): string[] {
  const probe = systemProbe(env);
  const found = CLIENT_IDS.filter((c) => {
    const p = CLIENTS[c].prerequisites();
    return probe.run(p.program, p.versionArgs) !== null;
  });
  return found.filter((c) => !(c === 'mutt' && found.includes('neomutt')));
}
