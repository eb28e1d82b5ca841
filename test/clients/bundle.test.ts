import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Options } from 'tsup';
import tsupConfig from '../../tsup.config.js';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Templates are files found relative to the running module. Bundle the clients with tsup.config.ts's
 * own settings (one CommonJS file with the import.meta.url shim) into a throwaway package with
 * `templates/` next to `dist/`, and run it: the bundled code must find and render them.
 */
const root = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'mailoauth-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('templates after bundling', () => {
  it('the dist bundle finds ../templates and renders', async () => {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, [
      `import { CLIENTS } from ${JSON.stringify(join(root, 'src/clients/index.js'))};`,
      'const a = { name: "w", email: "a@b.c", imap: { host: "h", port: 993, tls: "implicit" }, smtp: { host: "h", port: 587, tls: "starttls" } };',
      `import(${JSON.stringify(join(root, 'src/clients/templates.js'))}).then(({ templatesDir }) =>`,
      '  console.log(JSON.stringify({ dir: templatesDir(), block: CLIENTS.mbsync.render(a, { bin: "/x/mailoauth" }) })));',
    ].join('\n'));
    const pkg = join(dir, 'pkg');
    const { format, splitting, shims, platform, target } = tsupConfig as Options;
    await build({ entry: { cli: entry }, outDir: join(pkg, 'dist'), format, splitting, shims, platform, target, silent: true, config: false });
    cpSync(join(root, 'templates'), join(pkg, 'templates'), { recursive: true });
    const out = JSON.parse(execFileSync(process.execPath, [join(pkg, 'dist', 'cli.cjs')], { encoding: 'utf8' }));
    expect(out.dir).toBe(join(pkg, 'templates'));
    expect(out.block).toContain('PassCmd "/x/mailoauth token w"');
  });
});
