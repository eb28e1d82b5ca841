import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Templates stay plain files in `templates/` (shipped by package.json "files"), readable as the config
 * they produce. They are found relative to the running module: from the bundle that is dist/cli.js or a
 * dist/chunk-*.js (tsup splitting keeps chunks flat in dist/), so `../templates`; from source and
 * tests it is src/clients/*.ts, so `../../templates`. The first candidate holding a known template wins,
 * so a stray `templates` directory elsewhere can't shadow the real one.
 */
export function templatesDir(moduleUrl: string = import.meta.url,
  exists: (p: string) => boolean = existsSync): string {
  const here = dirname(fileURLToPath(moduleUrl));
  const candidates = [join(here, '..', 'templates'), join(here, '..', '..', 'templates')];
  const dir = candidates.find((d) => exists(join(d, 'mbsync.rc')));
  if (!dir) throw new Error(`mailoauth templates not found (looked in ${candidates.join(', ')}); the install is incomplete`);
  return dir;
}

const cache = new Map<string, string>();

/** A template's text. Read once per process: templates are part of the install, not user input. */
export function loadTemplate(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(join(templatesDir(), file), 'utf8');
    cache.set(file, text);
  }
  return text;
}

/**
 * Fill `{{name}}` placeholders with values the caller already quoted for the target syntax.
 * A line holding nothing but a placeholder (and indentation) whose value is empty is dropped, so optional settings
 * (e.g. mutt's certificate_file) leave no blank line. Unknown or unused placeholders are bugs.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const used = new Set<string>();
  const lines: string[] = [];
  for (const line of template.split('\n')) {
    const only = /^\s*\{\{(\w+)\}\}$/.exec(line);
    if (only && values[only[1]!] === '') {
      used.add(only[1]!);
      continue;
    }
    lines.push(line.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const v = values[key];
      if (v === undefined) throw new Error(`template placeholder {{${key}}} has no value`);
      used.add(key);
      return v;
    }));
  }
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`values given for no placeholder: ${unused.join(', ')}`);
  return lines.join('\n');
}
