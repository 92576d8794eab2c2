/**
 * The source view beside the tables of a PDF (src/server/pipeline.ts): every value of the report
 * traced to a page position (its provenance) is found among the source lines through
 * `source.positions`, so that the browser can mark the cell itself, not only its page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Provenance } from '../src/model/provenance.js';
import { readInput, type SourcePosition } from '../src/server/pipeline.js';

const DEMO = join(import.meta.dirname, '../examples/demo');

/** the text of `pos` among the lines: from its line and column, `length` characters, a line break counting one */
function spanOf(lines: string[], pos: SourcePosition): string {
  let out = '';
  let left = pos.length;
  let line = pos.line;
  let col = pos.column;
  while (left > 0 && line <= lines.length) {
    const seg = lines[line - 1].slice(col - 1, col - 1 + left);
    out += seg;
    left -= seg.length;
    if (left > 0) {
      out += '\n';
      left--;
    }
    line++;
    col = 1;
  }
  return out;
}

describe('source positions of a PDF', () => {
  for (const file of ['huaian-hongze-2023.pdf', 'huaian-city-2024.pdf']) {
    it(`${file}: every value with a page position is found on its line`, async () => {
      const input = await readInput(new Uint8Array(readFileSync(join(DEMO, file))), file);
      const source = input.source;
      expect(source?.kind).toBe('pdf');
      const positions = source?.positions ?? [];
      expect(positions.length).toBeGreaterThan(0);
      const origins = Object.entries(input.report.provenance ?? {}).filter(([, o]) => o.prov.kind === 'pdf');
      expect(origins.length).toBeGreaterThan(50);
      for (const [path, o] of origins) {
        const p = o.prov as Extract<Provenance, { kind: 'pdf' }>;
        const pos = positions.find((q) => q.page === p.page && q.x === p.x && q.y === p.y);
        expect(pos, `${path} (page ${p.page}, ${p.x}, ${p.y})`).toBeDefined();
        if (!pos) continue;
        // the line is on the right page: the last page header before it names the page
        const header = source!.lines
          .slice(0, pos.line)
          .reverse()
          .find((l) => /^第\d+页$/.test(l));
        expect(header, path).toBe(`第${p.page}页`);
        if (o.raw !== '') expect(spanOf(source!.lines, pos), path).toContain(o.raw);
      }
    });
  }

  it('text, DOCX and JSON sources carry no positions', async () => {
    const text = readFileSync(join(DEMO, '004_65c3f6a324d2e98b.txt'));
    const input = await readInput(new Uint8Array(text), 'a.txt');
    expect(input.source?.positions).toBeUndefined();
  });
});
