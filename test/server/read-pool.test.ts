/**
 * The server's reader threads (compiled build: `npm test` builds first): a PDF read on a thread
 * gives the same Report as read in place; a bad file is the same ReadError; several at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadError } from '../../src/read/errors.js';
import { readInput } from '../../src/server/pipeline.js';

const dist = fileURLToPath(new URL('../../dist/server/read-pool.js', import.meta.url));
if (!existsSync(dist)) throw new Error('dist/server/read-pool.js is missing: run `npm run build` first');
const { ReadPool } = (await import(dist)) as typeof import('../../src/server/read-pool.js');
const { ReadError: DistReadError } = (await import(
  fileURLToPath(new URL('../../dist/read/errors.js', import.meta.url))
)) as typeof import('../../src/read/errors.js');

const examples = join(import.meta.dirname, '..', '..', 'examples');
const pdf = new Uint8Array(readFileSync(join(examples, 'huaian-hongze-2024.pdf')));
const text = new Uint8Array(readFileSync(join(examples, 'demo', '001_bafcd2ea084bb138.txt')));

describe('ReadPool', () => {
  const pool = new ReadPool(2);
  afterAll(() => pool.close());

  it('reads PDFs on threads, with the same result as in place, several at once', async () => {
    expect(pool.threaded).toBe(true);
    const inPlace = await readInput(pdf, 'hongze.pdf');
    const threaded = await Promise.all([pool.read(pdf, 'hongze.pdf'), pool.read(pdf, 'hongze.pdf'), pool.read(text, 'a.txt')]);
    expect(JSON.parse(JSON.stringify(threaded[0]))).toEqual(JSON.parse(JSON.stringify(inPlace)));
    expect(threaded[1].report.applications).toEqual(inPlace.report.applications);
    expect(threaded[2].report.agency).toBe('八卦洲街道办事处');
  });

  it("a corrupt or truncated file is the reader's own ReadError, in Chinese and English", async () => {
    const truncated = pdf.subarray(0, 4000);
    const e = await pool.read(truncated, 'cut.pdf').catch((x: unknown) => x);
    expect(e instanceof ReadError || e instanceof DistReadError).toBe(true);
    const r = e as ReadError;
    expect(r.file).toBe('cut.pdf');
    expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(r.en).toMatch(/cut\.pdf/);
    // and the pool goes on working
    expect((await pool.read(pdf, 'again.pdf')).report.year).toBe(2024);
  });
});
