/**
 * Shared by the DOCX and XLSX renderers: making an Office package
 * deterministic. The libraries stamp "now" into docProps/core.xml and into
 * every ZIP entry; the package is rewritten with a date derived from the
 * report instead, so the same report always gives the same bytes.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Report } from '../model/report.js';

export interface DocDate {
  y: number;
  m: number;
  d: number;
}

/** the date an exported document carries: the publication date, else 1 January after the report year */
export function documentDate(report: Report): DocDate {
  const iso = report.publishedOn ?? (report.year !== null ? `${report.year + 1}-01-01` : '2000-01-01');
  const [y, m, d] = iso.split('-').map(Number);
  if (![y, m, d].every(Number.isInteger) || y < 1980 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31) return { y: 2000, m: 1, d: 1 };
  return { y, m, d };
}

/** the date as a UTC Date at midnight (for document properties) */
export function utcDate(date: DocDate): Date {
  return new Date(Date.UTC(date.y, date.m - 1, date.d));
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Rewrites an OOXML package: created/modified in docProps/core.xml set to the
 * date, parts replaced or added from `replace`, and every ZIP entry stamped
 * with the date. Entry order is kept.
 */
export function finishPackage(bytes: Uint8Array, date: DocDate, replace: Record<string, string> = {}): Uint8Array {
  // directory entries (JSZip writes them) hold nothing: left out
  const files = unzipSync(bytes, { filter: (f) => !f.name.endsWith('/') });
  const stamp = dateStamp(date);
  const core = files['docProps/core.xml'];
  if (core) {
    files['docProps/core.xml'] = strToU8(
      strFromU8(core).replace(
        /(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g,
        (_m, open: string, _n: string, close: string) => `${open}${stamp}${close}`,
      ),
    );
  }
  for (const [path, data] of Object.entries(replace)) files[path] = strToU8(data);
  return zipPackage(files, date);
}

/** the date as written into docProps/core.xml (dcterms:created, dcterms:modified) */
export function dateStamp(date: DocDate): string {
  return `${date.y}-${pad(date.m)}-${pad(date.d)}T00:00:00Z`;
}

/** Zips the parts of a package (in the order given), every entry stamped with the date. */
export function zipPackage(files: Record<string, Uint8Array>, date: DocDate): Uint8Array {
  // DOS timestamps are local time: a date built from local fields gives the same stamp in every time zone
  const mtime = new Date(date.y, date.m - 1, date.d, 12, 0, 0);
  return zipSync(files, { level: 6, mtime });
}

// characters XML 1.0 cannot carry: C0 controls other than tab/newline/CR, U+FFFE/U+FFFF, lone surrogates
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** text safe to put into an XML part: characters XML cannot hold are dropped */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, '');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const XML_SPECIAL = /[&<>"']/g;
const HAS_XML_SPECIAL = /[&<>"']/;

/**
 * text as the content of an XML element or attribute value: characters XML
 * cannot hold dropped (as xmlText), the five specials written as entities
 */
export function xmlEscape(s: string): string {
  const t = xmlText(s);
  return HAS_XML_SPECIAL.test(t) ? t.replace(XML_SPECIAL, (c) => XML_ESCAPES[c]) : t;
}
