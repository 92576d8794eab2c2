/**
 * Parses every file of IN with the build (dist/) and writes each Report JSON (or the error) to
 * OUTPUTS (`write`), or compares them with what is there (`compare`: prints the files that differ,
 * exits 1 when any does). See gen.ts for the inputs.
 *
 * Usage: node bench/same-output/run.mjs write|compare [IN] [OUTPUTS]
 *   ROOT=DIR: the build of DIR/dist instead of this checkout's (e.g. a build made with
 *   `npx tsc -p tsconfig.build.json --outDir DIR/dist` while the tests use this one's)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, IN = '/tmp/nianbao-same/in', OUT = '/tmp/nianbao-same/out'] = process.argv.slice(2);
if (mode !== 'write' && mode !== 'compare') {
  console.error('usage: node bench/same-output/run.mjs write|compare [IN] [OUTPUTS]');
  process.exit(2);
}
const { parseBytes } = await import(
  pathToFileURL(resolve(process.env.ROOT ?? resolve(import.meta.dirname, '../..'), 'dist/parse.js')).href
);
mkdirSync(OUT, { recursive: true });
let differ = 0;
let same = 0;
for (const f of readdirSync(IN).sort()) {
  let out;
  try {
    out = JSON.stringify(await parseBytes(new Uint8Array(readFileSync(join(IN, f))), f), null, 1);
  } catch (e) {
    out = `ERROR ${e?.code ?? ''} ${e?.message ?? String(e)}`;
  }
  const p = join(OUT, `${f}.json`);
  if (mode === 'write') writeFileSync(p, out);
  else if ((existsSync(p) ? readFileSync(p, 'utf8') : null) === out) same++;
  else {
    differ++;
    console.log(`differs: ${f}`);
  }
}
if (mode === 'compare') console.log(`${same} the same, ${differ} different`);
process.exit(differ > 0 ? 1 : 0);
