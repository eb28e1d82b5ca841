// Preloaded with --import: records every module the process loads (ESM and CommonJS) into
// $MODULE_LOG, to show what the token fast path pulls in.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const file = process.env.MODULE_LOG;
const seen = new Set();
const note = (id) => {
  if (!file || seen.has(id)) return;
  seen.add(id);
  appendFileSync(file, `${id}\n`);
};
register('data:text/javascript,' + encodeURIComponent(`
  import { appendFileSync } from 'node:fs';
  export async function load(url, context, next) {
    if (${JSON.stringify(file ?? '')}) appendFileSync(${JSON.stringify(file ?? '')}, url + '\\n');
    return next(url, context);
  }`));
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const r = load.call(this, request, parent, isMain);
  try {
    note(Module._resolveFilename(request, parent, isMain));
  } catch {
    note(request);
  }
  return r;
};
