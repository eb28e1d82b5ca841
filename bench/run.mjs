// `npm run bench`: bundle bench/main.ts (which reuses the test fixtures) with esbuild, then run it.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const out = join(mkdtempSync(join(tmpdir(), 'mailoauth-bench-')), 'main.mjs');
await build({
  entryPoints: [new URL('./main.ts', import.meta.url).pathname],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  define: { 'import.meta.dirname': JSON.stringify(new URL('.', import.meta.url).pathname) },
});
await import(pathToFileURL(out).href);
