/** The seeded generator of legal register cases lives in src/register/generate.ts; re-exported for the tests and benchmarks. */
export { daysBetween, generate, mulberry32, newCase, randomCase, withProceedings } from '../../src/register/generate.js';
