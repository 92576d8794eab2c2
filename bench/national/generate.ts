/**
 * Generates (or completes) the cached sample of bench/national.bench.ts without measuring
 * anything: npx tsx bench/national/generate.ts [N]   (default 5000; NATIONAL_PROCS renderers)
 */
import { ensureSample } from './sample.js';

const n = Number(process.argv[2] ?? 5000);
const s = await ensureSample(n, { procs: process.env.NATIONAL_PROCS ? Number(process.env.NATIONAL_PROCS) : undefined });
console.log(`${s.dir}: ${s.entries.length} reports`);
