/**
 * Reading uploads off the request thread. Reading a PDF takes 0.3–1 s of CPU, a large DOCX or
 * XLSX some 100 ms: done on the server's thread it would stall every other request meanwhile. PDF,
 * DOCX and XLSX uploads, and any input over 256 KB, are read by a small pool of worker threads
 * (one per core but one, at least one, at most 4); small text is read in place, where the copy to
 * a thread would cost more than the reading.
 *
 * Running from the TypeScript sources (tests), there is no compiled worker: everything is read in
 * place, with the same result.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ReadError, type ReadErrorCode } from '../read/errors.js';
import { type ReadInput, readInput } from './pipeline.js';

const IN_PLACE_MAX = 256 * 1024;

type Reply =
  | { id: number; ok: true; result: ReadInput }
  | { id: number; ok: false; error: { code?: ReadErrorCode; file?: string; zh?: string; en?: string; message?: string } };

interface Job {
  id: number;
  bytes: Uint8Array;
  name: string;
  resolve: (r: ReadInput) => void;
  reject: (e: unknown) => void;
}

/** a ZIP (DOCX/XLSX) or PDF by its first bytes */
function isBinaryDocument(bytes: Uint8Array): boolean {
  return (bytes[0] === 0x50 && bytes[1] === 0x4b) || (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46);
}

export class ReadPool {
  private readonly workerUrl = new URL('./read-worker.js', import.meta.url);
  private readonly size: number;
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private queue: Job[] = [];
  private running = new Map<Worker, Job>();
  private nextId = 1;
  private closed = false;

  constructor(size = Math.min(4, Math.max(1, availableParallelism() - 1))) {
    // compiled build only (dist/server/read-worker.js); from the sources, read in place
    this.size = existsSync(fileURLToPath(this.workerUrl)) ? size : 0;
  }

  /** whether inputs go to threads at all */
  get threaded(): boolean {
    return this.size > 0;
  }

  read(bytes: Uint8Array, name: string): Promise<ReadInput> {
    if (this.size === 0 || this.closed || (bytes.length <= IN_PLACE_MAX && !isBinaryDocument(bytes))) return readInput(bytes, name);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bytes, name, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    const w = new Worker(this.workerUrl);
    w.on('message', (m: Reply) => {
      const job = this.running.get(w);
      this.running.delete(w);
      this.idle.push(w);
      if (job) {
        if (m.ok) job.resolve(m.result);
        else if (m.error.code && m.error.zh && m.error.en) {
          job.reject(new ReadError(m.error.code, m.error.file ?? job.name, m.error.zh, m.error.en));
        } else job.reject(new Error(m.error.message ?? 'read failed'));
      }
      this.pump();
    });
    // a thread that dies (out of memory on a hostile file) fails its job only; a new one replaces it
    w.on('error', (e) => this.lost(w, e));
    w.on('exit', (code) => {
      if (code !== 0) this.lost(w, new Error(`reader thread exited with ${code}`));
    });
    w.unref();
    this.workers.push(w);
    return w;
  }

  private lost(w: Worker, e: unknown): void {
    const job = this.running.get(w);
    this.running.delete(w);
    this.workers = this.workers.filter((x) => x !== w);
    this.idle = this.idle.filter((x) => x !== w);
    if (job) {
      job.reject(
        new ReadError(
          'corrupt',
          job.name,
          `读取文件 ${job.name} 时读取线程意外终止（${e instanceof Error ? e.message : String(e)}），文件可能已损坏。`,
          `The reader thread stopped while reading ${job.name} (${e instanceof Error ? e.message : String(e)}); the file may be corrupt.`,
        ),
      );
    }
    this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let w = this.idle.pop();
      if (!w && this.workers.length < this.size) w = this.spawn();
      if (!w) return;
      const job = this.queue.shift()!;
      this.running.set(w, job);
      w.postMessage({ id: job.id, bytes: job.bytes, name: job.name });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue) j.reject(new Error('server closing'));
    this.queue = [];
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
    this.idle = [];
  }
}
