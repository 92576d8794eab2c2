import { readFileSync, writeFileSync } from 'node:fs';
import { readDocument } from '../src/read/index.js';
import { sampleReport2019, sampleReport2021 } from '../test/helpers/arbitrary.js';
import { toXlsx } from '../test/helpers/variants.js';

const arg = process.argv[2];
const bytes = arg === 'xlsx' ? await toXlsx(sampleReport2021()) : new Uint8Array(readFileSync(arg));
if (arg === 'xlsx') writeFileSync('/tmp/x.xlsx', bytes);
const doc = await readDocument(bytes, arg === 'xlsx' ? 'x.xlsx' : arg);
for (const b of doc.blocks) {
  if (b.type === 'paragraph') console.log('P', JSON.stringify(b.text.slice(0, 60)));
  else for (const r of b.rows) console.log('R', r.map((c) => JSON.stringify(c.text) + (c.colspan ? `/c${c.colspan}` : '') + (c.rowspan ? `/r${c.rowspan}` : '')).join(' | '));
}
void sampleReport2019;
