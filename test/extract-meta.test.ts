/**
 * The title and signature of a report typed with a Chinese input method: full-width digits
 * (`２０２３年`) are the year and the date, not part of the agency's name. A web page's own title
 * and breadcrumbs before the report's title, and a printed page's header line, are not the title.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPageDate, findTitle, headingOf, parseTitle, runInHeading } from '../src/extract/meta.js';
import { parseBytes } from '../src/parse.js';
import { renderHtml } from '../src/render/index.js';

/** paragraphs (units of the token stream) with these texts */
const units = (lines: string[]) =>
  lines.map((text) => ({ text, prov: { kind: 'text' as const, line: 1, column: 1 }, block: 0, cell: false, row: -1 }));

const wide = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('full-width digits', () => {
  it('a title with ２０２３年 gives the year and an agency without it', () => {
    expect(parseTitle('某某县人民政府２０２３年政府信息公开工作年度报告')).toMatchObject({ agency: '某某县人民政府', year: 2023 });
    expect(parseTitle('某某县人民政府 ２０２３ 年度政府信息公开工作年度报告')).toMatchObject({ agency: '某某县人民政府', year: 2023 });
    expect(parseTitle('关于某某局２０２４年度政府信息公开工作报告')).toMatchObject({ agency: '某某局', year: 2024 });
  });

  it('a title in Chinese numerals, quoted in a notice, or with the year first gives the agency alone', () => {
    expect(parseTitle('某某局二〇二三年政府信息公开工作年度报告')).toMatchObject({ agency: '某某局', year: 2023 });
    expect(parseTitle('关于印发《某某区2024年政府信息公开工作年度报告》的通知')).toMatchObject({ agency: '某某区', year: 2024 });
    expect(parseTitle('2023年某某县人民政府政府信息公开工作年度报告')).toMatchObject({ agency: '某某县人民政府', year: 2023 });
    expect(parseTitle('某某局政府信息公开工作年度报告（2023年度）')).toMatchObject({ agency: '某某局', year: 2023 });
    expect(parseTitle('某某局政府信息公开工作年度报告（2023）')).toMatchObject({ agency: '某某局', year: 2023 });
    expect(parseTitle('某某局政府信息公开工作年度报告 2023')).toMatchObject({ agency: '某某局', year: 2023 });
    expect(parseTitle('某某局政府信息公开工作年度报告（修订稿）')).toMatchObject({ agency: '某某局', year: null });
  });

  it('a whole report whose title and signature date are written in Chinese numerals', async () => {
    const text = readFileSync(join(import.meta.dirname, '..', 'examples', 'muluan-2023.txt'), 'utf8');
    const title = '武陟县木栾街道办事处 2023 年政府信息公开工作年度报告';
    const formal = text.replace(title, '武陟县木栾街道办事处二〇二三年政府信息公开工作年度报告');
    const r = await parseBytes(new TextEncoder().encode(`${formal}\n\n武陟县木栾街道办事处\n二〇二四年一月二十日\n`), 'formal.txt');
    expect(r.agency).toBe('武陟县木栾街道办事处');
    expect(r.year).toBe(2023);
    expect(r.publishedOn).toBe('2024-01-20');
  });

  it('a whole report whose title and signature date are typed full width', async () => {
    const text = readFileSync(join(import.meta.dirname, '..', 'examples', 'muluan-2023.txt'), 'utf8');
    const title = '武陟县木栾街道办事处 2023 年政府信息公开工作年度报告';
    expect(text).toContain(title);
    const typed = text.replace(title, '武陟县木栾街道办事处２０２３年政府信息公开工作年度报告');
    const r = await parseBytes(new TextEncoder().encode(`${typed}\n\n武陟县木栾街道办事处\n${wide('2024年1月20日')}\n`), 'wide.txt');
    expect(r.agency).toBe('武陟县木栾街道办事处');
    expect(r.year).toBe(2023);
    expect(r.publishedOn).toBe('2024-01-20');
  });
});

describe('section headings', () => {
  it('are found however their numeral is written (full-width, circled, dotted, bracketed, after a bookmark or Markdown marks)', () => {
    const cases: [string, string | null][] = [
      ['一、总体情况', 'overview'],
      ['## 二、主动公开政府信息情况', 'proactive'],
      ['> * 三、收到和处理政府信息公开申请情况', 'applications'],
      ['（四）政府信息公开行政复议、行政诉讼情况', 'reviewLitigation'],
      ['(五)存在的主要问题及改进情况', 'problems'],
      ['第六部分 其他需要报告的事项', 'other'],
      ['１、总体情况', 'overview'],
      ['①、总体情况', 'overview'],
      ['⒈总体情况', 'overview'],
      ['㈡主动公开政府信息情况', 'proactive'],
      ['[bookmark: _Toc1]一、总体情况', 'overview'],
      ['\u3000 一、 总体情况', 'overview'],
      ['总体情况', null],
      ['行政许可情况说明', null],
      ['本机关总体情况良好', null],
      ['A、总体情况', null],
      // other wordings, after the section's own numeral written 一、 or 第一部分
      ['一、基本情况', 'overview'],
      ['二、主动公开情况', 'proactive'],
      ['三、依申请公开情况', 'applications'],
      ['四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况', 'reviewLitigation'],
      ['五、存在的主要问题和改进措施', 'problems'],
      ['六、其它需要报告的事项', 'other'],
      ['第六部分 其他事项', 'other'],
      // … but not after （二） or 2. (the parts of 一、总体情况), nor after another section's numeral, nor in a sentence
      ['（二）主动公开情况', null],
      ['2.主动公开情况', null],
      ['（三）依申请公开情况', null],
      ['三、主动公开情况', null],
      ['二、主动公开方面，本单位通过政府网站发布信息120条', null],
    ];
    for (const [text, section] of cases) expect(headingOf(text), text).toBe(section);
  });
});

describe('the title of a web page or a printed page', () => {
  const example = readFileSync(join(import.meta.dirname, '..', 'examples', 'muluan-2023.txt'));
  const TITLE = '武陟县木栾街道办事处2023年政府信息公开工作年度报告';

  /** the example as a web page (our HTML) with `title` as its <title> and `before` placed before its heading */
  async function page(title: string, before: string): Promise<Uint8Array> {
    const html = renderHtml(await parseBytes(example, 'muluan-2023.txt'));
    expect(html).toMatch(/<title>[^<]*<\/title>/);
    expect(html).toContain('<h1');
    const out = html.replace(/<title>[^<]*<\/title>/, `<title>${title}</title>`).replace('<h1', `${before}<h1`);
    return new TextEncoder().encode(out);
  }

  it("takes the report's title, not the page's own (年报, 政府信息公开, no agency) nor its breadcrumbs", async () => {
    const crumbs = '<table><tr><td><a href="/">首页</a></td><td>政府信息公开</td><td>当前位置：首页 &gt; 年度报告</td></tr></table>';
    for (const title of ['年报', '政府信息公开', '政府信息公开年度报告', '2023年政府信息公开工作年度报告']) {
      for (const before of ['', crumbs]) {
        const r = await parseBytes(await page(title, before), 'page.html');
        expect(r.agency, `<title>${title}</title>${before ? ' and breadcrumbs' : ''}`).toBe('武陟县木栾街道办事处');
        expect(r.year).toBe(2023);
      }
    }
  });

  it('a title with the agency in the page title and the report title without it keeps the agency', async () => {
    const r = await parseBytes(await page(`${TITLE}_武陟县人民政府`, ''), 'page.html');
    expect(r.agency).toBe('武陟县木栾街道办事处');
  });

  it("does not glue a printed page's header (date and time) to the agency", async () => {
    const text = example.toString('utf8');
    expect(text).toContain('武陟县木栾街道办事处 2023 年政府信息公开工作年度报告');
    const printed = `12/6/26, 11:58 PM\n\n${text}`;
    const r = await parseBytes(new TextEncoder().encode(printed), 'printed.txt');
    expect(r.agency).toBe('武陟县木栾街道办事处');
    expect(r.year).toBe(2023);
  });

  it("a document number or a page's index data before the title are not part of the agency", async () => {
    const text = example.toString('utf8');
    for (const before of ['武政办〔2024〕3号', '索引号：\t11410823/2024-00012\n发布机构：\t武陟县木栾街道办事处']) {
      const r = await parseBytes(new TextEncoder().encode(`${before}\n\n${text}`), 'numbered.txt');
      expect(r.agency, before).toBe('武陟县木栾街道办事处');
      expect(r.year, before).toBe(2023);
    }
  });

  it('after a document number, an agency of any kind is taken from the title line (气象台, 水文站, 分行, 海关)', () => {
    for (const agency of ['淮安市气象台', '淮安市水文站', '中国人民银行淮安市分行', '淮安海关']) {
      const t = findTitle(units(['淮政办发〔2024〕3号', `${agency}2023年政府信息公开工作年度报告`]), 10);
      expect(t?.agency, agency).toBe(agency);
    }
  });

  it("a title without agency, then words that are no body's name: the signature's agency is taken, not those words", async () => {
    const text = example
      .toString('utf8')
      .replace(
        '武陟县木栾街道办事处 2023 年政府信息公开工作年度报告',
        '2023年政府信息公开工作年度报告\n附件：2023年政府信息公开工作年度报告.docx',
      );
    const r = await parseBytes(
      new TextEncoder().encode(`${text.replace(/\s*$/, '')}\n\n武陟县木栾街道办事处\n2024年1月20日\n`),
      'attached.txt',
    );
    expect(r.agency).toBe('武陟县木栾街道办事处');
    expect(r.year).toBe(2023);
  });

  it('a title named 工作情况报告 is a title; a preamble is not; a page number before the title is not part of the agency', () => {
    const preamble = '根据条例规定，现将2023年度政府信息公开工作情况报告如下。';
    expect(findTitle(units(['淮安市生态环境局2023年政府信息公开工作情况报告', preamble]), 10)).toMatchObject({
      agency: '淮安市生态环境局',
      year: 2023,
    });
    expect(findTitle(units([preamble]), 10)).toMatchObject({ agency: null, year: 2023 });
    expect(findTitle(units(['- 1 -', '淮安市人民政府', '2024 年政府信息公开工作年度报告']), 10)).toMatchObject({
      agency: '淮安市人民政府',
      year: 2024,
    });
  });

  it('a title wrapped over two lines is read whole', async () => {
    const text = example
      .toString('utf8')
      .replace('武陟县木栾街道办事处 2023 年政府信息公开工作年度报告', '武陟县木栾街道办事处\n2023年政府信息公开工作年度报告');
    const r = await parseBytes(new TextEncoder().encode(text), 'wrapped.txt');
    expect(r.agency).toBe('武陟县木栾街道办事处');
    expect(r.year).toBe(2023);
  });
});

describe('the signature', () => {
  const example = readFileSync(join(import.meta.dirname, '..', 'examples', 'muluan-2023.txt'), 'utf8').replace(/\s*$/, '');
  const SIX = '2023年，本单位政府信息公开工作未发生收取信息处理费情况。无其他报告事项。';

  it('is found with its date written 2024-01-20 or 2024.1.20, and with the place of its stamp, and is not left in 六', async () => {
    expect(example.endsWith(SIX)).toBe(true);
    for (const tail of [
      '武陟县木栾街道办事处\n2024-01-20',
      '武陟县木栾街道办事处\n2024.1.20',
      '武陟县木栾街道办事处\n2024/01/20',
      '武陟县木栾街道办事处（盖章）\n2024年1月20日',
      '武陟县木栾街道办事处 2024-01-20',
    ]) {
      const r = await parseBytes(new TextEncoder().encode(`${example}\n\n${tail}\n`), 'signed.txt');
      expect(r.publishedOn, tail).toBe('2024-01-20');
      expect(r.agency, tail).toBe('武陟县木栾街道办事处');
      expect(r.sections.other, tail).toBe(SIX);
    }
  });

  it('a number that is not a date is not taken for one', async () => {
    for (const tail of ['联系电话：0391-7231-2020', '2024.13.20', '1024.1.20']) {
      const r = await parseBytes(new TextEncoder().encode(`${example}\n\n${tail}\n`), 'unsigned.txt');
      expect(r.publishedOn, tail).toBeNull();
    }
  });
});

describe('a report whose headings are worded otherwise', () => {
  it('finds every section and reads the same tables and text', async () => {
    const text = readFileSync(join(import.meta.dirname, '..', 'examples', 'muluan-2023.txt'), 'utf8');
    const base = await parseBytes(new TextEncoder().encode(text), 'muluan.txt');
    const worded = text
      .replace('二、主动公开政府信息情况', '二、主动公开情况')
      .replace('三、收到和处理政府信息公开申请情况', '三、依申请公开情况')
      .replace('四、政府信息公开行政复议、行政诉讼情况', '四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况')
      .replace('五、存在的主要问题及改进情况', '五、存在的主要问题和改进措施')
      .replace('六、其他需要报告的事项', '六、其它需要报告的事项');
    expect(worded).not.toContain('六、其他需要报告的事项');
    const r = await parseBytes(new TextEncoder().encode(worded), 'worded.txt');
    expect(r.template?.sectionsFound).toEqual(base.template?.sectionsFound);
    expect(r.template?.sectionsFound).toHaveLength(6);
    expect(r.sections).toEqual(base.sections);
    expect({ p: r.proactive, a: r.applications, c: r.reviewLitigation }).toEqual({
      p: base.proactive,
      a: base.applications,
      c: base.reviewLitigation,
    });
  });
});

describe("a web page's date of publication", () => {
  const unit = (text: string) => units([text]);
  it('is read from its information bar, with or without 发布', () => {
    const cases: [string, string | null][] = [
      ['发布时间：2024-01-20 09:30', '2024-01-20'],
      ['信息来源：区政府办 发布时间：2024-01-20 浏览次数：100', '2024-01-20'],
      ['发文日期：2024-01-20', '2024-01-20'],
      ['日期：2024-01-20 来源：本站', '2024-01-20'],
      ['【时间：2024年1月20日】', '2024-01-20'],
      // an update, or a date inside the text, is not the date of publication
      ['更新时间：2024-01-21', null],
      ['申请的截止日期：2023-12-31，逾期不予受理', null],
    ];
    for (const [text, date] of cases) expect(findPageDate(unit(text)), text).toBe(date);
  });
});

describe('a heading run into its first paragraph', () => {
  const text = readFileSync(join(import.meta.dirname, '..', 'examples', 'muluan-2023.txt'), 'utf8');
  const lines = text.split('\n');

  /** the example with the heading starting `prefix` joined to the next paragraph by `sep` */
  function runIn(prefix: string, sep: string): string {
    const i = lines.findIndex((l) => l.startsWith(prefix));
    const next = lines.findIndex((l, k) => k > i && l.trim() !== '');
    expect(i).toBeGreaterThanOrEqual(0);
    return [...lines.slice(0, i), `${lines[i]}${sep}${lines[next]}`, ...lines.slice(next + 1)].join('\n');
  }

  it('is found, and its text belongs to its section (一, 五 and 六, with ：, 。 or a space)', async () => {
    const base = await parseBytes(new TextEncoder().encode(text), 'muluan.txt');
    for (const [prefix, sep] of [
      ['一、总体情况', '　'],
      ['五、存在的主要问题及改进情况', '：'],
      ['六、其他需要报告的事项', '。'],
    ]) {
      const r = await parseBytes(new TextEncoder().encode(runIn(prefix, sep)), 'run-in.txt');
      expect(r.template?.sectionsFound, prefix).toEqual(base.template?.sectionsFound);
      expect(r.sections, prefix).toEqual(base.sections);
    }
  });

  it('is told from a sentence and from the numbered parts of a section', () => {
    expect(runInHeading('六、其他需要报告的事项：本年度未收取信息处理费。')).toEqual({ section: 'other', body: 12 });
    expect(runInHeading('六、其他需要报告：本年度未收取信息处理费。')).toMatchObject({ section: 'other' });
    expect(runInHeading('四、政府信息公开行政复议、行政诉讼情况 本年度无。')).toMatchObject({ section: 'reviewLitigation' });
    expect(runInHeading('第五部分 存在的主要问题及改进情况：一是……')).toMatchObject({ section: 'problems' });
    // a bold heading run into its text, nothing between: the whole of a long official wording
    expect(runInHeading('六、其他需要报告的事项本年度未收取信息处理费。')).toEqual({ section: 'other', body: 11 });
    expect(runInHeading('五、存在的主要问题及改进情况2023年，我局……')).toMatchObject({ section: 'problems' });
    for (const t of [
      '一、总体情况良好，各项工作有序推进。',
      '六、其他需要报告本年度未收取信息处理费。',
      '（一）总体情况：本年度……',
      '1.总体情况：本年度……',
      '二、总体情况：本年度……',
      '一、总体情况……………………1',
      '六、其他需要报告的事项',
    ])
      expect(runInHeading(t), t).toBeNull();
  });
});

describe('a bold heading run into its text on a web page', () => {
  it('六 written <p><strong>六、其他需要报告的事项</strong>本年度…</p> is found, with its text', async () => {
    const example = readFileSync(join(import.meta.dirname, '..', 'examples', 'muluan-2023.txt'));
    const html = renderHtml(await parseBytes(example, 'muluan-2023.txt'));
    const six = /<h2[^>]*>六、其他需要报告的事项<\/h2>\s*<p>([^<]*)<\/p>/;
    expect(html).toMatch(six);
    const page = html.replace(six, (_m, text: string) => `<p><strong>六、其他需要报告的事项</strong>${text}</p>`);
    const r = await parseBytes(new TextEncoder().encode(page), 'bold.html');
    expect(r.template?.sectionsFound).toContain('other');
    expect(r.sections.other).toBe('2023年，本单位政府信息公开工作未发生收取信息处理费情况。无其他报告事项。');
  });
});
