/** A worker of the JobPool (./pool.ts): loads the handler module, then runs one job at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from './errors.js';

const { handlers } = workerData as { handlers: string };
const mod = (await import(handlers)) as { runJob(job: unknown): Promise<unknown> };

parentPort?.on('message', async (m: { id: number; job: unknown }) => {
  try {
    const value = await mod.runJob(m.job);
    parentPort?.postMessage({ id: m.id, ok: true, value });
  } catch (e) {
    parentPort?.postMessage({ id: m.id, ok: false, error: serializeError(e) });
  }
});
parentPort?.postMessage({ ready: true });
