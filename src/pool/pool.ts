/**
 * A pool of worker threads for the CPU-heavy work — reading, checking, rendering — so that none of
 * it runs on the thread that answers requests, and so that no single input can take the process
 * down with it. Used by the server and by the command line's bulk mode.
 *
 * - Jobs are plain data; a worker runs them with the handler module named when the pool is made
 *   (`handlers`: a module exporting `runJob(job)`), so the pool knows nothing of what a job is.
 * - Each job has a hard wall-clock limit: past it the worker is terminated (`Worker.terminate()`
 *   stops even a loop that never yields) and the job fails with PoolError 'timeout'.
 * - Each worker has a memory limit (`resourceLimits`): a job that exceeds it kills only its worker
 *   (PoolError 'memory'); a replacement is started for the next job.
 * - The pool has at least two workers, even on one core, so one slow job never blocks every other.
 * - At most `maxQueue` jobs wait; beyond that a job fails at once with PoolError 'busy' and a
 *   suggested wait (the server answers 503 with Retry-After).
 * - A worker is replaced after `maxJobsPerWorker` jobs, so memory a library keeps never piles up.
 * - Workers run at a lower priority (nice 10 on Linux), so the thread that answers requests gets a
 *   core as soon as it has something to do, however busy the workers are.
 *
 * From the TypeScript sources (tests), workers load the handler through tsx; from the build, directly.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { NianbaoError } from '../model/errors.js';
import { reviveError, type SerializedError } from './errors.js';

export type PoolErrorCode = 'busy' | 'timeout' | 'memory' | 'crashed' | 'closed';

/** a job the pool could not run to its end; zh and en are one sentence each */
export class PoolError extends NianbaoError {
  declare readonly code: PoolErrorCode;
  constructor(
    code: PoolErrorCode,
    zh: string,
    en: string,
    /** 'busy': seconds after which to try again */
    readonly retryAfter?: number,
  ) {
    super(code, zh, en, retryAfter === undefined ? undefined : { retryAfter });
    this.name = 'PoolError';
  }
}

export interface PoolOptions {
  /** the module run in each worker: it exports `runJob(job): Promise<unknown>` */
  handlers: URL;
  /** workers (default: the cores, at least 2, at most 4) */
  size?: number;
  /** hard wall-clock limit of a job, ms (default 120 s; per job with `run(job, { timeoutMs })`) */
  timeoutMs?: number;
  /** jobs waiting for a worker before new ones are refused (default 64) */
  maxQueue?: number;
  /** old-generation heap of each worker, MB (default 1536) */
  memoryMb?: number;
  /** jobs a worker runs before it is replaced (default 500) */
  maxJobsPerWorker?: number;
  /** niceness of the worker threads on Linux (default 10: below the thread that answers requests) */
  nice?: number;
}

export interface RunOptions {
  timeoutMs?: number;
  /** names the input in messages (e.g. the file) */
  label?: string;
}

interface Pending {
  id: number;
  job: unknown;
  transfer: ArrayBuffer[];
  opts: RunOptions;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  jobs: number;
  running: Pending | null;
  timer: NodeJS.Timeout | null;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export const DEFAULT_POOL_SIZE = Math.min(4, Math.max(2, availableParallelism()));

export class JobPool {
  readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly memoryMb: number;
  private readonly maxJobs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** jobs finished, and workers lost to limits (for tests and monitoring) */
  readonly stats = { done: 0, timeouts: 0, memory: 0, crashes: 0, refused: 0, workersStarted: 0 };

  constructor(private readonly opts: PoolOptions) {
    this.size = Math.max(1, opts.size ?? DEFAULT_POOL_SIZE);
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.maxQueue = opts.maxQueue ?? 64;
    this.memoryMb = opts.memoryMb ?? 1536;
    this.maxJobs = opts.maxJobsPerWorker ?? 500;
  }

  /** jobs running and waiting */
  get load(): { running: number; waiting: number } {
    return { running: this.slots.filter((s) => s.running).length, waiting: this.queue.length };
  }

  run<T = unknown>(job: unknown, opts: RunOptions = {}, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new PoolError('closed', '服务正在停止，未处理。', 'The server is stopping; not processed.'));
    const free = this.slots.filter((x) => !x.running).length + (this.size - this.slots.length);
    if (this.queue.length >= this.maxQueue && free <= this.queue.length) {
      this.stats.refused++;
      const wait = Math.max(1, Math.ceil(((this.queue.length / this.size) * Math.min(this.timeoutMs, 10_000)) / 1000));
      return Promise.reject(
        new PoolError(
          'busy',
          `服务器正忙（${this.queue.length} 项任务在排队），请 ${wait} 秒后重试。`,
          `The server is busy (${this.queue.length} jobs waiting); try again in ${wait} s.`,
          wait,
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, transfer, opts, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  private spawn(): Slot {
    const url = this.opts.handlers;
    const resourceLimits = { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 64 };
    const workerData = { handlers: url.href, nice: this.opts.nice ?? 10 };
    const boot = new URL('./worker.js', import.meta.url);
    const fromSources = import.meta.url.endsWith('.ts');
    const worker = fromSources
      ? // tests run the TypeScript sources: register tsx in the worker, then load the entry
        new Worker(
          `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); })`,
          { eval: true, workerData, resourceLimits },
        )
      : new Worker(boot, { workerData, resourceLimits });
    this.stats.workersStarted++;
    let markReady: () => void = () => {};
    const slot: Slot = { worker, ready: new Promise<void>((r) => (markReady = r)), jobs: 0, running: null, timer: null };
    worker.on('message', (m: Reply | { ready: true }) => {
      if ('ready' in m) {
        markReady();
        return;
      }
      const p = slot.running;
      if (!p || p.id !== m.id) return;
      this.finish(slot);
      this.stats.done++;
      if (m.ok) p.resolve(m.value);
      else void reviveError(m.error).then(p.reject, p.reject);
      if (slot.jobs >= this.maxJobs) this.retire(slot);
      this.pump();
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const memory = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.lost(
        slot,
        memory
          ? new PoolError(
              'memory',
              `处理${this.what(slot)}所需内存超过每项任务 ${this.memoryMb} MB 的上限，已中止。`,
              `Processing ${this.whatEn(slot)} needed more than the ${this.memoryMb} MB memory limit of a job; stopped.`,
            )
          : new PoolError(
              'crashed',
              `处理${this.what(slot)}时工作线程意外终止（${e.message}），未完成。`,
              `The worker stopped unexpectedly while processing ${this.whatEn(slot)} (${e.message}).`,
            ),
      );
    });
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) {
        this.lost(
          slot,
          new PoolError(
            'crashed',
            `处理${this.what(slot)}时工作线程意外退出（${code}），未完成。`,
            `The worker exited (${code}) while processing ${this.whatEn(slot)}.`,
          ),
        );
      }
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private what(slot: Slot): string {
    const label = slot.running?.opts.label;
    return label ? `“${label}”` : '该任务';
  }

  private whatEn(slot: Slot): string {
    const label = slot.running?.opts.label;
    return label ? `"${label}"` : 'the job';
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.running = null;
    // an idle worker does not keep the process alive; a busy one does (see pump)
    slot.worker.unref();
  }

  /** a worker gone (limit, crash, timeout): its job fails, the rest go on */
  private lost(slot: Slot, error: PoolError): void {
    const p = slot.running;
    this.finish(slot);
    this.remove(slot);
    if (error.code === 'memory') this.stats.memory++;
    else if (error.code === 'crashed') this.stats.crashes++;
    p?.reject(error);
    this.pump();
  }

  private remove(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private retire(slot: Slot): void {
    this.remove(slot);
    void slot.worker.terminate();
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => !s.running);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift() as Pending;
      slot.running = p;
      slot.jobs++;
      slot.worker.ref();
      const timeout = p.opts.timeoutMs ?? this.timeoutMs;
      const s = slot;
      // the clock starts when the worker has loaded its modules, not while it starts up
      void slot.ready.then(() => {
        if (s.running !== p) return;
        s.timer = setTimeout(() => {
          if (s.running !== p) return;
          this.stats.timeouts++;
          const seconds = Math.round(timeout / 100) / 10;
          const error = new PoolError(
            'timeout',
            `处理${this.what(s)}超过 ${seconds} 秒的时限，已中止。`,
            `Processing ${this.whatEn(s)} took longer than the limit of ${seconds} s; stopped.`,
          );
          this.finish(s);
          this.remove(s);
          void s.worker.terminate();
          p.reject(error);
          this.pump();
        }, timeout);
        s.worker.postMessage({ id: p.id, job: p.job }, p.transfer);
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0))
      p.reject(new PoolError('closed', '服务正在停止，未处理。', 'The server is stopping; not processed.'));
    const slots = this.slots.splice(0);
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      s.running?.reject(new PoolError('closed', '服务正在停止，未处理。', 'The server is stopping; not processed.'));
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
