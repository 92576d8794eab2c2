import { splitsWithTotals } from '../src/extract/recover.js';
for (const s of ['36111271212947418212739975', '1371117129474182127' + '3975', '19150273036' + '32366']) {
  const t = performance.now();
  const r = splitsWithTotals([s], 1, 7, 5000, 5_000_000);
  console.log(s.length, r.length, r.truncated, (performance.now() - t).toFixed(1), 'ms');
}
