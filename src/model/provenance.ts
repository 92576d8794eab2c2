/**
 * Where a piece of a report came from: part of the model (a Report's `provenance` and every
 * diagnostic's `origin` carry it), so it lives here; the readers produce it.
 */

export type InputKind = 'text' | 'markdown' | 'html' | 'docx' | 'doc' | 'pdf' | 'xlsx';

/** Where a piece of text came from. Lines, columns, pages, tables, rows and cells are 1-based. */
export type Provenance =
  | { kind: 'text'; line: number; column: number }
  | {
      kind: 'pdf';
      page: number;
      x: number;
      y: number;
      width?: number;
      height?: number;
      /** the text was recognised (OCR) from the image of a scanned page, not taken from a text layer */
      ocr?: boolean;
      /** with `ocr`: the recogniser's confidence in the text, 0–1 (the lowest of its pieces) */
      confidence?: number;
    }
  /**
   * DOCX paragraph outside any table: 1-based index of the `w:p` among the
   * body-level paragraphs of word/document.xml in document order, counting
   * empty paragraphs too (those are not emitted as blocks).
   */
  | { kind: 'docx-paragraph'; paragraph: number }
  | {
      kind: 'table';
      /** 1-based index of the table in the document */
      table: number;
      /** 1-based row index within the table (source rows, not expanded grid rows) */
      row: number;
      /** 1-based cell index within the source row */
      cell: number;
      /** XLSX only: sheet name and A1 address */
      sheet?: string;
      address?: string;
      /** HTML/Markdown only: line and column of the cell in the source file */
      line?: number;
      column?: number;
    };

/** how much provenance `nianbao parse` writes: `full` (the `provenance` field), `compact` (`provenanceCompact`), `none` */
export type ProvenanceMode = 'full' | 'compact' | 'none';
export const PROVENANCE_MODES: readonly ProvenanceMode[] = ['full', 'compact', 'none'];

/**
 * The compact origin of one cell (`provenanceCompact`, docs/report-json.md): an array, the published
 * token first, then a one-letter kind and the position —
 * `[raw, "t", line, column]` text; `[raw, "p", page, x, y]` PDF (`[raw, "p", page, x, y, confidence]`
 * when recognised by OCR, `confidence` null when the recogniser gave none); `[raw, "d", paragraph]`
 * DOCX paragraph; `[raw, "c", table, row, cell]` table cell, `[raw, "c", table, row, cell, line, column]`
 * with its place in an HTML/Markdown source, `[raw, "c", table, row, cell, sheet, address]` in an XLSX sheet.
 * A PDF position's width and height are left out; everything else of the Origin is kept.
 */
export type CompactOrigin = (string | number | null)[];

/** the nested object of `provenanceCompact`: the report's own keys down to each cell, a CompactOrigin there */
export interface CompactProvenance {
  [key: string]: CompactProvenance | CompactOrigin;
}

interface OriginLike {
  raw: string;
  prov: Provenance;
}

export function compactOrigin(o: OriginLike): CompactOrigin {
  const p = o.prov;
  switch (p.kind) {
    case 'text':
      return [o.raw, 't', p.line, p.column];
    case 'pdf':
      return p.ocr ? [o.raw, 'p', p.page, p.x, p.y, p.confidence ?? null] : [o.raw, 'p', p.page, p.x, p.y];
    case 'docx-paragraph':
      return [o.raw, 'd', p.paragraph];
    case 'table':
      if (p.sheet !== undefined || p.address !== undefined) return [o.raw, 'c', p.table, p.row, p.cell, p.sheet ?? null, p.address ?? null];
      if (p.line !== undefined) return [o.raw, 'c', p.table, p.row, p.cell, p.line, p.column ?? null];
      return [o.raw, 'c', p.table, p.row, p.cell];
  }
}

/** a cell's path cut at its dots, remembered (the paths come from the format: a few hundred) */
const PATH_KEYS = new Map<string, string[]>();
function pathKeys(path: string): string[] {
  let keys = PATH_KEYS.get(path);
  if (!keys) {
    keys = path.split('.');
    if (PATH_KEYS.size < 10_000) PATH_KEYS.set(path, keys);
  }
  return keys;
}

/** `provenance` (JSON path → Origin) → `provenanceCompact` (the same cells nested by the keys of their path) */
export function compactProvenance(provenance: Record<string, OriginLike>): CompactProvenance {
  const root: CompactProvenance = {};
  for (const path in provenance) {
    const keys = pathKeys(path);
    let node = root;
    let ok = true;
    for (let i = 0; i < keys.length - 1; i++) {
      const next = node[keys[i]];
      if (next === undefined) node = node[keys[i]] = {};
      else if (Array.isArray(next)) {
        ok = false;
        break;
      } else node = next;
    }
    const last = keys[keys.length - 1];
    // a path that is both a cell and the prefix of another (never in practice): kept whole at the top
    if (!ok || node[last] !== undefined) root[path] = compactOrigin(provenance[path]);
    else node[last] = compactOrigin(provenance[path]);
  }
  return root;
}

const num = (v: unknown): number => v as number;

/** a CompactOrigin → its Origin (a PDF position without width and height) */
export function expandOrigin(c: CompactOrigin): { raw: string; prov: Provenance } {
  const raw = String(c[0]);
  switch (c[1]) {
    case 't':
      return { raw, prov: { kind: 'text', line: num(c[2]), column: num(c[3]) } };
    case 'p': {
      const prov: Provenance = { kind: 'pdf', page: num(c[2]), x: num(c[3]), y: num(c[4]) };
      if (c.length > 5) {
        prov.ocr = true;
        if (c[5] !== null) prov.confidence = num(c[5]);
      }
      return { raw, prov };
    }
    case 'd':
      return { raw, prov: { kind: 'docx-paragraph', paragraph: num(c[2]) } };
    default: {
      const prov: Provenance = { kind: 'table', table: num(c[2]), row: num(c[3]), cell: num(c[4]) };
      if (c.length > 5) {
        if (typeof c[5] === 'number') {
          prov.line = c[5];
          if (c[6] !== null) prov.column = num(c[6]);
        } else {
          if (c[5] !== null) prov.sheet = String(c[5]);
          if (c[6] !== null) prov.address = String(c[6]);
        }
      }
      return { raw, prov };
    }
  }
}

/**
 * `provenanceCompact` → `provenance` (JSON path → Origin), for a reader that wants the full form back;
 * throws (with the place) when it is not a `provenanceCompact` (readCompactProvenance says why)
 */
export function expandProvenance(compact: CompactProvenance): Record<string, { raw: string; prov: Provenance }> {
  const read = readCompactProvenance(compact);
  if ('problem' in read) throw new Error(read.problem.en);
  return read.provenance;
}

/** a `provenanceCompact` that cannot be read: where (its JSON path) and what is wrong */
export interface CompactProblem {
  path: string;
  zh: string;
  en: string;
}

const KINDS: Record<string, { min: number; max: number }> = {
  t: { min: 4, max: 4 },
  p: { min: 5, max: 6 },
  d: { min: 3, max: 3 },
  c: { min: 5, max: 7 },
};
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** what is wrong with one CompactOrigin, or null */
function originProblem(c: CompactOrigin): { zh: string; en: string } | null {
  const kind = KINDS[String(c[1])];
  if (typeof c[0] !== 'string') return { zh: '第 1 项（原文）不是字符串', en: 'the first item (raw) is not a string' };
  if (!kind) return { zh: `类型“${String(c[1])}”不是 t、p、d、c 之一`, en: `the kind "${String(c[1])}" is none of t, p, d, c` };
  if (c.length < kind.min || c.length > kind.max) {
    const want = kind.min === kind.max ? `${kind.min}` : `${kind.min}–${kind.max}`;
    return { zh: `有 ${c.length} 项，类型“${c[1]}”应有 ${want} 项`, en: `${c.length} items where kind "${c[1]}" has ${want}` };
  }
  const last = c[1] === 'p' ? 5 : c[1] === 'c' ? 5 : c.length;
  for (let i = 2; i < last; i++) if (!isNum(c[i])) return { zh: `第 ${i + 1} 项不是数字`, en: `item ${i + 1} is not a number` };
  if (c[1] === 'p' && c.length === 6 && c[5] !== null && !isNum(c[5]))
    return { zh: '识别置信度既不是数字也不是 null', en: 'the confidence is neither a number nor null' };
  if (c[1] === 'c' && c.length > 5) {
    if (c.length !== 7)
      return { zh: `有 ${c.length} 项，表格单元格应有 5 或 7 项`, en: `${c.length} items where a table cell's place has 5 or 7` };
    const [a, b] = [c[5], c[6]];
    const lineColumn = isNum(a) && (b === null || isNum(b));
    const sheetAddress = (a === null || typeof a === 'string') && (b === null || typeof b === 'string');
    if (!lineColumn && !sheetAddress)
      return {
        zh: '第 6、7 项既不是行号和列号，也不是工作表和单元格地址',
        en: 'items 6 and 7 are neither a line and column nor a sheet and address',
      };
  }
  return null;
}

/**
 * `provenanceCompact` as a reader gave it (any JSON) → `provenance`, or the first problem found (its
 * path inside `provenanceCompact`). Nested at most 8 keys deep.
 */
export function readCompactProvenance(
  value: unknown,
): { provenance: Record<string, { raw: string; prov: Provenance }> } | { problem: CompactProblem } {
  const out: Record<string, { raw: string; prov: Provenance }> = {};
  const walk = (node: unknown, prefix: string, depth: number): CompactProblem | null => {
    const at = prefix ? `provenanceCompact.${prefix}` : 'provenanceCompact';
    if (node === null || typeof node !== 'object' || Array.isArray(node))
      return { path: at, zh: `${at} 应为对象`, en: `${at} should be an object` };
    if (depth > 8) return { path: at, zh: `${at} 嵌套过深（超过 8 层）`, en: `${at} is nested too deeply (over 8 levels)` };
    for (const k in node) {
      const v = (node as Record<string, unknown>)[k];
      const path = prefix ? `${prefix}.${k}` : k;
      if (Array.isArray(v)) {
        const why = originProblem(v as CompactOrigin);
        if (why)
          return {
            path: `provenanceCompact.${path}`,
            zh: `provenanceCompact.${path} 不是有效的来源数组（${why.zh}）`,
            en: `provenanceCompact.${path} is not a valid origin array (${why.en})`,
          };
        out[path] = expandOrigin(v as CompactOrigin);
      } else {
        const p = walk(v, path, depth + 1);
        if (p) return p;
      }
    }
    return null;
  };
  const problem = walk(value, '', 0);
  return problem ? { problem } : { provenance: out };
}
