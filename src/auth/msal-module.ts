import { createRequire } from 'node:module';

const req = createRequire(import.meta.url);

/**
 * MSAL. Built (dist/*.cjs), it is dist/msal.cjs: MSAL's single-file CommonJS build bundled without
 * jsonwebtoken (see src/auth/msal-bundle.ts and tsup.config.ts), half the load time of the package.
 * From source (tests importing src/), the package itself. Its ESM build pulls in ~50 files and loads
 * about twice as slowly as the CommonJS one, hence require rather than import.
 */
export const msalNode = (import.meta.url.endsWith('.cjs') ? req('./msal.cjs') : req('@azure/msal-node')) as typeof import('@azure/msal-node');
