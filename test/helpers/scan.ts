/**
 * A scanned report made from a born-digital one, as a scanner would: every page rasterised by
 * Poppler's pdftoppm (greyscale, at `dpi`) and wrapped back into a PDF of images only (no text
 * layer), one image a page at the page's size. Needs pdftoppm (poppler-utils).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zlibSync } from 'fflate';
import { parsePgm } from '../../src/read/ocr.js';

export function hasPdftoppm(): boolean {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** PDF of the page images of `pdf` (each page rasterised at `dpi`, 8-bit grey) */
export function scanPdf(pdf: Uint8Array, dpi = 200): Uint8Array {
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-scan-'));
  try {
    writeFileSync(path.join(dir, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', path.join(dir, 'in.pdf'), path.join(dir, 'p')]);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.pgm'))
      .sort((a, b) => Number(/(\d+)\.pgm$/.exec(a)?.[1]) - Number(/(\d+)\.pgm$/.exec(b)?.[1]));
    return imagesPdf(
      files.map((f) => parsePgm(new Uint8Array(readFileSync(path.join(dir, f))))),
      dpi,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** a PDF with one greyscale image a page, each page the image's size at `dpi` */
export function imagesPdf(images: { width: number; height: number; data: Uint8Array }[], dpi: number): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let size = 0;
  const put = (b: Uint8Array | string) => {
    const bytes = typeof b === 'string' ? enc.encode(b) : b;
    parts.push(bytes);
    size += bytes.length;
  };
  const obj = (n: number, body: string | Uint8Array[], dict?: string) => {
    offsets[n] = size;
    if (typeof body === 'string') put(`${n} 0 obj\n${body}\nendobj\n`);
    else {
      put(`${n} 0 obj\n${dict}\nstream\n`);
      for (const b of body) put(b);
      put('\nendstream\nendobj\n');
    }
  };
  put('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n');
  const pageIds = images.map((_, i) => 3 + i * 3);
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  obj(2, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${images.length} >>`);
  images.forEach((img, i) => {
    const id = pageIds[i];
    const w = (img.width * 72) / dpi;
    const h = (img.height * 72) / dpi;
    obj(
      id,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w.toFixed(2)} ${h.toFixed(2)}] /Resources << /XObject << /Im0 ${id + 1} 0 R >> >> /Contents ${id + 2} 0 R >>`,
    );
    const data = zlibSync(img.data.slice(0, img.width * img.height));
    obj(
      id + 1,
      [data],
      `<< /Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length ${data.length} >>`,
    );
    const content = `q ${w.toFixed(2)} 0 0 ${h.toFixed(2)} 0 0 cm /Im0 Do Q`;
    obj(id + 2, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  });
  const xref = size;
  const count = 3 + images.length * 3;
  let table = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let n = 1; n < count; n++) table += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  put(`${table}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
