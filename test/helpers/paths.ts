import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** the published reports the tests use, copied into the repository (test/fixtures/README.md) */
export const FIXTURES = resolve(import.meta.dirname, '../fixtures');
export const SEEDS = join(FIXTURES, 'seeds');
export const CORPUS = join(FIXTURES, 'corpus');
export const EXPECTED = resolve(import.meta.dirname, '../expected');

export function seedFiles(): string[] {
  return readdirSync(SEEDS)
    .filter((f) => f.endsWith('.txt'))
    .sort();
}
