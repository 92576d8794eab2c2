/**
 * Issued notices on the database (SQLite, and PostgreSQL when NIANBAO_TEST_PG is set): numbered per
 * agency and year without reuse or gaps (also when issues run at once or one fails), stored
 * unchanged with their hash, reissued under a new number with the old one kept; templates that drop
 * what the law requires are refused and nothing is stored.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../src/store/db.js';
import {
  draftFor,
  getNotice,
  getTemplates,
  issueNotice,
  listNoticeSummaries,
  listNotices,
  numberingOf,
  putNoticeSettings,
  putTemplate,
  resetTemplate,
} from '../src/store/notices.js';
import { addCase, addEvent, auditTrail } from '../src/store/register.js';
import { BACKENDS, type Fresh, freshTarget } from './helpers/db.js';
import { newCase } from './helpers/register-gen.js';

let db: Db | undefined;
let fresh: Fresh | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
  await fresh?.cleanup();
  fresh = undefined;
});

const AGENCY = '7';

async function setup(backend: (typeof BACKENDS)[number]): Promise<Db> {
  fresh = await freshTarget(backend);
  db = await openDb(fresh.target);
  await putNoticeSettings(
    db,
    AGENCY,
    {
      agencyName: '示范市东区人民政府',
      numberPattern: '东政依申〔{year}〕第{n}号',
      reviewBody: '示范市人民政府',
      court: '示范市中级人民法院',
    },
    'admin',
  );
  return db;
}

async function withCorrection(d: Db, id: string): Promise<void> {
  await addCase(d, newCase(id, '2025-03-03', 'naturalPerson'), '王五', AGENCY);
  await addEvent(
    d,
    id,
    { type: 'correctionNotice', on: '2025-03-05', deadline: '2025-03-20', items: '请写明文件名称', by: '王五' },
    '王五',
    {},
    AGENCY,
  );
}

for (const backend of BACKENDS) {
  describe(`notices on ${backend}`, () => {
    it('numbers per agency and year, in order, and starts again in a new year', async () => {
      const d = await setup(backend);
      await withCorrection(d, '2025-001');
      await withCorrection(d, '2025-002');
      const a = await issueNotice(d, '2025-001', { seq: 0, issuedOn: '2025-03-03' }, '王五', AGENCY);
      const b = await issueNotice(d, '2025-001', { seq: 1, issuedOn: '2025-03-05' }, '王五', AGENCY);
      const c = await issueNotice(d, '2025-002', { seq: 1, issuedOn: '2025-03-05' }, '王五', AGENCY);
      expect([a.number, b.number, c.number]).toEqual(['东政依申〔2025〕第1号', '东政依申〔2025〕第2号', '东政依申〔2025〕第3号']);
      const next = await issueNotice(d, '2025-002', { seq: 0, issuedOn: '2026-01-05' }, '王五', AGENCY);
      expect(next.number).toBe('东政依申〔2026〕第1号');
      // another agency's register has its own numbers
      await addCase(d, newCase('2025-001', '2025-03-03', 'commercial'), '李四', '8');
      await putNoticeSettings(
        d,
        '8',
        { agencyName: '示范市西县人民政府', reviewBody: '示范市人民政府', court: '示范市中级人民法院' },
        'admin',
      );
      expect((await issueNotice(d, '2025-001', { seq: 0, issuedOn: '2025-03-04' }, '李四', '8')).number).toBe('依申〔2025〕第1号');
      expect((await numberingOf(d, 2025, AGENCY)).map((n) => n.serial)).toEqual([1, 2, 3]);
      // issued as drafted: the clerk's free text, the number, not a draft, the hash kept
      expect(b.document.draft).toBe(false);
      expect(b.document.number).toBe('东政依申〔2025〕第2号');
      expect(b.document.paragraphs.join('')).toContain('请写明文件名称');
      expect(b.hash).toMatch(/^[0-9a-f]{64}$/);
      // an audit row for each issue
      const audit = await auditTrail(d, '2025-001', AGENCY);
      expect(audit.filter((e) => e.action.startsWith('notice:')).map((e) => e.action)).toEqual(['notice:receipt', 'notice:correction']);
      expect((await listNoticeSummaries(d, AGENCY)).map((n) => n.number)).toHaveLength(4);
    });

    it('a notice that cannot be issued takes no number; a step issued twice is refused; a reissue keeps the old one', async () => {
      const d = await setup(backend);
      await withCorrection(d, '2025-001');
      // an empty 补正内容 stops it: refused with the problem, and no number is used
      await expect(issueNotice(d, '2025-001', { seq: 1, issuedOn: '2025-03-05', free: { 补正内容: '' } }, '王五', AGENCY)).rejects.toThrow(
        /补正内容/,
      );
      const first = await issueNotice(d, '2025-001', { seq: 1, issuedOn: '2025-03-05' }, '王五', AGENCY);
      expect(first.serial).toBe(1);
      await expect(issueNotice(d, '2025-001', { seq: 1, issuedOn: '2025-03-06' }, '王五', AGENCY)).rejects.toMatchObject({
        code: 'duplicate',
      });
      const again = await issueNotice(
        d,
        '2025-001',
        { seq: 1, issuedOn: '2025-03-06', free: { 补正内容: '请写明文件名称和文号' }, supersedes: first.id },
        '王五',
        AGENCY,
      );
      expect(again.number).toBe('东政依申〔2025〕第2号');
      expect(again.supersedes).toBe(first.id);
      const all = await listNotices(d, '2025-001', AGENCY);
      expect(all.map((n) => [n.number, n.supersededBy])).toEqual([
        ['东政依申〔2025〕第1号', again.id],
        ['东政依申〔2025〕第2号', null],
      ]);
      // the old one is unchanged
      expect(all[0].document.paragraphs.join('')).toContain('请写明文件名称');
      expect(all[0].document.paragraphs.join('')).not.toContain('和文号');
      // a superseded notice cannot be reissued again
      await expect(
        issueNotice(d, '2025-001', { seq: 1, issuedOn: '2025-03-07', supersedes: first.id }, '王五', AGENCY),
      ).rejects.toMatchObject({ code: 'duplicate' });
      expect((await numberingOf(d, 2025, AGENCY)).map((n) => n.serial)).toEqual([1, 2]);
    });

    it('notices issued at the same moment get distinct numbers with no gap', async () => {
      const d = await setup(backend);
      const ids = Array.from({ length: 8 }, (_, i) => `2025-${String(i + 1).padStart(3, '0')}`);
      for (const id of ids) await addCase(d, newCase(id, '2025-03-03', 'naturalPerson'), '王五', AGENCY);
      const issued = await Promise.allSettled(ids.map((id) => issueNotice(d, id, { seq: 0, issuedOn: '2025-03-03' }, '王五', AGENCY)));
      const ok = issued.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ serial: number }>).value.serial);
      expect(ok).toHaveLength(ids.length);
      expect([...ok].sort((a, b) => a - b)).toEqual(ids.map((_, i) => i + 1));
    });

    it('an issued notice altered in the database is detected when read', async () => {
      const d = await setup(backend);
      await withCorrection(d, '2025-001');
      const n = await issueNotice(d, '2025-001', { seq: 1, issuedOn: '2025-03-05' }, '王五', AGENCY);
      expect((await getNotice(d, n.id, AGENCY)).document).toEqual(n.document);
      await sql`update notices set content = replace(content, '请写明文件名称', '无需补正') where id = ${n.id}`.execute(d);
      await expect(getNotice(d, n.id, AGENCY)).rejects.toMatchObject({ code: 'damaged' });
      // another agency cannot read it
      await expect(getNotice(d, n.id, '99')).rejects.toMatchObject({ code: 'not-found' });
    });

    it('templates: an invalid one is refused and nothing stored; a valid one is used; reset goes back', async () => {
      const d = await setup(backend);
      await addCase(d, newCase('2025-001', '2025-03-03', 'naturalPerson'), '王五', AGENCY);
      await addEvent(
        d,
        '2025-001',
        { type: 'reply', on: '2025-03-20', outcome: 'withheldThirdParty', reasons: '涉及商业秘密', by: '王五' },
        '王五',
        {},
        AGENCY,
      );
      const spec = (await getTemplates(d, AGENCY)).get('reply.withheldThirdParty')!;
      const noRights = { title: spec.template.title, paragraphs: spec.template.paragraphs.filter((p) => !p.includes('救济途径')) };
      await expect(putTemplate(d, AGENCY, 'reply.withheldThirdParty', noRights, 'admin')).rejects.toThrow(/救济途径/);
      expect((await getTemplates(d, AGENCY)).get('reply.withheldThirdParty')!.custom).toBe(false);
      const mine = {
        title: '不予公开告知书',
        paragraphs: ['经审查，依据《条例》第十五条，您申请的信息（{{申请编号}}）不予公开：{{理由}}', '{{救济途径}}'],
      };
      await putTemplate(d, AGENCY, 'reply.withheldThirdParty', mine, 'admin');
      const draft = await draftFor(d, '2025-001', { seq: 1, issuedOn: '2025-03-20' }, AGENCY);
      expect(draft.document.title).toBe('不予公开告知书');
      expect(draft.document.paragraphs[0]).toBe('经审查，依据《条例》第十五条，您申请的信息（2025-001）不予公开：涉及商业秘密');
      expect(draft.problems).toEqual([]);
      await resetTemplate(d, AGENCY, 'reply.withheldThirdParty', 'admin');
      expect((await draftFor(d, '2025-001', { seq: 1, issuedOn: '2025-03-20' }, AGENCY)).document.title).toBe('政府信息公开申请答复告知书');
      // settings that would number without the year are refused
      await expect(putNoticeSettings(d, AGENCY, { numberPattern: '第{n}号' }, 'admin')).rejects.toThrow(/\{year\}/);
    });
  });
}
