/**
 * Concurrent writers on both databases: new cases numbered without an id (the next YYYY-NNN is
 * taken inside the add transaction) and first saves of one 年报编制 draft (an upsert).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewCase } from '../../src/register/case.js';
import { appAuditTrail, getDraft, regDb, saveDraft } from '../../src/store/app.js';
import { addCase, addCaseNumbered, auditTrail, listCases } from '../../src/store/register.js';
import { BACKENDS } from '../helpers/db.js';
import { type Fixture, fixture, newCaseBody } from './helpers.js';

const NOW = new Date('2026-06-15T04:00:00Z');

describe.each(BACKENDS)('concurrent writers (%s)', (backend) => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.cleanup();
    f = undefined;
  });

  it('50 clerks registering a case without an id at once: 50 × 201, ids 2026-001 … 2026-050', async () => {
    f = await fixture(backend, { now: () => NOW });
    const clerk = await f.client('clerk');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => clerk.post('/api/cases', newCaseBody(undefined, '2026-06-1' + (i % 5)))),
    );
    expect(answers.map((a) => a.status)).toEqual(new Array(50).fill(201));
    const ids = answers.map((a) => a.body.case.id as string).sort();
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => `2026-${String(i + 1).padStart(3, '0')}`));
    const listed = await clerk.get('/api/cases');
    expect(listed.body.cases).toHaveLength(50);
    // the next one goes on from the highest number, also after a case given its own id
    expect((await clerk.post('/api/cases', newCaseBody('2026-100', '2026-06-12'))).status).toBe(201);
    expect((await clerk.post('/api/cases', newCaseBody(undefined, '2026-06-12'))).body.case.id).toBe('2026-101');
    // a case given an id already taken is still a 409
    const dup = await clerk.post('/api/cases', newCaseBody('2026-007', '2026-06-12'));
    expect(dup.status).toBe(409);
    // numbers are per year of arrival
    expect((await clerk.post('/api/cases', newCaseBody(undefined, '2025-12-30'))).body.case.id).toBe('2025-001');
  });

  it('10 first saves of one draft at once: all 200, one row, 10 audit rows chained by their before', async () => {
    f = await fixture(backend, { now: () => NOW });
    const clerk = await f.client('clerk');
    const drafts = Array.from({ length: 10 }, (_, i) => ({ proactive: { licensing: { decisions: i + 1 } } }));
    const answers = await Promise.all(drafts.map((draft) => clerk.put('/api/compile/2025', { draft })));
    expect(answers.map((a) => a.status)).toEqual(new Array(10).fill(200));
    const rows = await f.db.selectFrom('drafts').selectAll().execute();
    expect(rows).toHaveLength(1);
    const audit = await appAuditTrail(f.db, { action: 'draft:save' });
    expect(audit).toHaveLength(10);
    expectChain(audit, JSON.parse(rows[0].data));
  });

  it('the store: 50 addCaseNumbered at once, and 10 first saveDraft at once', async () => {
    f = await fixture(backend, { now: () => NOW });
    const reg = regDb(f.db);
    const agency = String(f.agencies.county.id);
    const input = (i: number) => ({ ...newCaseBody(undefined, '2026-06-15'), registeredBy: `clerk${i}` }) as Omit<NewCase, 'id'>;
    const added = await Promise.all(
      Array.from({ length: 50 }, (_, i) => addCaseNumbered(reg, input(i), `clerk${i}`, agency, { today: '2026-06-15' })),
    );
    expect(added.map((c) => c.id).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `2026-${String(i + 1).padStart(3, '0')}`));
    const stored = await listCases(reg, { agency });
    expect(stored.map((c) => c.id)).toEqual(added.map((c) => c.id).sort());
    // each case is stored as numbered, with its own audit row
    for (const c of added) expect(stored.find((s) => s.id === c.id)?.registeredBy).toBe(c.registeredBy);
    const trail = await auditTrail(reg, undefined, agency);
    expect(
      trail
        .filter((a) => a.action === 'add')
        .map((a) => a.caseId)
        .sort(),
    ).toEqual(added.map((c) => c.id).sort());
    // the register of another agency numbers on its own
    expect((await addCaseNumbered(reg, input(0), 'x', String(f.agencies.county2.id), { today: '2026-06-15' })).id).toBe('2026-001');
    // a future date is refused as by addCase
    await expect(
      addCaseNumbered(reg, { ...input(0), receipt: { channel: 'inPerson', arrivedOn: '2026-06-16' } }, 'x', agency, {
        today: '2026-06-15',
      }),
    ).rejects.toMatchObject({
      code: 'future-date',
    });
    // ids that are not YYYY-NNN do not disturb the numbering
    await addCase(reg, { ...input(0), id: '2026-特-1' } as NewCase, 'x', agency, { today: '2026-06-15' });
    expect((await addCaseNumbered(reg, input(0), 'x', agency, { today: '2026-06-15' })).id).toBe('2026-051');

    const agencyId = f.agencies.county.id;
    const saved = await Promise.all(Array.from({ length: 10 }, (_, i) => saveDraft(f!.db, agencyId, 2024, { n: i }, `u${i}`)));
    expect(saved).toHaveLength(10);
    const audit = await appAuditTrail(f.db, { entity: `draft:${agencyId}:2024` });
    expect(audit).toHaveLength(10);
    expectChain(audit, (await getDraft(f.db, agencyId, 2024))?.data);
  });
});

/** one save found no draft; every other found the draft of exactly one earlier save; the last one's is stored */
function expectChain(audit: { before: unknown; after: unknown }[], stored: unknown): void {
  const key = (x: unknown) => JSON.stringify(x);
  expect(audit.filter((a) => a.before === null)).toHaveLength(1);
  const afters = audit.map((a) => key(a.after));
  const befores = audit.filter((a) => a.before !== null).map((a) => key(a.before));
  expect(new Set(befores).size).toBe(befores.length);
  for (const b of befores) expect(afters).toContain(b);
  // in the order of the audit rows: each before is the after of the row before it
  for (let i = 1; i < audit.length; i++) expect(key(audit[i].before)).toBe(key(audit[i - 1].after));
  expect(key(audit[audit.length - 1].after)).toBe(key(stored));
}
