import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parse.js';
import { comparable } from './helpers/expect-report.js';
import { CORPUS, EXPECTED } from './helpers/paths.js';

describe('corpus PDFs parse to their hand-checked Report JSON', () => {
  for (const name of ['huaian-hongze-2023', 'huaian-hongze-2024', 'huaian-city-2024']) {
    it(name, async () => {
      const expected = JSON.parse(readFileSync(join(EXPECTED, 'corpus', `${name}.json`), 'utf8'));
      const r = await parseFile(join(CORPUS, 'pdf', `${name}.pdf`));
      expect(comparable(r)).toEqual(expected);
    });
  }

  it('marks the Hongze reports as the mixed 2021/2019 template', async () => {
    const r = await parseFile(join(CORPUS, 'pdf', 'huaian-hongze-2024.pdf'));
    expect(r.template?.mixedOtherHandling).toBe(true);
    const city = await parseFile(join(CORPUS, 'pdf', 'huaian-city-2024.pdf'));
    expect(city.template?.mixedOtherHandling).toBe(false);
  });

  it('traces PDF cells to their page and position', async () => {
    const r = await parseFile(join(CORPUS, 'pdf', 'huaian-hongze-2024.pdf'));
    const p = r.provenance?.['applications.partlyGranted.naturalPerson'];
    expect(p?.raw).toBe('9');
    expect(p?.prov).toMatchObject({ kind: 'pdf', page: 3 });
  });

  it('reads the blank Word template as a report with every cell blank', async () => {
    const r = await parseFile(join(CORPUS, 'docx', 'template-2021.docx'));
    expect(r.format).toBe('2021');
    expect(Object.values(r.applications).every((row) => Object.values(row).every((v) => v === null))).toBe(true);
    expect(Object.keys(r.applications)).toHaveLength(25);
    expect(r.labels).toEqual([]);
  });
});
