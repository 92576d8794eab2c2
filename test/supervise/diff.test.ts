import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/supervise/diff.js';
import { sampleReport2021 } from '../helpers/arbitrary.js';

describe('diffReports: what changed between two versions of a report', () => {
  it('the same content (another file of the same report) is no difference', () => {
    const a = sampleReport2021();
    const b = structuredClone(a);
    b.sections.overview = `${a.sections.overview}\n`; // only whitespace
    expect(diffReports(a, b)).toMatchObject({ same: true, cells: [], sections: [] });
  });

  it('a changed cell with its Chinese label, and the sentences removed and added', () => {
    const a = sampleReport2021();
    const b = structuredClone(a);
    b.applications.newReceived.total = (a.applications.newReceived.total ?? 0) + 3;
    b.sections.problems = `${a.sections.problems}另外，更正了一处统计数字。`;
    b.publishedOn = '2025-02-01';
    const d = diffReports(a, b);
    expect(d.same).toBe(false);
    expect(d.cells).toEqual([
      {
        key: 'applications.newReceived.total',
        label: '依申请公开 / 一、本年新收政府信息公开申请数量 / 总计',
        before: a.applications.newReceived.total,
        after: (a.applications.newReceived.total ?? 0) + 3,
      },
    ]);
    expect(d.sections).toEqual([
      { section: 'problems', label: '五、存在的主要问题及改进情况', removed: [], added: ['另外，更正了一处统计数字。'] },
    ]);
    expect(d.meta).toEqual([{ field: 'publishedOn', before: a.publishedOn, after: '2025-02-01' }]);
  });
});
