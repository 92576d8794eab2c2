/**
 * The PDF reader runs a patched copy of pdfjs's worker code (src/read/pdfjs-worker.ts):
 * faster, and it must read every document exactly as the plain worker does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { readPdf } from '../src/read/pdf.js';
import { importedWorkerKind, patchesEnabled, patchWorkerSource, WORKER_PATCHES, workerSourcePath } from '../src/read/pdfjs-worker.js';
import { locateFonts, renderPdf } from '../src/render/pdf.js';
import { sampleReport2019 } from './helpers/arbitrary.js';
import { CORPUS, SEEDS, seedFiles } from './helpers/paths.js';

const ROOT = resolve(import.meta.dirname, '..');
const source = readFileSync(workerSourcePath(), 'utf8');

describe('patching the pdfjs worker', () => {
  it('every patch applies exactly once to the installed pdfjs-dist', () => {
    const { source: patched, missing } = patchWorkerSource(source);
    expect(missing).toEqual([]);
    expect(patched).not.toBe(source);
    for (const p of WORKER_PATCHES) {
      expect(patched.includes(p.replace), p.name).toBe(true);
      expect(patched.includes(p.find), p.name).toBe(false);
    }
  });

  it('when one piece is not found (another pdfjs version), nothing is patched', () => {
    const other = source.replace(WORKER_PATCHES[2].find, '/* changed upstream */');
    const { source: out, missing } = patchWorkerSource(other);
    expect(missing).toEqual([WORKER_PATCHES[2].name]);
    expect(out).toBe(other);
  });

  it('a piece found twice is not patched either', () => {
    const twice = `${source}\n${WORKER_PATCHES[0].find}`;
    expect(patchWorkerSource(twice).missing).toEqual([WORKER_PATCHES[0].name]);
  });

  it('NIANBAO_PDFJS_PATCHES=0 turns the patches off', () => {
    expect(patchesEnabled({})).toBe(true);
    expect(patchesEnabled({ NIANBAO_PDFJS_PATCHES: '0' })).toBe(false);
  });
});

let fontsInstalled = true;
try {
  locateFonts();
} catch {
  fontsInstalled = false;
}

describe('the patched worker reads what the plain worker reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-pdfjs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('corpus PDFs, our own rendered PDFs and the fixtures give the same document model', { timeout: 120_000 }, async () => {
    const files: string[] = [];
    for (const f of readdirSync(join(CORPUS, 'pdf')).filter((n) => n.endsWith('.pdf'))) files.push(join(CORPUS, 'pdf', f));
    files.push(join(ROOT, 'test/fixtures/pdf/owner-password-only.pdf'));
    // PDFs with CID fonts of another producer (pdfmake, Noto CJK): a seed and a 2019-format report
    if (fontsInstalled || process.env.CI) {
      const seed = seedFiles()[0];
      const report = await parseBytes(new Uint8Array(readFileSync(join(SEEDS, seed))), seed);
      for (const [name, r] of [
        ['seed.pdf', report],
        ['sample-2019.pdf', sampleReport2019()],
      ] as const) {
        const out = join(dir, name);
        writeFileSync(out, await renderPdf(r));
        files.push(out);
      }
    }

    const patched: Record<string, unknown> = {};
    // (the pdfjs engine: PDFium reads these documents by default)
    for (const f of files) patched[f] = await readPdf(new Uint8Array(readFileSync(f)), f, { engine: 'pdfjs' });
    expect(importedWorkerKind()).toBe('patched');

    // the same files read in another process with the plain pdfjs worker
    const script = `
      import { readFileSync } from 'node:fs';
      import { readPdf } from ${JSON.stringify(join(ROOT, 'src/read/pdf.ts'))};
      import { importedWorkerKind } from ${JSON.stringify(join(ROOT, 'src/read/pdfjs-worker.ts'))};
      const out = {};
      for (const f of ${JSON.stringify(files)}) out[f] = await readPdf(new Uint8Array(readFileSync(f)), f, { engine: 'pdfjs' });
      process.stdout.write(JSON.stringify({ kind: importedWorkerKind(), out }));
    `;
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, NIANBAO_PDFJS_PATCHES: '0' },
      maxBuffer: 64 * 1024 * 1024,
    }).toString('utf8');
    const plain = JSON.parse(stdout) as { kind: string; out: Record<string, unknown> };
    expect(plain.kind).toBe('plain');
    for (const f of files) expect(JSON.parse(JSON.stringify(patched[f])), f).toEqual(plain.out[f]);
  });
});
