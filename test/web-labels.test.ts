/**
 * Chinese throughout (web/src/labels.ts, web/src/eventDetails.ts): every rule of the checker has a
 * Chinese name; the place of every diagnostic the rules' examples produce reads in Chinese (no JSON
 * path, no `*`); a case with every kind of event, and the states the audit trail shows before and
 * after each step, are described without a field name or a key of the model.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../src/check/catalogue.js';
import { examplePrevious, exampleReport } from '../src/check/examples.js';
import { check } from '../src/check/index.js';
import type { Case, CaseEvent, NewCase } from '../src/register/case.js';
import { replay } from '../src/register/case.js';
import { EVENT_SEQUENCES, IDENTIFIER } from './helpers/chinese.js';

/**
 * The web app's modules, imported by URL: they are built for the browser (bundler resolution), so the
 * project's type check (NodeNext) does not follow them; their few functions are typed here.
 */
async function web<T>(file: string): Promise<T> {
  return (await import(/* @vite-ignore */ new URL(`../web/src/${file}`, import.meta.url).href)) as T;
}
const { pathLabel, RULE_LABELS, ruleLabel } = await web<{
  pathLabel(path: string): string;
  RULE_LABELS: Record<string, string>;
  ruleLabel(id: string): string;
}>('labels.ts');
const { caseStateLines, eventDetails } = await web<{
  caseStateLines(state: Case['state']): { label: string; value: string }[];
  eventDetails(e: CaseEvent): string[];
}>('eventDetails.ts');

describe('Chinese names of the checker', () => {
  it('every rule has a Chinese name', () => {
    for (const r of RULES) {
      expect(RULE_LABELS[r.id], r.id).toBeTruthy();
      expect(ruleLabel(r.id)).not.toMatch(/[a-z]/);
    }
    expect(ruleLabel('no-such-rule')).toBe('其他检查');
  });

  it('the place of every diagnostic of the rules’ examples reads in Chinese', () => {
    const paths = new Set<string>();
    for (const rule of RULES)
      for (const ex of rule.examples?.invalid ?? [])
        for (const d of check({ report: exampleReport(ex), previous: examplePrevious(ex), only: [rule.id] })) if (d.path) paths.add(d.path);
    for (const p of ['applications.*.publicInterest', 'proactive', 'applications', 'reviewLitigation', 'publishedOn', 'agency', 'year'])
      paths.add(p);
    expect(paths.size).toBeGreaterThan(20);
    for (const p of paths) {
      const label = pathLabel(p);
      expect(label, p).not.toBe('');
      expect(label, `${p} → ${label}`).not.toMatch(IDENTIFIER);
    }
    expect(pathLabel('applications.*.publicInterest')).toContain('社会公益组织');
    expect(pathLabel('publishedOn')).toBe('发布日期');
  });
});

const by = '张三';
const base: NewCase = {
  id: '2026-101',
  applicant: { name: '李四', identity: { type: '居民身份证', number: '110101199001011234' }, contact: { phone: '13800000000' } },
  applicantType: 'naturalPerson',
  request: { description: '某路段改造项目批复文件' },
  delivery: { form: '纸质', channel: '邮寄' },
  receipt: { channel: 'inPerson', arrivedOn: '2026-11-02' },
  registeredBy: by,
};

describe('Chinese descriptions of the register', () => {
  it('every kind of event and every state of its case reads in Chinese', () => {
    const types = new Set<string>();
    for (const seq of EVENT_SEQUENCES) {
      const events: CaseEvent[] = [];
      for (const e of seq.events) {
        events.push({ by, note: '备注文字', ...e } as CaseEvent);
        types.add(e.type as string);
        const c = replay({ ...base, receipt: { channel: 'inPerson', arrivedOn: seq.arrivedOn } }, events, { today: '2026-12-07' });
        for (const ev of c.events) for (const line of eventDetails(ev)) expect(line, ev.type).not.toMatch(IDENTIFIER);
        const state = caseStateLines(c.state);
        expect(state.length).toBeGreaterThan(0);
        for (const line of state) expect(`${line.label}：${line.value}`, JSON.stringify(c.state)).not.toMatch(IDENTIFIER);
      }
    }
    expect(types.size).toBe(13);
  });
});
