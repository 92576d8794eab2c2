import { readFileSync } from 'node:fs';
import { parseBytes, parseFile } from '../src/parse.js';
import { sampleReport2019, sampleReport2021 } from '../test/helpers/arbitrary.js';
import { toDocx, toHtml, toMarkdown, toXlsx } from '../test/helpers/variants.js';

const enc = new TextEncoder();
const diff = (a: unknown, b: unknown, p = ''): string[] => {
  if (typeof a === 'object' && a && typeof b === 'object' && b) {
    return Object.keys(a).flatMap((k) => diff((a as never)[k], (b as never)?.[k], `${p}.${k}`));
  }
  return a === b ? [] : [`${p}: want ${a} got ${b}`];
};
for (const [name, r] of [['2021', sampleReport2021()], ['2019', sampleReport2019()]] as const) {
  const variants: [string, Uint8Array, string][] = [
    ['html', enc.encode(toHtml(r, { chrome: true, brInLabels: true })), 'x.html'],
    ['html-nbsp', enc.encode(toHtml(r, { blankMark: '&nbsp;' })), 'x.html'],
    ['md', enc.encode(toMarkdown(r)), 'x.md'],
    ['docx', await toDocx(r), 'x.docx'],
    ['xlsx', await toXlsx(r), 'x.xlsx'],
  ];
  for (const [k, bytes, file] of variants) {
    try {
      const got = await parseBytes(bytes, file);
      const d = [...diff(r.proactive, got.proactive, 'A'), ...diff(r.applications, got.applications, 'B'), ...diff(r.reviewLitigation, got.reviewLitigation, 'C')];
      const meta = diff({ agency: r.agency, year: r.year, publishedOn: r.publishedOn, format: r.format }, got);
      console.log(name, k, d.length === 0 ? 'OK' : `${d.length} diffs: ${d.slice(0, 4).join('; ')}`, meta.join('; '), 'sections', Object.values(got.sections).map((x) => x?.length ?? null).join('/'));
    } catch (e) {
      console.log(name, k, 'ERROR', (e as Error).message);
    }
  }
}
for (const f of process.argv.slice(2)) {
  try {
    const got = await parseFile(f);
    console.log(f, got.agency, got.year, got.publishedOn, got.format, JSON.stringify(got.applications.newReceived), JSON.stringify(got.reviewLitigation));
  } catch (e) {
    console.log(f, 'ERROR', (e as Error).message);
  }
}
