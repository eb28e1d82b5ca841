import { parseArgs } from 'node:util';

/**
 * A well-formed `token` call, parsed with Node's built-in parser (no commander on the hot path);
 * undefined for anything else, which then goes to the commander wiring.
 */
export function tokenInvocation(argv: string[]): { name: string; xoauth2: boolean; json: boolean; debug: boolean } | undefined {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { xoauth2: { type: 'boolean' }, json: { type: 'boolean' }, debug: { type: 'boolean' } },
    });
    if (positionals.length !== 2 || positionals[0] !== 'token' || (values.xoauth2 && values.json)) return undefined;
    return { name: positionals[1]!, xoauth2: Boolean(values.xoauth2), json: Boolean(values.json), debug: Boolean(values.debug) };
  } catch {
    return undefined;
  }
}

