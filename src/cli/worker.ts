import { parentPort } from 'node:worker_threads';
import { loadReport } from '../load.js';
import { describeError } from './errors.js';
import { ambiguityWarnings } from './format.js';

parentPort?.on('message', async (m: { id: number; file: string }) => {
  try {
    const report = await loadReport(m.file);
    const line = JSON.stringify({ file: m.file, ...report });
    parentPort?.postMessage({ id: m.id, line, ok: true, warnings: ambiguityWarnings(report, m.file) });
  } catch (e) {
    const d = describeError(e, m.file);
    parentPort?.postMessage({
      id: m.id,
      line: JSON.stringify({ file: m.file, error: `${d.zh} ${d.en}`, code: d.code }),
      ok: false,
      warnings: [],
    });
  }
});
