/**
 * The server's limits (issue 13): heavy work runs on the worker pool, a full pool answers 503 with
 * Retry-After, a narrative over the text limits is refused (413) before any work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_LIMITS } from '../../src/model/limits.js';
import type { Report } from '../../src/model/report.js';
import { pooledJobs } from '../../src/server/jobs.js';
import { type Fixture, fixture } from './helpers.js';

const jobs = pooledJobs({ size: 1, maxQueue: 0 });
let f: Fixture;
beforeAll(async () => {
  f = await fixture('sqlite', { jobs });
});
afterAll(async () => {
  await jobs.close();
  await f.cleanup();
});

const sentences = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `第${tag}${i}号事项已办理完毕并向社会公开。`).join('');

describe('limits', () => {
  it('a narrative section over the limit is refused with 413 before any work; at the limit it is rendered', async () => {
    const c = await f.client('clerk');
    const base = (await c.get('/api/compile/2025')).body.report as Report;
    const long = { ...base, sections: { ...base.sections, overview: '政'.repeat(TEXT_LIMITS.section + 1) } };
    const r = await c.post('/api/render', { report: long, format: 'pdf' });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('text-too-long');
    expect(r.body.error.message).toContain('超过每部分 100000 个字符的上限');
    const checked = await c.post('/api/check', { report: long });
    expect(checked.status).toBe(413);
    const ok = { ...base, sections: { ...base.sections, overview: sentences(2000, '甲').slice(0, TEXT_LIMITS.section) } };
    const md = await c.post('/api/render', { report: ok, format: 'md' });
    expect(md.status).toBe(200);
  });

  it('a full pool answers 503 with Retry-After; the request it is busy with completes', async () => {
    const c = await f.client('clerk');
    const base = (await c.get('/api/compile/2025')).body.report as Report;
    const big = { ...base, sections: { overview: sentences(2500, '乙'), problems: sentences(2500, '丙'), other: '无' } };
    const [a, b] = await Promise.all([
      c.post('/api/render', { report: big, format: 'pdf' }),
      c.post('/api/render', { report: big, format: 'docx' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 503]);
    const busy = a.status === 503 ? a : b;
    expect(busy.body.error.code).toBe('busy');
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(busy.body.error.message).toMatch(/服务器正忙/);
    expect(jobs.pool.stats.refused).toBeGreaterThanOrEqual(1);
  });
});

describe('upload names', () => {
  it('are stored without control characters (CR/LF would split a log line or a header) and bidirectional overrides', async () => {
    const c = await f.client('clerk');
    const seed = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo', '001_bafcd2ea084bb138.txt'), 'utf8');
    const r = await c.post('/api/reports', { text: seed, filename: 'evil\r\nSet-Cookie: x=1\u202e.txt' });
    expect(r.status).toBe(201);
    expect(r.body.fileName).toBe('evilSet-Cookie: x=1.txt');
    const original = await c.get(`/api/reports/${r.body.id}/original`);
    expect(original.headers.get('content-disposition') ?? '').not.toMatch(/[\r\n]/);
  });
});
