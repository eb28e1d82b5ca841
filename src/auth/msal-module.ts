import { createRequire } from 'node:module';

/**
 * @azure/msal-node through its single-file CommonJS build: its ESM build pulls in ~50 files of its
 * own plus msal-common's, which takes about twice as long to load on the refresh path.
 */
export const msalNode = createRequire(import.meta.url)('@azure/msal-node') as typeof import('@azure/msal-node');
