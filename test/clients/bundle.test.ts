import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Options } from 'tsup';
import { commandsBuild } from '../../tsup.config.js';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Templates are files found relative to the running module. Bundle the clients with the settings of
 * tsup.config.ts's commands build (CommonJS chunks; import.meta.url from the banner's pathToFileURL) into a throwaway package with
 * `templates/` next to `dist/`, and run it: the bundled code must find and render them.
 */
const root = resolve(import.meta.dirname, '..', '..');
// A directory name with '#' and '%': both break a URL built by string concatenation.
const dir = mkdtempSync(join(tmpdir(), 'mailoauth-bundle #1 100%-'));
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
    await build({ ...(commandsBuild as Options), entry: { cli: entry }, outDir: join(pkg, 'dist'), clean: false, silent: true, config: false });
    cpSync(join(root, 'templates'), join(pkg, 'templates'), { recursive: true });
    const out = JSON.parse(execFileSync(process.execPath, [join(pkg, 'dist', 'cli.cjs')], { encoding: 'utf8' }));
    expect(out.dir).toBe(join(pkg, 'templates'));
    expect(out.block).toContain('PassCmd "/x/mailoauth token w"');
  });
});
