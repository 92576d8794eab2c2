import { writeFileSync } from 'node:fs';
import { sampleReport2019, sampleReport2021 } from '../test/helpers/arbitrary.js';
import { toGluedText, toText } from '../test/helpers/variants.js';

const r = process.argv[2] === '2019' ? sampleReport2019() : sampleReport2021();
const kind = process.argv[3] ?? 'tabs';
const out = kind === 'glued' ? toGluedText(r) : toText(r, kind as 'tabs' | 'cell-per-line');
writeFileSync(process.argv[4], out);
writeFileSync(process.argv[4] + '.expected.json', JSON.stringify(r, null, 1));
