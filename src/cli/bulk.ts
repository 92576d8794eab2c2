/**
 * Bulk parsing: many files on every core, results written in a stable order
 * as JSON Lines, with a bounded number of files in flight (flat memory).
 */
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { JobPool } from '../pool/pool.js';
import { errorLine, type ParseFileResult } from './jobs.js';

export const SUPPORTED = new Set([
  '.txt',
  '.text',
  '.md',
  '.markdown',
  '.html',
  '.htm',
  '.shtml',
  '.xhtml',
  '.docx',
  '.doc',
  '.pdf',
  '.xlsx',
]);

/** expand folders recursively (supported extensions only), keep files as given; sorted, stable */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && SUPPORTED.has(extname(e.name).toLowerCase())) out.push(p);
    }
  };
  for (const i of inputs) {
    let st: Awaited<ReturnType<typeof stat>> | null = null;
    try {
      st = await stat(i);
    } catch {
      st = null;
    }
    if (st?.isDirectory()) await walk(i);
    else out.push(i);
  }
  return out;
}

export interface BulkResult {
  file: string;
  /** the JSON line (without newline) */
  line: string;
  ok: boolean;
  warnings: string[];
}

/** the hard time limit of one file in bulk mode (the PDF reader itself gives up at 60 s, plus 30 s a scanned page) */
export const BULK_FILE_TIMEOUT_MS = 300_000;

/**
 * parse files on the worker pool (src/pool/pool.ts); `emit` is called in input order. A file that
 * runs past its time or memory limit is killed with its worker and reported as an error line; the
 * run goes on.
 */
export async function parseBulk(
  files: string[],
  emit: (r: BulkResult) => void,
  threads = availableParallelism(),
): Promise<{ failed: number }> {
  if (files.length === 0) return { failed: 0 };
  const n = Math.max(1, Math.min(threads, files.length));
  const window = n * 4;
  const here = import.meta.url.endsWith('.ts') ? './jobs.ts' : './jobs.js';
  const pool = new JobPool({ handlers: new URL(here, import.meta.url), size: n, timeoutMs: BULK_FILE_TIMEOUT_MS, maxQueue: window });
  const done = new Map<number, BulkResult>();
  let next = 0; // next index to dispatch
  let flushed = 0; // next index to emit
  let failed = 0;
  try {
    await new Promise<void>((resolve) => {
      const dispatch = () => {
        while (next < files.length && next - flushed < window) {
          const id = next++;
          const file = files[id];
          pool.run<ParseFileResult>({ kind: 'parseFile', file }, { label: file }).then(
            (r) => settle(id, { file, line: r.line, ok: r.ok, warnings: r.warnings }),
            (e: unknown) => settle(id, { file, line: errorLine(file, e), ok: false, warnings: [] }),
          );
        }
      };
      const settle = (id: number, r: BulkResult) => {
        done.set(id, r);
        while (done.has(flushed)) {
          const x = done.get(flushed) as BulkResult;
          done.delete(flushed);
          if (!x.ok) failed++;
          emit(x);
          flushed++;
        }
        if (flushed === files.length) resolve();
        else dispatch();
      };
      dispatch();
    });
  } finally {
    await pool.close();
  }
  return { failed };
}
