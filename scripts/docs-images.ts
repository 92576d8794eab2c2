/**
 * Pictures of what `nianbao render` produces, one per output format, for docs/.
 * Needs LibreOffice (DOCX, XLSX → PDF), poppler-utils (PDF → PNG) and Chromium
 * (HTML and Markdown screenshots): apt-get install -y libreoffice-writer-nogui
 * libreoffice-calc-nogui poppler-utils chromium. Run: npm run docs:images
 * (docs/render-pdf.png is made by the PDF renderer's test.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { render } from '../src/render/index.js';
import { sampleReport2021 } from '../test/helpers/arbitrary.js';

const docs = resolve(import.meta.dirname, '../docs');
const tmp = mkdtempSync(join(tmpdir(), 'nianbao-docs-'));
const report = sampleReport2021();

/** the page of a PDF that holds 表二, as a PNG at 80 dpi */
function pdfPage(pdf: string, out: string, page: number): void {
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(page), '-l', String(page), '-singlefile', pdf, join(tmp, 'page')]);
  renameSync(join(tmp, 'page.png'), out);
}

function office(file: string): string {
  execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', tmp, file], { stdio: 'ignore', timeout: 120_000 });
  return file.replace(/\.(docx|xlsx)$/, '.pdf');
}

function screenshot(html: string, out: string, height: number): void {
  const file = join(tmp, `shot-${Date.now()}.html`);
  writeFileSync(file, html);
  execFileSync(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      `--window-size=1000,${height}`,
      `--screenshot=${out}`,
      `file://${file}`,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
}

const docx = join(tmp, 'report.docx');
writeFileSync(docx, await render(report, 'docx', {}));
pdfPage(office(docx), join(docs, 'render-docx.png'), 3);

const xlsx = join(tmp, 'report.xlsx');
writeFileSync(xlsx, await render(report, 'xlsx', {}));
const xlsxPdf = office(xlsx);
// the third page of the workbook's PDF: the sheet of 表一
pdfPage(xlsxPdf, join(docs, 'render-xlsx.png'), 3);

const html = Buffer.from(await render(report, 'html', {})).toString('utf8');
// the top of the page: title, 一 and 表一
screenshot(html, join(docs, 'render-html.png'), 1400);

const md = Buffer.from(await render(report, 'md', {})).toString('utf8');
const at = md.indexOf('## 三、');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
screenshot(
  `<!doctype html><meta charset="utf-8"><pre style="font: 13px/1.5 'Noto Sans Mono CJK SC', monospace; margin: 16px">${esc(md.slice(at, at + 4000))}</pre>`,
  join(docs, 'render-md.png'),
  1100,
);
console.log(readdirSync(docs).filter((f) => f.endsWith('.png')));
