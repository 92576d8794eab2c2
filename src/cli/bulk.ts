/**
 * Bulk parsing: many files on every core, results written in a stable order
 * as JSON Lines, with a bounded number of files in flight (flat memory).
 */
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

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

/** parse files in worker threads; `emit` is called in input order */
export async function parseBulk(
  files: string[],
  emit: (r: BulkResult) => void,
  threads = availableParallelism(),
): Promise<{ failed: number }> {
  const n = Math.max(1, Math.min(threads, files.length));
  const workerUrl = new URL('./worker.js', import.meta.url);
  const workers = Array.from({ length: n }, () => new Worker(workerUrl));
  const pending = new Map<number, BulkResult>();
  let next = 0; // next index to dispatch
  let flushed = 0; // next index to emit
  let failed = 0;
  const window = n * 4;
  await new Promise<void>((resolve, reject) => {
    if (files.length === 0) return resolve();
    const dispatch = (w: Worker) => {
      if (next >= files.length || next - flushed >= window) return false;
      const id = next++;
      w.postMessage({ id, file: files[id] });
      return true;
    };
    const idle: Worker[] = [];
    for (const w of workers) {
      w.on('message', (m: { id: number; line: string; ok: boolean; warnings: string[] }) => {
        pending.set(m.id, { file: files[m.id], line: m.line, ok: m.ok, warnings: m.warnings });
        while (pending.has(flushed)) {
          const r = pending.get(flushed)!;
          pending.delete(flushed);
          if (!r.ok) failed++;
          emit(r);
          flushed++;
        }
        if (!dispatch(w)) idle.push(w);
        while (idle.length > 0 && next < files.length && next - flushed < window) dispatch(idle.pop()!);
        if (flushed === files.length) resolve();
      });
      w.on('error', reject);
      if (!dispatch(w)) idle.push(w);
    }
  });
  await Promise.all(workers.map((w) => w.terminate()));
  return { failed };
}
