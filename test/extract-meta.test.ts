/**
 * The title and signature of a report typed with a Chinese input method: full-width digits
 * (`２０２３年`) are the year and the date, not part of the agency's name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingOf, parseTitle } from '../src/extract/meta.js';
import { parseBytes } from '../src/parse.js';

const wide = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('full-width digits', () => {
  it('a title with ２０２３年 gives the year and an agency without it', () => {
    expect(parseTitle('某某县人民政府２０２３年政府信息公开工作年度报告')).toMatchObject({ agency: '某某县人民政府', year: 2023 });
    expect(parseTitle('某某县人民政府 ２０２３ 年度政府信息公开工作年度报告')).toMatchObject({ agency: '某某县人民政府', year: 2023 });
    expect(parseTitle('关于某某局２０２４年度政府信息公开工作报告')).toMatchObject({ agency: '某某局', year: 2024 });
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
    ];
    for (const [text, section] of cases) expect(headingOf(text), text).toBe(section);
  });
});
