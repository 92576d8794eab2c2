/** A reader thread of the server's pool (./read-pool.ts): bytes → Report and source lines. */
import { parentPort } from 'node:worker_threads';
import { ReadError } from '../read/errors.js';
import { readInput } from './pipeline.js';

parentPort?.on('message', async (m: { id: number; bytes: Uint8Array; name: string }) => {
  try {
    const r = await readInput(m.bytes, m.name);
    parentPort?.postMessage({ id: m.id, ok: true, result: r });
  } catch (e) {
    if (e instanceof ReadError) {
      parentPort?.postMessage({ id: m.id, ok: false, error: { code: e.code, file: e.file, zh: e.zh, en: e.en } });
    } else {
      parentPort?.postMessage({ id: m.id, ok: false, error: { message: e instanceof Error ? e.message : String(e) } });
    }
  }
});
