import { readFileSync } from 'node:fs';
import { extractReport } from '../src/extract/index.js';
import { readText } from '../src/read/text.js';

const f = process.argv[2];
const r = extractReport(readText(readFileSync(f, 'utf8'), f));
const line = (o: Record<string, unknown>) =>
  Object.values(o)
    .map((v) => (v === null ? '·' : String(v)))
    .join(' ');
console.log(r.format, r.agency, r.year, r.publishedOn, JSON.stringify(r.template));
for (const k of ['overview', 'problems', 'other'] as const)
  console.log(k, JSON.stringify(r.sections[k]?.slice(0, 30)), r.sections[k]?.length);
for (const [k, v] of Object.entries(r.proactive)) console.log('A', k, line(v as Record<string, unknown>));
for (const [k, v] of Object.entries(r.applications)) console.log('B', k, line(v));
for (const [k, v] of Object.entries(r.reviewLitigation)) console.log('C', k, line(v as unknown as Record<string, unknown>));
console.log('labels', JSON.stringify(r.labels?.map((l) => [l.path, l.published, l.expected])));
if (r.ambiguities) console.log('amb', JSON.stringify(r.ambiguities));
