/**
 * Driver for bench/instructions.sh: parses every file of the given folders N times
 * with the compiled build (dist/). Run under callgrind by the shell script.
 * Usage: node bench/instructions.mjs N DIR…
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseBytes } from '../dist/parse.js';

const [n, ...dirs] = process.argv.slice(2);
const files = [];
for (const d of dirs)
  for (const f of readdirSync(d).sort()) {
    const p = join(d, f);
    if (statSync(p).isFile()) files.push({ name: p, bytes: new Uint8Array(readFileSync(p)) });
  }
for (let i = 0; i < Number(n); i++) for (const f of files) await parseBytes(f.bytes, f.name);
