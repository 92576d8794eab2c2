/**
 * The readers patch two dependencies' internals: pdfjs-dist's worker code (src/read/pdfjs-worker.ts)
 * and word-extractor's compound-file walkers (src/read/doc.ts). Each names the release it was written
 * for and refuses any other. Here the installed releases must be exactly those: bumping either
 * package fails the suite until the patches are re-checked and the pinned version updated.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeError } from '../src/cli/errors.js';
import { assertWordExtractorVersion, installedWordExtractorVersion, WORD_EXTRACTOR_VERSION } from '../src/read/doc.js';
import { ReadError } from '../src/read/errors.js';
import {
  assertPdfjsVersion,
  decodeLimitActive,
  importedWorkerKind,
  importPdfjsWorker,
  installedPdfjsVersion,
  PDFJS_DIST_VERSION,
  patchWorkerSource,
  WORKER_PATCHES,
  workerSourcePath,
} from '../src/read/pdfjs-worker.js';

const require = createRequire(import.meta.url);
const installed = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;
const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

describe.each([
  {
    name: 'pdfjs-dist',
    pinned: PDFJS_DIST_VERSION,
    found: installedPdfjsVersion,
    assert: assertPdfjsVersion,
    file: 'src/read/pdfjs-worker.ts',
    constant: 'PDFJS_DIST_VERSION',
  },
  {
    name: 'word-extractor',
    pinned: WORD_EXTRACTOR_VERSION,
    found: installedWordExtractorVersion,
    assert: assertWordExtractorVersion,
    file: 'src/read/doc.ts',
    constant: 'WORD_EXTRACTOR_VERSION',
  },
])('$name: the release the patches were written for', ({ name, pinned, found, assert, file, constant }) => {
  it('is the one installed, and the one package.json pins exactly', () => {
    expect(installed(name)).toBe(pinned);
    expect(found()).toBe(pinned);
    expect(pkg.dependencies[name]).toBe(pinned);
    expect(() => assert()).not.toThrow();
  });

  it('any other release is refused with both versions named and what to do, in Chinese and English', () => {
    const other = `${pinned}-next.1`;
    let error: unknown;
    try {
      assert(other);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReadError);
    const e = error as ReadError;
    expect(e.code).toBe('unsupported');
    for (const text of [e.zh, e.en, e.message]) {
      expect(text).toContain(pinned);
      expect(text).toContain(other);
      expect(text).toContain(file);
      expect(text).toContain(constant);
    }
    expect(e.zh).toMatch(/请先.*核对.*再更新/);
    expect(e.en).toMatch(/re-check .* then update/);
    // what the command line prints for a file read with the wrong release: the sentences as they are
    const d = describeError(e, 'a.pdf');
    expect(d.zh).toBe(`文件 a.pdf：${e.zh}`);
    expect(d.en).toBe(`File a.pdf: ${e.en}`);
  });
});

describe('pdfjs-dist: the guard and the patch check together', () => {
  it('the installed worker takes every patch, and the loaded worker has the decode limit', async () => {
    expect(patchWorkerSource(readFileSync(workerSourcePath(), 'utf8')).missing).toEqual([]);
    expect(WORKER_PATCHES.length).toBeGreaterThan(0);
    await importPdfjsWorker();
    expect(importedWorkerKind()).not.toBeNull();
    expect(decodeLimitActive()).toBe(true);
  });
});
