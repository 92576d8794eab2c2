/**
 * Word's automatic numbering: a heading typed as 总体情况 in a list numbered "%1、" in Chinese
 * counting shows as 一、总体情况, and is read so — whether the paragraph carries the list itself
 * (w:numPr) or through its style (Heading 1 numbered in styles.xml). Without the labels the
 * sections of such a report were not found at all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { readDocx } from '../src/read/docx.js';
import { formatNumber, NumberingCounter, readNumbering } from '../src/read/docx-numbering.js';
import { renderDocx } from '../src/render/docx.js';

const example = readFileSync(join(import.meta.dirname, '..', 'examples', 'muluan-2023.txt'));

/**
 * The example rendered to DOCX, its six section headings stripped of their typed numerals and
 * numbered by a list of Word's instead: on each heading (`direct`) or on the Heading 1 style (`style`)
 */
async function numberedDocx(mode: 'direct' | 'style', fmt = 'chineseCounting', lvlText = '%1、'): Promise<Uint8Array> {
  const files = unzipSync(await renderDocx(await parseBytes(example, 'muluan-2023.txt')));
  let doc = strFromU8(files['word/document.xml']);
  let headings = 0;
  const numPr = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>';
  doc = doc.replace(/<w:p><w:pPr><w:pStyle w:val="Heading1"\/><\/w:pPr><w:r><w:t xml:space="preserve">[一二三四五六]、/g, () => {
    headings++;
    return `<w:p><w:pPr><w:pStyle w:val="Heading1"/>${mode === 'direct' ? numPr : ''}</w:pPr><w:r><w:t xml:space="preserve">`;
  });
  expect(headings, 'the six headings of the rendered report').toBe(6);
  files['word/document.xml'] = strToU8(doc);
  const list =
    `<w:abstractNum w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>` +
    `<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${lvlText}"/><w:suff w:val="nothing"/></w:lvl>` +
    `<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>`;
  const numbering = strFromU8(files['word/numbering.xml'])
    .replace('<w:abstractNum ', `${list}<w:abstractNum `)
    .replace('</w:numbering>', '<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num></w:numbering>');
  expect(numbering).toContain('w:numId="90"');
  files['word/numbering.xml'] = strToU8(numbering);
  if (mode === 'style') {
    const styles = strFromU8(files['word/styles.xml']);
    const numbered = styles.replace(/(<w:style w:type="paragraph" w:styleId="Heading1">[\s\S]*?<w:pPr>)/, `$1${numPr}`);
    expect(numbered).not.toBe(styles);
    files['word/styles.xml'] = strToU8(numbered);
  }
  return zipSync(files);
}

describe("Word's automatic numbering", () => {
  for (const mode of ['direct', 'style'] as const) {
    it(`headings numbered by a list (${mode === 'direct' ? 'on the paragraph' : 'through their style'}) are found with their numerals`, async () => {
      const base = await parseBytes(await renderDocx(await parseBytes(example, 'muluan-2023.txt')), 'plain.docx');
      const bytes = await numberedDocx(mode);
      const doc = readDocx(bytes, 'numbered.docx');
      const paragraphs = doc.blocks.filter((b) => b.type === 'paragraph').map((b) => (b.type === 'paragraph' ? b.text : ''));
      expect(paragraphs).toContain('一、总体情况');
      expect(paragraphs).toContain('六、其他需要报告的事项');
      const r = await parseBytes(bytes, 'numbered.docx');
      expect(r.template?.sectionsFound).toHaveLength(6);
      expect(r.sections).toEqual(base.sections);
      expect(r.agency).toBe(base.agency);
      expect({ p: r.proactive, a: r.applications, c: r.reviewLitigation }).toEqual({
        p: base.proactive,
        a: base.applications,
        c: base.reviewLitigation,
      });
    });
  }

  it('a list in Arabic numerals with a dot, and one with no number (bullets), label as Word shows them', async () => {
    const doc = readDocx(await numberedDocx('direct', 'decimal', '%1.'), 'decimal.docx');
    const texts = doc.blocks.filter((b) => b.type === 'paragraph').map((b) => (b.type === 'paragraph' ? b.text : ''));
    expect(texts).toContain('1.总体情况');
    expect(texts).toContain('6.其他需要报告的事项');
    const bullets = readDocx(await numberedDocx('direct', 'bullet', '●'), 'bullets.docx');
    const plain = bullets.blocks.filter((b) => b.type === 'paragraph').map((b) => (b.type === 'paragraph' ? b.text : ''));
    expect(plain).toContain('总体情况');
  });
});

describe('number formats', () => {
  it('writes numbers as Word does', () => {
    const cases: [number, string, string | null][] = [
      [1, 'chineseCounting', '一'],
      [10, 'chineseCounting', '十'],
      [11, 'chineseCounting', '十一'],
      [20, 'chineseCounting', '二十'],
      [105, 'chineseCountingThousand', '一百零五'],
      [3, 'chineseLegalSimplified', '叁'],
      [2, 'ideographTraditional', '乙'],
      [3, 'decimalEnclosedCircle', '③'],
      [12, 'decimalFullWidth', '１２'],
      [4, 'upperRoman', 'IV'],
      [9, 'lowerRoman', 'ix'],
      [27, 'upperLetter', 'AA'],
      [7, 'decimal', '7'],
      [2024, 'ideographDigital', '二〇二四'],
      [1, 'bullet', null],
      [1, 'none', null],
    ];
    for (const [n, fmt, out] of cases) expect(formatNumber(n, fmt), `${n} ${fmt}`).toBe(out);
  });
});

describe('the counters of a list', () => {
  const numbering = `<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:abstractNum w:abstractNumId="0">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
      <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:suff w:val="nothing"/></w:lvl>
    </w:abstractNum>
    <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
    <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
  </w:numbering>`;
  const styles = `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:style w:type="paragraph" w:styleId="Sub"><w:basedOn w:val="Numbered"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
    <w:style w:type="paragraph" w:styleId="Numbered"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
    <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
  </w:styles>`;

  it('go on through the levels and start the deeper levels again', () => {
    const defs = readNumbering(numbering, styles);
    expect(defs).not.toBeNull();
    const c = new NumberingCounter(defs!);
    const seq = [
      [0, '一、'],
      [1, '（一）'],
      [1, '（二）'],
      [2, '1.'],
      [2, '2.'],
      [1, '（三）'],
      [2, '1.'],
      [0, '二、'],
      [1, '（一）'],
    ] as const;
    for (const [lvl, label] of seq) expect(c.next('1', lvl)).toBe(label);
  });

  it('a list instance with a start of its own restarts there; numbering 0 and unknown lists give nothing', () => {
    const c = new NumberingCounter(readNumbering(numbering, null)!);
    expect(c.next('1', 0)).toBe('一、');
    expect(c.next('2', 0)).toBe('五、');
    expect(c.next('2', 0)).toBe('六、');
    expect(c.resolve('0', 0, undefined)).toBeNull();
    expect(c.next('77', 0)).toBe('');
  });

  it("a paragraph takes its style's list and level (through w:basedOn), its own numbering first; a style that is its own base ends", () => {
    const c = new NumberingCounter(readNumbering(numbering, styles)!);
    expect(c.resolve(undefined, undefined, 'Numbered')).toEqual({ numId: '1', ilvl: 0 });
    expect(c.resolve(undefined, undefined, 'Sub')).toEqual({ numId: '1', ilvl: 1 });
    expect(c.resolve('2', 0, 'Sub')).toEqual({ numId: '2', ilvl: 0 });
    expect(c.resolve(undefined, undefined, 'Loop')).toBeNull();
  });

  it('a damaged numbering part gives no numbering, not an error', () => {
    expect(readNumbering('<w:numbering><w:num w:numId="1">', null)).toBeNull();
    expect(readNumbering(null, null)).toBeNull();
  });
});
