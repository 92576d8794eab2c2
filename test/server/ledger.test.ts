/**
 * The 台账 API (src/server/routes/ledger.ts): GET /api/cases/export and POST /api/cases/import —
 * the files, the filters and scope, the dry run and the import, bad input (not a spreadsheet, too
 * large, bad mapping JSON), and both on the worker pool.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LEDGER_LIMITS } from '../../src/register/ledger.js';
import { pooledJobs } from '../../src/server/jobs.js';
import { ledgerImports } from '../../src/store/ledger.js';
import { type Client, type Fixture, fixture, newCaseBody } from './helpers.js';

// Until src/server/app.ts registers the ledger routes itself, they are added here right after the
// session routes (before registerRoutes, whose GET /api/cases/{id} would answer /api/cases/export);
// once app.ts does, its own wiring (and order) is what these tests exercise.
vi.mock('../../src/server/routes/session.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/server/routes/session.js')>();
  const { readFileSync } = await import('node:fs');
  if (readFileSync(new URL('../../src/server/app.ts', import.meta.url), 'utf8').includes('ledgerRoutes(')) return actual;
  const { ledgerRoutes } = await import('../../src/server/routes/ledger.js');
  return {
    ...actual,
    sessionRoutes: (...args: Parameters<typeof actual.sessionRoutes>) => {
      actual.sessionRoutes(...args);
      ledgerRoutes(...args);
    },
  };
});

// 2025-03-10, 10:00 in Beijing
const NOW = new Date('2025-03-10T02:00:00Z');
let f: Fixture;

function upload(
  bytes: Uint8Array,
  name: string,
  fields: Record<string, string> = {},
  events?: { bytes: Uint8Array; name: string },
): FormData {
  const fd = new FormData();
  fd.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
  if (events) fd.append('events', new File([events.bytes as Uint8Array<ArrayBuffer>], events.name));
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

async function workbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

beforeAll(async () => {
  f = await fixture('sqlite', { now: () => NOW, limits: { uploadBytes: 64 * 1024 * 1024 } });
  const c = await f.client('clerk');
  const add = async (id: string, on: string, over: Record<string, unknown> = {}) =>
    expect((await c.post('/api/cases', newCaseBody(id, on, over))).status).toBe(201);
  await add('2025-001', '2025-01-20');
  await add('2025-002', '2025-02-03', {
    applicantType: 'commercial',
    applicant: { name: '=某公司', identity: { type: '营业执照', number: '9132' }, contact: { email: 'a@b.c' } },
  });
  await add('2025-003', '2025-02-10');
  expect((await c.post('/api/cases/2025-001/events', { type: 'correctionNotice', on: '2025-01-22', deadline: '2025-02-14' })).status).toBe(
    200,
  );
  expect((await c.post('/api/cases/2025-001/events', { type: 'correctionReceived', on: '2025-02-10' })).status).toBe(200);
  expect((await c.post('/api/cases/2025-001/events', { type: 'reply', on: '2025-03-05', outcome: 'granted' })).status).toBe(200);
  expect((await c.post('/api/cases/2025-003/events', { type: 'withdrawal', on: '2025-02-12' })).status).toBe(200);
  expect((await c.post('/api/cases/2025-003/events/1/void', { reason: '登记错误' })).status).toBe(200);
});
afterAll(async () => {
  await f.cleanup();
});

describe('GET /api/cases/export', () => {
  it('XLSX: both sheets, a Chinese file name (RFC 5987), every case of the register and every event', async () => {
    const c = await f.client('clerk');
    const res = await c.get('/api/cases/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const cd = res.headers.get('content-disposition') ?? '';
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1])).toBe('甲市一区人民政府政府信息公开申请台账2025-03-10.xlsx');
    const wb = await workbook(res.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['申请台账', '事件']);
    const ids = wb.worksheets[0].getColumn(1).values.slice(2);
    expect(ids).toEqual(['2025-001', '2025-002', '2025-003']);
    const events = wb.worksheets[1];
    expect(events.rowCount).toBe(1 + 4);
    // the voided withdrawal: its row says who voided it and why
    const voided = events.getRow(5).values as unknown[];
    expect(voided.slice(1, 5)).toEqual(['2025-003', 1, new Date(Date.UTC(2025, 1, 12)), '撤回申请']);
    expect(voided).toContain('登记错误');
  });

  it('CSV: one sheet with BOM; the list’s filters apply', async () => {
    const c = await f.client('clerk');
    const res = await c.get('/api/cases/export?format=csv&status=closed');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(res.bytes);
    expect(text.startsWith('\uFEFF编号,申请人,申请人类型,')).toBe(true);
    expect(
      text
        .slice(1)
        .trim()
        .split('\r\n')
        .map((l) => l.split(',')[0]),
    ).toEqual(['编号', '2025-001']);
    const ev = await c.get('/api/cases/export?format=csv&sheet=events&q=2025-003');
    expect(decodeURIComponent(ev.headers.get('content-disposition')!.split("UTF-8''")[1])).toContain('（事件）');
    const lines = new TextDecoder().decode(ev.bytes).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^2025-003,1,2025-02-12,撤回申请,/);
    const q = await c.get('/api/cases/export?format=csv&q=某公司');
    const rows = new TextDecoder().decode(q.bytes).trim().split('\r\n');
    expect(rows).toHaveLength(2);
    // formula-like text neutralised
    expect(rows[1]).toContain(",'=某公司,");
  });

  it('scope as the list: another agency’s register is 404; a reviewer above exports several registers with a 机关 column', async () => {
    const clerk2 = await f.client('clerk2');
    expect((await clerk2.get(`/api/cases/export?agencyId=${f.agencies.county.id}`)).status).toBe(404);
    const admin = await f.client('admin');
    expect((await admin.post(`/api/cases?agencyId=${f.agencies.county2.id}`, newCaseBody('2025-001', '2025-02-20'))).status).toBe(201);
    const res = await (await f.client('reviewer')).get('/api/cases/export?format=csv');
    const lines = new TextDecoder().decode(res.bytes).trim().split('\r\n');
    expect(lines[0].endsWith(',机关')).toBe(true);
    expect(lines.slice(1).map((l) => [l.split(',')[0], l.split(',').at(-1)])).toEqual([
      ['2025-001', '甲市一区人民政府'],
      ['2025-002', '甲市一区人民政府'],
      ['2025-003', '甲市一区人民政府'],
      ['2025-001', '甲市二区人民政府'],
    ]);
    expect((await (await f.client('readonly')).get('/api/cases/export')).status).toBe(200);
  });
});

describe('POST /api/cases/import', () => {
  let exported: Uint8Array;
  let admin: Client;
  beforeAll(async () => {
    exported = (await (await f.client('clerk')).get('/api/cases/export')).bytes;
    admin = await f.client('admin');
  });

  it('a dry run by default: the suggested mapping, every row new, nothing written', async () => {
    const res = await admin.post('/api/cases/import', upload(exported, '台账.xlsx', { agencyId: String(f.agencies.dept.id) }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      fileName: '台账.xlsx',
      sheet: '申请台账',
      eventsSheet: '事件',
      headerRows: [1],
      imported: null,
      summary: { rows: 3, new: 3, exists: 0, errors: 0, skipped: 0 },
    });
    expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.mapping).toMatchObject({ id: 0, applicantName: 1, arrivedOn: 13, registeredBy: 30 });
    expect(res.body.fields).toContainEqual({ key: 'arrivedOn', label: '收件日期', required: true });
    expect(res.body.columns[0]).toEqual({ index: 0, header: '编号', samples: ['2025-001', '2025-002', '2025-003'] });
    expect(res.body.rows.map((r: { caseId: string; status: string }) => [r.caseId, r.status])).toEqual([
      ['2025-001', 'new'],
      ['2025-002', 'new'],
      ['2025-003', 'new'],
    ]);
    const list = await admin.get(`/api/cases?agencyId=${f.agencies.dept.id}`);
    expect(list.body.cases).toEqual([]);
  });

  it('dryRun=0 imports; the same file again adds nothing', async () => {
    const res = await admin.post('/api/cases/import', upload(exported, '台账.xlsx', { agencyId: String(f.agencies.dept.id), dryRun: '0' }));
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(3);
    const detail = await admin.get(`/api/cases/2025-003?agencyId=${f.agencies.dept.id}`);
    expect(detail.body.case.events[0]).toMatchObject({ type: 'withdrawal', voided: { by: 'clerk', reason: '登记错误' } });
    expect(detail.body.audit.map((a: { action: string; who: string }) => [a.action, a.who])).toEqual([['import', 'admin']]);
    const again = await admin.post(
      '/api/cases/import',
      upload(exported, '台账.xlsx', { agencyId: String(f.agencies.dept.id), dryRun: '0' }),
    );
    expect(again.body.imported).toBe(0);
    expect(again.body.summary).toMatchObject({ new: 0, exists: 3 });
    expect(await ledgerImports(f.db as never, String(f.agencies.dept.id))).toHaveLength(1);
  });

  it('a mapping given as JSON is used; a conflict is reported per row', async () => {
    const c = await f.client('clerk');
    const csv = new TextEncoder().encode(
      '编号,申请人,申请人类型,申请内容,收件日期,经办人\r\n2025-001,别人,自然人,另一件事,2025-03-01,张科员\r\nN-1,李四,自然人,某信息,2025-03-02,张科员\r\n',
    );
    const res = await c.post('/api/cases/import', upload(csv, 'a.csv', { mapping: JSON.stringify({ registeredBy: null }) }));
    expect(res.status).toBe(200);
    expect(res.body.mapping.registeredBy).toBeNull();
    expect(res.body.rows[0]).toMatchObject({
      row: 2,
      caseId: '2025-001',
      status: 'conflict',
      problems: [{ zh: expect.stringContaining('内容与本行不同') }],
    });
    expect(res.body.rows[1]).toMatchObject({ row: 3, caseId: 'N-1', status: 'new' });
    expect(res.body.rows[1].warnings.map((w: { zh: string }) => w.zh).join('')).toContain('台账未记录');
    expect(res.body.summary).toMatchObject({ errors: 1, conflicts: 1, new: 1 });
  });

  it('bad input: not a spreadsheet 422, too large 413, bad mapping 400, no file 400', async () => {
    const c = await f.client('clerk');
    const pdf = await c.post('/api/cases/import', upload(new TextEncoder().encode('%PDF-1.7 ...'), 'a.pdf'));
    expect(pdf.status).toBe(422);
    expect(pdf.body.error).toMatchObject({
      code: 'unreadable',
      message: expect.stringContaining('不是可读取的电子表格'),
      messageEn: expect.any(String),
    });
    const big = await c.post('/api/cases/import', upload(new Uint8Array(LEDGER_LIMITS.bytes + 1), 'big.csv'));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too-large');
    const csv = new TextEncoder().encode('申请人,申请内容,收件日期\r\n张三,某信息,2025-03-02\r\n');
    const notJson = await c.post('/api/cases/import', upload(csv, 'a.csv', { mapping: '{applicantName:' }));
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatchObject({ code: 'bad-mapping', message: expect.stringContaining('不是有效的 JSON') });
    const badValue = await c.post('/api/cases/import', upload(csv, 'a.csv', { mapping: '{"applicantName":"A"}' }));
    expect(badValue.status).toBe(400);
    const unknown = await c.post('/api/cases/import', upload(csv, 'a.csv', { mapping: '{"nosuch":1}' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('nosuch');
    const outOfRange = await c.post('/api/cases/import', upload(csv, 'a.csv', { mapping: '{"applicantName":7}' }));
    expect(outOfRange.status).toBe(400);
    const noFile = await c.post('/api/cases/import', new FormData());
    expect(noFile.status).toBe(400);
  });

  it('who may import: clerks into their own register only; readonly and reviewers not at all', async () => {
    const csv = new TextEncoder().encode('申请人,申请内容,收件日期\r\n张三,某信息,2025-03-02\r\n');
    expect((await (await f.client('readonly')).post('/api/cases/import', upload(csv, 'a.csv'))).status).toBe(403);
    expect((await (await f.client('reviewer')).post('/api/cases/import', upload(csv, 'a.csv'))).status).toBe(403);
    const clerk2 = await f.client('clerk2');
    expect((await clerk2.post('/api/cases/import', upload(csv, 'a.csv', { agencyId: String(f.agencies.county.id) }))).status).toBe(404);
  });

  it('is documented in a valid OpenAPI document under register', async () => {
    const doc = await f.app.request('/openapi.json');
    const body = (await doc.json()) as { paths: Record<string, Record<string, { tags: string[]; requestBody?: { content: object } }>> };
    const result = await new Validator().validate(body as never);
    expect(result.errors ?? []).toEqual([]);
    expect(body.paths['/api/cases/export'].get.tags).toEqual(['register']);
    expect(body.paths['/api/cases/import'].post.tags).toEqual(['register']);
    expect(Object.keys(body.paths['/api/cases/import'].post.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
  });
});

describe('on the worker pool', () => {
  const jobs = pooledJobs({ size: 1 });
  let g: Fixture;
  beforeAll(async () => {
    g = await fixture('sqlite', { now: () => NOW, jobs });
    const c = await g.client('clerk');
    expect((await c.post('/api/cases', newCaseBody('2025-001', '2025-01-20'))).status).toBe(201);
  });
  afterAll(async () => {
    await g.cleanup();
    await jobs.close();
  });

  it('writes the XLSX and reads an upload on a worker; a file that cannot be read is still 422', async () => {
    const c = await g.client('clerk');
    const res = await c.get('/api/cases/export');
    expect(res.status).toBe(200);
    expect((await workbook(res.bytes)).worksheets[0].getCell('A2').value).toBe('2025-001');
    const plan = await c.post('/api/cases/import', upload(res.bytes, 'a.xlsx'));
    expect(plan.status).toBe(200);
    expect(plan.body.rows).toEqual([{ row: 2, caseId: '2025-001', status: 'exists', problems: [], warnings: [] }]);
    const bad = await c.post('/api/cases/import', upload(new TextEncoder().encode('甲,乙\n1,2\n'), 'a.csv'));
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('找不到表头');
  });
});
