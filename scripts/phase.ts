import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeText } from '../src/read/decode.js';
import { readText } from '../src/read/text.js';
import { tokenize } from '../src/extract/tokens.js';
import { extractReport } from '../src/extract/index.js';

const dir = '../shared/seeds';
const files = readdirSync(dir).map((f) => ({ f, b: new Uint8Array(readFileSync(join(dir, f))) }));
const time = (name: string, fn: () => void) => {
  const t = performance.now();
  let n = 0;
  while (performance.now() - t < 1500) {
    fn();
    n++;
  }
  console.log(name, (((performance.now() - t) / n / files.length) * 1000).toFixed(0), 'µs/report');
};
time('decode', () => files.forEach((x) => decodeText(x.b, x.f)));
const texts = files.map((x) => decodeText(x.b, x.f).text);
time('readText', () => texts.forEach((t) => readText(t, 'x')));
const docs = texts.map((t) => readText(t, 'x'));
time('tokenize', () => docs.forEach((d) => tokenize(d)));
time('extract', () => docs.forEach((d) => extractReport(d)));
