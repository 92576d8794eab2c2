/**
 * Golden files for the PDF output of the seeds: the text our reader finds on
 * each page (paragraphs, and table rows with their cells), so a change in the
 * layout shows up as a readable diff. UPDATE_GOLDEN=1 rewrites them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parse.js';
import { readPdf } from '../src/read/pdf.js';
import { renderPdf } from '../src/render/pdf.js';
import { SEEDS, seedFiles } from './helpers/paths.js';

const GOLDEN = resolve(import.meta.dirname, 'golden');

async function dump(pdf: Uint8Array): Promise<string> {
  const doc = await readPdf(pdf, 'r.pdf');
  const out: string[] = [];
  let page = 0;
  const pageOf = (p: { kind: string; page?: number }) => (p.kind === 'pdf' ? (p.page ?? 0) : 0);
  for (const b of doc.blocks) {
    const p = pageOf(b.type === 'paragraph' ? b.prov : (b.rows[0]?.[0]?.prov ?? b.prov));
    if (p !== page) {
      page = p;
      out.push(`--- page ${page}`);
    }
    if (b.type === 'paragraph') out.push(b.text);
    else for (const row of b.rows) out.push(`| ${row.map((c) => c.text.replace(/\n/g, '⏎')).join(' | ')} |`);
  }
  return `${out.join('\n')}\n`;
}

describe('PDF goldens for the seeds', () => {
  for (const f of seedFiles()) {
    it(f, async () => {
      const report = await parseFile(join(SEEDS, f));
      const text = await dump(await renderPdf(report));
      const file = join(GOLDEN, f.replace(/\.txt$/, '.pdf.txt'));
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
      else
        expect(existsSync(file), `missing golden file ${file}: run UPDATE_GOLDEN=1 npx vitest run test/render-pdf-golden.test.ts`).toBe(
          true,
        );
      expect(text).toBe(readFileSync(file, 'utf8'));
    }, 60_000);
  }
});
