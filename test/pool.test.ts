/**
 * The worker pool: a job past its time limit is killed even when it never yields, a job past its
 * memory limit kills only its own worker, a crash fails only its job, a full queue refuses at once
 * with a suggested wait, and errors come back as the classes the callers know.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_SIZE, JobPool, PoolError } from '../src/pool/pool.js';
import { ReadError } from '../src/read/errors.js';
import { RenderRefusedError } from '../src/render/totals.js';
import { pooledJobs } from '../src/server/jobs.js';
import { readInput } from '../src/server/pipeline.js';

const handlers = new URL('./fixtures/pool/handlers.ts', import.meta.url);

async function failure(p: Promise<unknown>): Promise<PoolError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PoolError);
  return e as PoolError;
}

describe('JobPool', () => {
  const pool = new JobPool({ handlers, size: 2, timeoutMs: 10_000, memoryMb: 96, maxQueue: 2 });
  afterAll(() => pool.close());

  it('has at least two workers by default, whatever the machine', () => {
    expect(DEFAULT_POOL_SIZE).toBeGreaterThanOrEqual(2);
  });

  it('kills a job that never yields at its time limit; the next job runs', async () => {
    const e = await failure(pool.run({ kind: 'spin' }, { timeoutMs: 300, label: 'loop.pdf' }));
    expect(e.code).toBe('timeout');
    expect(e.zh).toBe('处理“loop.pdf”超过 0.3 秒的时限，已中止。');
    expect(e.en).toContain('took longer than the limit of 0.3 s');
    expect(await pool.run({ kind: 'echo', value: 42 })).toBe(42);
    expect(pool.stats.timeouts).toBe(1);
  });

  it('a job past the memory limit kills only its worker', async () => {
    const [oom, other] = await Promise.allSettled([
      pool.run({ kind: 'alloc' }, { label: 'bomb.xlsx' }),
      pool.run({ kind: 'sleep', ms: 50 }),
    ]);
    expect(oom.status).toBe('rejected');
    const e = (oom as PromiseRejectedResult).reason as PoolError;
    expect(e.code).toBe('memory');
    expect(e.zh).toContain('“bomb.xlsx”所需内存超过每项任务 96 MB 的上限');
    expect(other).toEqual({ status: 'fulfilled', value: 50 });
    expect(await pool.run({ kind: 'echo', value: 'after' })).toBe('after');
  });

  it('a worker that exits fails its job only', async () => {
    const e = await failure(pool.run({ kind: 'exit', code: 3 }));
    expect(e.code).toBe('crashed');
    expect(await pool.run({ kind: 'echo', value: 1 })).toBe(1);
  });

  it('a full queue refuses at once with a wait; nothing is lost from what was accepted', async () => {
    const busy = [pool.run({ kind: 'sleep', ms: 300 }), pool.run({ kind: 'sleep', ms: 300 })];
    const waiting = [pool.run({ kind: 'sleep', ms: 10 }), pool.run({ kind: 'sleep', ms: 10 })];
    const e = await failure(pool.run({ kind: 'echo', value: 'x' }));
    expect(e.code).toBe('busy');
    expect(e.retryAfter).toBeGreaterThanOrEqual(1);
    expect(e.zh).toMatch(/服务器正忙（2 项任务在排队），请 \d+ 秒后重试。/);
    expect(await Promise.all([...busy, ...waiting])).toEqual([300, 300, 10, 10]);
  });

  it('an error thrown by a job comes back with its message', async () => {
    await expect(pool.run({ kind: 'throw', message: '坏了' })).rejects.toThrow('坏了');
  });
});

describe("the server's jobs on the pool", () => {
  const jobs = pooledJobs({ size: 2 });
  afterAll(() => jobs.close());
  const pdf = new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'examples', 'huaian-hongze-2024.pdf')));

  it('reads a PDF on a worker with the same result as in place', async () => {
    const [inPlace, pooled] = await Promise.all([readInput(pdf, 'hongze.pdf'), jobs.read(pdf, 'hongze.pdf')]);
    expect(JSON.parse(JSON.stringify(pooled))).toEqual(JSON.parse(JSON.stringify(inPlace)));
  });

  it("a damaged file is the reader's own ReadError, a refused render the renderer's own error", async () => {
    const e = await jobs.read(pdf.subarray(0, 4000), 'cut.pdf').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReadError);
    expect((e as ReadError).file).toBe('cut.pdf');
    const { report } = await jobs.read(pdf, 'hongze.pdf');
    const broken = structuredClone(report);
    (broken.applications.newReceived as Record<string, number | null>).total = 999;
    const r = await jobs.render(broken, 'md', {}).catch((x: unknown) => x);
    expect(r).toBeInstanceOf(RenderRefusedError);
    expect((r as RenderRefusedError).diagnostics.length).toBeGreaterThan(0);
    const md = await jobs.render(report, 'md', {});
    expect(new TextDecoder().decode(md)).toContain('淮安市洪泽区人民政府');
  });
});
