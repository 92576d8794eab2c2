/**
 * Bulk parsing: many files on as many cores as the work is worth, results written in a stable
 * order, with a bounded number of files in flight and the output back-pressured (flat memory
 * whatever the number of files and however slow the reader of the output).
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { ProvenanceMode } from '../model/provenance.js';
import { JobPool } from '../pool/pool.js';
import { describeError } from './errors.js';
import type { ParseFileJob, ParseFileResult, ParseFilesJob, ParseFilesResult } from './jobs.js';

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
  // folders already walked (by their real path): a symbolic link back up the tree is not followed twice
  const walked = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    const real = await realpath(dir).catch(() => dir);
    if (walked.has(real)) return;
    walked.add(real);
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      // a symbolic link is taken for what it points to, as `nianbao import` does (a dangling one is skipped)
      const kind = e.isSymbolicLink() ? await stat(p).catch(() => null) : e;
      if (kind?.isDirectory()) await walk(p);
      else if (kind?.isFile() && SUPPORTED.has(extname(e.name).toLowerCase())) out.push(p);
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
 * Files a worker runs before it is replaced (memory a library keeps never piles up): far more than
 * the pool's default, since starting a worker costs as much CPU as parsing hundreds of text reports.
 */
export const BULK_JOBS_PER_WORKER = 10_000;

/**
 * The rough cost of a file by its extension, in text reports (about half a millisecond each): the
 * reader is chosen by content, so this only sizes the pool.
 */
function costOf(file: string): number {
  switch (extname(file).toLowerCase()) {
    case '.pdf':
      return 200;
    case '.docx':
    case '.xlsx':
      return 20;
    case '.doc':
      return 10;
    default:
      return 1;
  }
}

/** the work a worker thread must have to be worth starting (its start-up costs about this many text reports) */
export const WORK_PER_WORKER = 300;

/**
 * How many worker threads for these files: none (the files are read on this thread, like a single
 * file) when they are few text files — less work than starting one worker; otherwise one worker per
 * WORK_PER_WORKER of estimated work, at most `threads` and one per file. A document reader (PDF, Word,
 * Excel) always runs in a worker, under the pool's time and memory limits.
 */
export function workersFor(files: string[], threads = availableParallelism()): number {
  let work = 0;
  let documents = false;
  for (const f of files) {
    const c = costOf(f);
    work += c;
    if (c > 1) documents = true;
  }
  if (!documents && work < WORK_PER_WORKER / 2) return 0;
  return Math.max(1, Math.min(threads, files.length, Math.ceil(work / WORK_PER_WORKER)));
}

export interface RunOptions {
  threads?: number;
  /** the job of a file */
  job: (file: string) => ParseFileJob;
  /** called in input order */
  emit: (file: string, r: ParseFileResult) => void;
  /** null when more files may be started; else a promise that resolves when they may (the output drained) */
  blocked?: () => Promise<void> | null;
  /** tests: another handler module for the workers, another time limit a file */
  handlers?: URL;
  timeoutMs?: number;
}

/** the handler module of the jobs, from the sources (tests) or the build */
const HANDLERS = new URL(import.meta.url.endsWith('.ts') ? './jobs.ts' : './jobs.js', import.meta.url);

/** at most this many cheap files (text, HTML, Markdown) go to a worker in one message */
export const BATCH = 16;

/**
 * Run the jobs of `files` (on the worker pool, src/pool/pool.ts, or on this thread for a small job),
 * calling `emit` in input order. Cheap files go to the workers in batches (fewer round trips through
 * this thread, during which a worker would wait); a document (PDF, Word, Excel) goes alone. A file
 * that runs past its time or memory limit is killed with its worker and reported as an error; the
 * files of its batch are run again one by one, so only that file fails; the run goes on. At most a
 * few jobs per worker are in flight, and none is started while `blocked()` says so.
 */
export async function runBulk(files: string[], o: RunOptions): Promise<void> {
  if (files.length === 0) return;
  const fail = (file: string, e: unknown): ParseFileResult => {
    const d = describeError(e, file);
    return { line: JSON.stringify({ file, error: `${d.zh} ${d.en}`, code: d.code }), ok: false, warnings: [], error: `${d.zh} ${d.en}` };
  };
  const n = workersFor(files, o.threads);
  if (n === 0) {
    // the readers are loaded here only now (the worker threads load them otherwise)
    const jobs = await import('./jobs.js');
    for (const file of files) {
      const wait = o.blocked?.();
      if (wait) await wait;
      let r: ParseFileResult;
      try {
        r = await jobs.runJob(o.job(file));
      } catch (e) {
        r = fail(file, e);
      }
      o.emit(file, r);
    }
    return;
  }
  /** jobs in flight (each a file or a batch), and files in flight */
  const jobWindow = n * 4;
  const fileWindow = jobWindow * BATCH;
  const timeoutMs = o.timeoutMs ?? BULK_FILE_TIMEOUT_MS;
  const pool = new JobPool({
    handlers: o.handlers ?? HANDLERS,
    size: n,
    timeoutMs,
    maxQueue: jobWindow,
    maxJobsPerWorker: BULK_JOBS_PER_WORKER,
    // no thread here answers requests (the server's reason for running its workers at a lower
    // priority): the command's workers compete for the cores like any other command
    nice: 0,
  });
  const done = new Map<number, ParseFileResult>();
  let next = 0; // next index to dispatch
  let flushed = 0; // next index to emit
  let jobs = 0; // jobs in flight
  let waiting = false; // dispatching waits for the output to drain
  try {
    await new Promise<void>((resolve, reject) => {
      const one = (id: number) =>
        pool.run<ParseFileResult>(o.job(files[id]), { label: files[id] }).catch((e: unknown) => fail(files[id], e));
      const dispatch = () => {
        while (next < files.length && next - flushed < fileWindow && jobs < jobWindow) {
          let wait: Promise<void> | null | undefined;
          try {
            wait = o.blocked?.();
          } catch (e) {
            reject(e); // the output failed
            return;
          }
          if (wait) {
            if (!waiting) {
              waiting = true;
              wait.then(() => {
                waiting = false;
                dispatch();
              }, reject);
            }
            return;
          }
          const first = next;
          let end = first + 1;
          if (costOf(files[first]) === 1) {
            // batches shrink towards the end, so that the last files are shared by the workers
            const size = Math.max(1, Math.min(BATCH, Math.floor((files.length - first) / (n * 4))));
            while (end < files.length && end - first < size && costOf(files[end]) === 1) end++;
          }
          next = end;
          jobs++;
          if (end - first === 1) {
            void one(first).then((r) => {
              jobs--;
              settle([[first, r]]);
            });
            continue;
          }
          const ids = Array.from({ length: end - first }, (_, k) => first + k);
          const batch: ParseFilesJob = { kind: 'parseFiles', jobs: ids.map((id) => o.job(files[id])) };
          void pool
            .run<ParseFilesResult>(batch, { label: `${files[first]} …` })
            .then(
              (r) => ids.map((id, k): [number, ParseFileResult] => [id, r.results[k]]),
              // killed (time, memory) or crashed: each file of the batch again on its own, one after
              // the other (in this job's place in the pool), so that only the bad one fails
              async () => {
                const again: [number, ParseFileResult][] = [];
                for (const id of ids) again.push([id, await one(id)]);
                return again;
              },
            )
            .then((results) => {
              jobs--;
              settle(results);
            });
        }
      };
      const settle = (results: [number, ParseFileResult][]) => {
        for (const [id, r] of results) done.set(id, r);
        try {
          while (done.has(flushed)) {
            const x = done.get(flushed) as ParseFileResult;
            done.delete(flushed);
            o.emit(files[flushed], x);
            flushed++;
          }
        } catch (e) {
          reject(e);
          return;
        }
        if (flushed === files.length) resolve();
        else dispatch();
      };
      dispatch();
    });
  } finally {
    await pool.close();
  }
}

/**
 * parse files into JSON lines (full provenance); `emit` is called in input order. A file that
 * cannot be read gives its error line (`{file, error, code}`, ok false).
 */
export async function parseBulk(
  files: string[],
  emit: (r: BulkResult) => void,
  threads = availableParallelism(),
): Promise<{ failed: number }> {
  let failed = 0;
  await runBulk(files, {
    threads,
    job: (file) => ({ kind: 'parseFile', file }),
    emit: (file, r) => {
      if (!r.ok) failed++;
      emit({ file, line: r.line, ok: r.ok, warnings: r.warnings });
    },
  });
  return { failed };
}

export interface WriteBulkOptions {
  threads?: number;
  /** JSON Lines (default) or the Chinese summary of each report */
  output?: 'json' | 'summary';
  provenance?: ProvenanceMode;
  /** where warnings and errors go (default stderr) */
  log?: (s: string) => void;
}

/** bytes gathered before one write: fewer, larger writes */
const CHUNK = 256 * 1024;

/**
 * `nianbao parse FILE|DIR…` of several files: each file's JSON line (or summary) written to `out` in
 * input order; warnings and the error of each file that cannot be read to `log`. The workers hand
 * over their output as bytes; no more files are started while `out` has more than its high-water
 * mark waiting (it is waited on to drain), so memory stays flat when its reader is slow.
 */
export async function writeBulk(files: string[], out: Writable, o: WriteBulkOptions = {}): Promise<{ failed: number }> {
  const log = o.log ?? ((s: string) => void process.stderr.write(s));
  const output = o.output ?? 'json';
  const provenance = o.provenance ?? 'full';
  let failed = 0;
  let chunks: Uint8Array[] = [];
  let size = 0;
  let drained: Promise<void> | null = null;
  let error: Error | null = null;
  const onError = (e: Error) => {
    error ??= e;
  };
  out.on('error', onError);
  const flush = () => {
    if (size === 0) return;
    const data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    chunks = [];
    size = 0;
    if (!out.write(data) && !drained) {
      drained = new Promise<void>((resolve) => {
        const go = () => {
          out.off('drain', go);
          out.off('close', go);
          drained = null;
          resolve();
        };
        out.on('drain', go);
        out.on('close', go);
      });
    }
  };
  let scheduled = false;
  const enc = new TextEncoder();
  try {
    await runBulk(files, {
      threads: o.threads,
      job: (file) => ({ kind: 'parseFile', file, provenance, output, encode: true }),
      emit: (_file, r) => {
        if (error) throw error;
        for (const w of r.warnings) log(`${w}\n`);
        if (!r.ok) {
          failed++;
          log(`错误：${r.error}\n`);
        }
        // (a file that failed has no summary; its error line is JSON output's)
        const bytes = r.bytes ?? (output === 'summary' ? (r.ok ? enc.encode(r.line) : new Uint8Array(0)) : enc.encode(`${r.line}\n`));
        if (bytes.length > 0) {
          chunks.push(bytes);
          size += bytes.length;
        }
        // written when a chunk is full, or once the results that arrived together are in
        if (size >= CHUNK) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            flush();
          });
        }
      },
      blocked: () => {
        if (error) throw error;
        return drained;
      },
    });
    flush();
    if (drained) await drained;
    if (error) throw error;
  } finally {
    out.off('error', onError);
  }
  return { failed };
}
