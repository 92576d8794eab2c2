/**
 * A long paragraph goes to pdfmake in pieces (its line layout costs the square of a paragraph's
 * length): every real paragraph stays whole, a longer one is cut after a sentence.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { PIECE, pdfDefinition, pieces } from '../src/render/pdf.js';
import { sampleReport2021 } from './helpers/arbitrary.js';

const sentence = (i: number) => `第${i}号事项已办理完毕并向社会公开。`;

describe('long paragraphs in the PDF', () => {
  it('a paragraph of up to PIECE characters is one piece; a longer one is cut after a sentence', () => {
    const short = '政'.repeat(PIECE);
    expect(pieces(short)).toEqual([short]);
    const long = Array.from({ length: 1200 }, (_, i) => sentence(i)).join('');
    const parts = pieces(long);
    expect(parts.join('')).toBe(long);
    expect(parts.length).toBeGreaterThan(long.length / PIECE);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(PIECE);
    for (const p of parts.slice(0, -1)) expect(p.endsWith('。')).toBe(true);
    // without a sentence end in reach, the cut is at PIECE
    expect(pieces('政'.repeat(2 * PIECE + 1)).map((p) => p.length)).toEqual([PIECE, PIECE, 1]);
  });

  it('the later pieces continue the paragraph without a first-line indent', () => {
    const report: Report = sampleReport2021();
    report.sections = { overview: Array.from({ length: 1200 }, (_, i) => sentence(i)).join(''), problems: '无。', other: '无。' };
    const def = pdfDefinition(report) as { content: { text?: unknown; style?: string }[] };
    const styles = def.content.filter((n) => n.style === 'body' || n.style === 'bodyContinued').map((n) => n.style);
    expect(styles.slice(0, 3)).toEqual(['body', 'bodyContinued', 'bodyContinued']);
  });
});
