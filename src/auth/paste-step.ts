import { createInterface } from 'node:readline';
import type { Deps } from '../deps.js';
import { ExitCode, UserError } from '../errors.js';

/**
 * The paste half of a sign-in, whatever the protocol: show the authorization URL, let the person sign
 * in anywhere, and read back the address the browser ended on (a page that fails to load at the
 * registered redirect); the code in it, checked against our state.
 */
export async function pasteStep(d: Deps, o: { email: string; redirectUri: string; state: string; authorizeUrl(): Promise<string> | string }): Promise<{ code: string; iss?: string }> {
  const url = await o.authorizeUrl();
  d.stderr.write(
    `Open this address in any browser and sign in as ${o.email}:\n\n  ${url}\n\n` +
      `The browser ends on a page that fails to load (${o.redirectUri}); that is expected.\n` +
      'Copy the whole address from its address bar and paste it here.\n',
  );
  return parsePastedRedirect(await readLine(d, 'Redirected address: '), o.state);
}

/** The code (and `iss`, RFC 9207) from a pasted redirect URL, after checking it answers our request (state). */
export function parsePastedRedirect(pasted: string, state: string): { code: string; iss?: string } {
  const text = pasted.trim();
  let params: URLSearchParams;
  try {
    const u = new URL(text);
    params = new URLSearchParams(u.search || u.hash.replace(/^#/, ''));
  } catch {
    throw new UserError(ExitCode.Usage, 'That is not an address (expected something like https://localhost/?code=...&state=...).', 'Run setup again and paste the full address bar contents');
  }
  const error = params.get('error');
  if (error) throw Object.assign(new Error(`${error}: ${params.get('error_description') ?? ''}`), { errorCode: error, errorMessage: params.get('error_description') ?? '' });
  if (params.get('state') !== state) {
    throw new UserError(ExitCode.Usage, 'The pasted address is from another sign-in attempt (state mismatch).', 'Run setup again and paste the address from this attempt');
  }
  const code = params.get('code');
  if (!code) throw new UserError(ExitCode.Usage, 'The pasted address has no code in it.', 'Run setup again and paste the full address bar contents');
  return { code, iss: params.get('iss') ?? undefined };
}

async function readLine(d: Deps, prompt: string): Promise<string> {
  d.stderr.write(prompt);
  const rl = createInterface({ input: d.stdin(), terminal: false });
  try {
    const line = await new Promise<string | undefined>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(undefined));
    });
    if (line === undefined) throw new UserError(ExitCode.Usage, 'Standard input closed before an address was pasted.', 'Run setup in a terminal, or use --flow device');
    return line;
  } finally {
    rl.close();
  }
}
