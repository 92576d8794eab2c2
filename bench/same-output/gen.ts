/**
 * Inputs for checking that a change to the reader leaves its output byte for byte the same: the
 * test fixtures (every kind), and 92 reports (two fixed, 90 drawn with a fixed seed) written in the
 * test layouts — tabs, one cell per line, '/' for blanks, glued digits, Markdown, HTML, GBK, and
 * the mangled Markdown of a converter (a footer, a repeated header, labels out of place …); and the
 * seeds and some of the reports in the text reader's other layouts (pipes, grids, box drawing, CSV,
 * CR and CRLF line ends, indentation).
 *
 * Usage: npx tsx bench/same-output/gen.ts [OUT]   (default /tmp/nianbao-same/in; ~900 files)
 * Then:  node bench/same-output/run.mjs write  [IN] [OUTPUTS]   with the build before the change,
 *        node bench/same-output/run.mjs compare [IN] [OUTPUTS]  with the build after it.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { arbReport2019, arbReport2021, sampleReport2019, sampleReport2021 } from '../../test/helpers/arbitrary.js';
import { MANGLE_KINDS, mangledMarkdown } from '../../test/helpers/mangle.js';
import { textLayouts, toGbk, toGluedText, toHtml, toMarkdown, toText } from '../../test/helpers/variants.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = process.argv[2] ?? '/tmp/nianbao-same/in';
mkdirSync(OUT, { recursive: true });
const walk = (d: string): string[] =>
  readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
let n = 0;
const fixtures = join(ROOT, 'test/fixtures');
for (const p of walk(fixtures)) {
  if (/\.(ts|json|gz)$/.test(p)) continue;
  copyFileSync(p, join(OUT, `fx_${relative(fixtures, p).replace(/\//g, '__')}`));
  n++;
}
const reports = [
  sampleReport2021(),
  sampleReport2019(),
  ...fc.sample(arbReport2021(), { seed: 42, numRuns: 60 }),
  ...fc.sample(arbReport2019(), { seed: 7, numRuns: 30 }),
];
reports.forEach((r, i) => {
  const w = (name: string, s: string | Uint8Array) => {
    writeFileSync(join(OUT, `g${String(i).padStart(3, '0')}_${name}`), s);
    n++;
  };
  w('tabs.txt', toText(r, 'tabs'));
  w('cpl.txt', toText(r, 'cell-per-line'));
  w('slash.txt', toText(r, 'tabs', { blankMark: '/' }));
  w('glued.txt', toGluedText(r));
  if (i % 3 === 0) w('doc.md', toMarkdown(r));
  if (i % 3 === 1) w('page.html', toHtml(r));
  if (i % 5 === 2) w('gbk.txt', toGbk(toText(r, 'tabs')));
  MANGLE_KINDS.forEach((k, j) => {
    if ((i + j) % 4 === 0) w(`m_${k}.md`, mangledMarkdown(r, k, i * 31 + j));
  });
});
// the text layouts of the text reader: tabs as pipes (three ways), a `+---+` grid, box drawing,
// CSV (plain and quoted), counts with units, CRLF line ends — of the seeds and of every fifth report
const texts: [string, string][] = walk(join(fixtures, 'seeds'))
  .filter((p) => p.endsWith('.txt'))
  .map((p) => [p.split('/').pop() as string, readFileSync(p, 'utf8')]);
reports.forEach((r, i) => {
  if (i % 5 === 0) texts.push([`g${i}`, toText(r, i % 10 === 0 ? 'tabs' : 'cell-per-line')]);
});
for (const [name, src] of texts) {
  const layouts: Record<string, string> = {
    ...textLayouts(src),
    csv: src.replace(/\t/g, ','),
    crlf: src.replace(/\n/g, '\r\n'),
    cr: src.replace(/\n/g, '\r'),
    indented: src
      .split('\n')
      .map((l, k) => (k % 3 === 0 ? `  ${l}` : l))
      .join('\n'),
  };
  for (const [layout, text] of Object.entries(layouts)) {
    writeFileSync(join(OUT, `t_${name.replace(/\.txt$/, '')}_${layout}.txt`), text);
    n++;
  }
}
console.log(`${n} inputs in ${OUT}`);
