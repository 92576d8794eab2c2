import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readText } from '../src/read/text.js';
import { extractReport } from '../src/extract/index.js';
const dir = '../shared/seeds';
const docs = readdirSync(dir).map((f) => readText(readFileSync(join(dir, f), 'utf8'), f));
const t = performance.now();
while (performance.now() - t < 4000) docs.forEach((d) => extractReport(d));
