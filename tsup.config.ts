import { defineConfig } from 'tsup';

// One ESM bundle for the CLI. Dependencies stay external (installed with the package) and the heavy
// ones (MSAL, inquirer, imapflow, nodemailer) are reached only through dynamic import(), so the
// `token` fast path parses little more than our own code.
export default defineConfig({
  entry: { cli: 'src/main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: false,
  clean: true,
  sourcemap: false,
  banner: { js: '#!/usr/bin/env node' },
});
