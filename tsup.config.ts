import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

const require = createRequire(import.meta.url);

/**
 * CommonJS for the CLI. Measured on the `token` cache hit (bench/): Node's ESM loader costs 30-40 ms
 * more than CommonJS, and an ESM bundle must hoist every external import to the top. A dependency is
 * required only when the code that needs it runs: MSAL, inquirer, imapflow, nodemailer,
 * proper-lockfile and commander stay unloaded on a cache hit.
 *
 * import.meta.url (templates, MSAL's path) becomes a file URL built by pathToFileURL in the banner, on
 * first use only (a getter: node:url is not loaded on every start). tsup's own shim
 * (`new URL("file:" + __filename)`) breaks for an install path holding `#`, `?` or `%` (`#` starts a
 * fragment), and an npm prefix like "~/tools #2" is legal.
 */
export const shared = {
  format: ['cjs'],
  target: 'node20',
  platform: 'node',
  shims: false,
  define: { 'import.meta.url': '__mailoauthModule.url' },
  sourcemap: false,
  banner: {
    js: '#!/usr/bin/env node\n"use strict";\nconst __mailoauthModule = { get url() { return require("node:url").pathToFileURL(__filename).href; } };',
  },
} satisfies Options;

/**
 * The token path, one file each, no chunks. cli.cjs is the entry and the runtime-cache hit of
 * `token` (a hit parses 17 KB and loads no D-Bus, keyring, gpg or lock code; bench: issue 14);
 * token.cjs, which main.ts requires, the rest of the token path (stores, refresh, alerts); msal.cjs
 * MSAL's single-file CommonJS build with `jsonwebtoken` (only used to sign a confidential client's
 * assertion) replaced by a stub: a refresh loads it in ~55 ms instead of ~110.
 */
export const tokenPathBuild = {
  ...shared,
  entry: { cli: 'src/main.ts', token: 'src/token/main.ts', msal: 'src/auth/msal-bundle.ts' },
  noExternal: ['@azure/msal-node'],
  esbuildPlugins: [{
    name: 'token-path',
    setup(build) {
      build.onResolve({ filter: /^@azure\/msal-node$/ }, () => ({ path: require.resolve('@azure/msal-node') }));
      build.onResolve({ filter: /^jsonwebtoken$/ }, () => ({ path: resolve('src/auth/jsonwebtoken-stub.ts') }));
      // main.ts requires the other two bundles beside it at run time.
      build.onResolve({ filter: /^\.\/(token|commands)\.cjs$/ }, (a) => ({ path: a.path, external: true }));
    },
  }],
  splitting: false,
  // The two builds run at once: each cleans only its own files.
  clean: ['!commands.cjs', '!cmd-*.cjs'],
} satisfies Options;

/**
 * Every other command. commands.cjs is the commander wiring; the code behind each `import()` in src
 * is a chunk (cmd-*.cjs, shared modules in shared chunks, so a class like UserError exists once),
 * required when that command runs: --help does not compile setup, doctor or the client writers.
 * tsup turns esbuild's split ESM output into CommonJS, import() into require().
 * Measured with the bench (30 runs): --help 1.56× -> 1.39× node -e 0.
 */
export const commandsBuild = {
  ...shared,
  entry: { commands: 'src/cli-main.ts' },
  splitting: true,
  esbuildOptions(o) {
    o.chunkNames = 'cmd-[hash]';
  },
  clean: ['!cli.cjs', '!token.cjs', '!msal.cjs'],
} satisfies Options;

export default defineConfig([tokenPathBuild, commandsBuild]);
