import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared beside the repository (CI clones it there), or NIANBAO_SHARED */
export const SHARED = process.env.NIANBAO_SHARED ?? resolve(import.meta.dirname, '../../../shared');
export const SEEDS = join(SHARED, 'seeds');
export const CORPUS = join(SHARED, 'corpus');
export const EXPECTED = resolve(import.meta.dirname, '../expected');

export function seedFiles(): string[] {
  return readdirSync(SEEDS)
    .filter((f) => f.endsWith('.txt'))
    .sort();
}
