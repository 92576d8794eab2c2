import fs from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const f = process.argv[2];
const data = new Uint8Array(fs.readFileSync(f));
const doc = await getDocument({
  data,
  cMapUrl: 'node_modules/pdfjs-dist/cmaps/',
  cMapPacked: true,
  standardFontDataUrl: 'node_modules/pdfjs-dist/standard_fonts/',
}).promise;
console.log('pages', doc.numPages);
for (let p = 1; p <= doc.numPages; p++) {
  const page = await doc.getPage(p);
  const tc = await page.getTextContent();
  console.log('--- page', p);
  for (const it of tc.items)
    if (it.str.trim()) console.log(Math.round(it.transform[4]), Math.round(it.transform[5]), JSON.stringify(it.str));
}
