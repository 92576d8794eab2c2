/** A worker of the JobPool (./pool.ts): loads the handler module, then runs one job at a time. */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from './errors.js';

const { handlers, nice } = workerData as { handlers: string; nice?: number };

// a worker's work is never more urgent than answering requests: on Linux this thread (its own task id,
// from /proc/thread-self) runs at a lower priority than the request thread; elsewhere nothing changes
if (nice) {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // not Linux, or not allowed: same priority as the rest
  }
}
/**
 * the handler module: `runJob(job)`, and optionally `transferOf(value)`, the ArrayBuffers of a result to
 * move to the pool's thread rather than copy (they must not be shared with anything else in the worker)
 */
const mod = (await import(handlers)) as { runJob(job: unknown): Promise<unknown>; transferOf?(value: unknown): ArrayBuffer[] };

parentPort?.on('message', async (m: { id: number; job: unknown }) => {
  try {
    const value = await mod.runJob(m.job);
    parentPort?.postMessage({ id: m.id, ok: true, value }, mod.transferOf?.(value) ?? []);
  } catch (e) {
    parentPort?.postMessage({ id: m.id, ok: false, error: serializeError(e) });
  }
});
parentPort?.postMessage({ ready: true });
