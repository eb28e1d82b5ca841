import { defineConfig } from 'tsup';

/**
 * One CommonJS file for the CLI. Measured on the `token` cache hit (bench/): Node's ESM loader costs
 * 30-40 ms more than this bundle, and an ESM bundle must hoist every external import to the top.
 * Here our own modules are lazily initialised where src uses import(), and a dependency is required
 * only when the code that needs it runs: MSAL, inquirer, imapflow, nodemailer, proper-lockfile and
 * commander stay unloaded on a cache hit. `shims` provides import.meta.url (templates, createRequire).
 */
export default defineConfig({
  entry: { cli: 'src/main.ts' },
  format: ['cjs'],
  target: 'node20',
  platform: 'node',
  splitting: false,
  shims: true,
  clean: true,
  sourcemap: false,
  banner: { js: '#!/usr/bin/env node' },
});
