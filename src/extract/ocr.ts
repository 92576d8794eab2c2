/**
 * Numbers recognised by OCR are not taken on their own word. A cell read from a scanned page
 * (its provenance says `ocr`) is kept when
 * - the reading stands on its own: the recogniser was confident (two recognisers agreed, see
 *   src/read/ocr.ts) and the cell is the whole of a clean token, and it breaks no sum; or
 * - a sum of the table that holds vouches for it: every cell of the sum is read, and at most one
 *   of them is a guess (a value the splitter cut out of digits run together to fit the sums).
 *   Misreadings are independent and almost never keep a sum true; guesses made to fit it may.
 * Otherwise it is flagged: null, listed under `ambiguities` (`reason: 'ocr'`) with the value read
 * and the value the sums imply from trusted cells. A flagged cell whose implied value is what
 * the recogniser saw once look-alike characters are read as digits (`3l` → 31, `“31` → 31) is
 * restored: two independent readings agree. A broken sum with no doubtful reading in it blames
 * every reading of it that no holding sum confirms. Amounts kept as text (收费金额, 采购总金额)
 * have no sum: they are kept only when the recogniser was confident. The rows of a recognised
 * table that were not found at all are flagged too, never silently blank.
 */
import { equations, residual, valueAt } from '../model/equations.js';
import type { Ambiguity, Report } from '../model/report.js';

/** confidence (0–1) under which a number read by OCR needs a sum to vouch for it */
export const OCR_MIN_CONFIDENCE = 0.8;

/** the digits a recognised token stands for, look-alikes read as digits; '' when there are none */
export function ocrDigits(raw: string): string {
  return raw
    .replace(/[oOD]/g, '0')
    .replace(/[lI|!]/g, '1')
    .replace(/[^0-9]/g, '');
}

function setValue(report: Report, path: string, value: number | string | null): void {
  const [table, row, col] = path.split('.');
  const t = (report as unknown as Record<string, Record<string, Record<string, unknown>>>)[table];
  if (t?.[row] && col in t[row]) t[row][col] = value;
}

export function verifyOcrCells(report: Report): void {
  const origins = report.provenance;
  if (!origins) return;
  // only a PDF's pages are recognised: any other document has nothing to look at
  if (report.input && report.input.kind !== 'pdf') return;
  let recognised = false;
  for (const p in origins) {
    const o = origins[p].prov;
    if (o.kind === 'pdf' && o.ocr === true) {
      recognised = true;
      break;
    }
  }
  if (!recognised) return;
  const ocr = Object.keys(origins).filter((p) => {
    const o = origins[p].prov;
    return o.kind === 'pdf' && o.ocr === true && typeof valueAt(report, p) === 'number';
  });
  // an amount kept as text (收费金额 in 万元, 采购总金额 with its unit) has no sum: the recogniser must be sure of it
  const amounts: Ambiguity[] = [];
  for (const p of Object.keys(origins)) {
    const o = origins[p].prov;
    const v = valueAt(report, p);
    if (o.kind !== 'pdf' || o.ocr !== true || typeof v !== 'string' || (o.confidence ?? 0) >= OCR_MIN_CONFIDENCE) continue;
    setValue(report, p, null);
    amounts.push({ path: p, candidates: [v], reason: 'ocr' });
  }
  if (amounts.length > 0) report.ambiguities = [...(report.ambiguities ?? []), ...amounts];
  // in a recognised document, a cell the table reader could not decide is undecided because of the scan
  if (Object.values(origins).some((o) => o.prov.kind === 'pdf' && o.prov.ocr === true))
    for (const a of report.ambiguities ?? []) a.reason ??= 'ocr';
  if (ocr.length === 0) return;
  const eqs = equations(report).map((e) => ({ ...e, cells: [...e.left, ...e.right] }));
  const isNum = (p: string) => typeof valueAt(report, p) === 'number';
  const complete = (e: (typeof eqs)[number]) => e.cells.every(isNum);
  const ocrSet = new Set(ocr);
  // the cells of a split (digits run together) all point at the run's one token: none of them is a whole reading
  const sharing = new Map<string, number>();
  const tokenOf = (p: string) => JSON.stringify([origins[p].raw, origins[p].prov]);
  for (const p of ocr) sharing.set(tokenOf(p), (sharing.get(tokenOf(p)) ?? 0) + 1);
  const whole = (p: string): boolean => {
    if ((sharing.get(tokenOf(p)) ?? 0) > 1) return false;
    const raw = origins[p].raw.trim();
    return /^[-−]?(?:\d{1,3}(?:[,，]\d{3})*|\d+)$/.test(raw) && Number(raw.replace(/[,，]/g, '').replace('−', '-')) === valueAt(report, p);
  };
  /** a value cut out of a longer recognised token (digits run together): the splitter chose it to fit the sums */
  const guess = (p: string): boolean => ocrSet.has(p) && !whole(p);
  /** a reading that stands on its own: confident, and the whole of a clean token */
  const strong = (p: string): boolean => {
    const o = origins[p].prov;
    return (o.kind === 'pdf' ? (o.confidence ?? 0) : 1) >= OCR_MIN_CONFIDENCE && whole(p);
  };
  const holding = eqs.filter((e) => complete(e) && residual(report, e) === 0);
  const broken = eqs.filter((e) => complete(e) && residual(report, e) !== 0);
  // vouched for: a strong reading, or a cell of a sum that holds with at most one guess in it not
  // yet vouched for (independent misreadings do not keep a sum true; guesses made to fit it may)
  const vouched = new Set<string>();
  for (const p of ocr) if (strong(p)) vouched.add(p);
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of holding) {
      if (e.cells.every((c) => vouched.has(c) || !ocrSet.has(c))) continue;
      if (new Set(e.cells.filter((c) => guess(c) && !vouched.has(c))).size > 1) continue;
      for (const c of e.cells) if (ocrSet.has(c)) vouched.add(c);
      changed = true;
    }
  }
  /** in a sum that holds with every cell vouched for */
  const confirmed = new Set<string>();
  for (const e of holding) if (e.cells.every((c) => vouched.has(c) || !ocrSet.has(c))) for (const c of e.cells) confirmed.add(c);
  const suspects = new Set<string>();
  for (const p of ocr) if (!vouched.has(p)) suspects.add(p);
  // a broken sum with no doubtful reading in it blames its readings that no sum confirms
  for (const e of broken) {
    const mine = e.cells.filter((c) => ocrSet.has(c) && !confirmed.has(c));
    if (!mine.some((c) => suspects.has(c))) for (const c of mine) suspects.add(c);
  }
  if (suspects.size === 0 && !hasUnread(report, ocr)) return;
  const read = new Map<string, number>();
  for (const p of suspects) read.set(p, valueAt(report, p) as number);
  // the value a sum implies for `p` from cells that are all read and trusted
  const trusted = (c: string) => isNum(c) && !suspects.has(c);
  const implied = (p: string): number[] => {
    const out = new Set<number>();
    for (const e of eqs) {
      if (!e.cells.includes(p) || !e.cells.every((c) => c === p || trusted(c))) continue;
      const k = e.left.filter((c) => c === p).length - e.right.filter((c) => c === p).length;
      if (k === 0) continue;
      const saved = valueAt(report, p) as number | null;
      setValue(report, p, 0);
      const r = residual(report, e);
      setValue(report, p, saved);
      const v = -r / k;
      if (Number.isInteger(v) && v >= 0) out.add(v);
    }
    return [...out];
  };
  // restore what two readings agree on, until nothing changes (a restored cell is trusted)
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of suspects) {
      const imp = implied(p);
      const digits = ocrDigits(origins[p].raw);
      if (imp.length === 1 && digits !== '' && Number(digits) === imp[0]) {
        setValue(report, p, imp[0]);
        suspects.delete(p);
        changed = true;
      }
    }
  }
  const flagged: Ambiguity[] = [];
  for (const p of suspects) {
    const candidates = [read.get(p) as number, ...implied(p)].filter((v, i, a) => a.indexOf(v) === i);
    setValue(report, p, null);
    flagged.push({ path: p, candidates, reason: 'ocr' });
  }
  // a row of a recognised table that was not found (its label misread): its cells are flagged too,
  // never silently blank
  const listed = new Set([...(report.ambiguities ?? []).map((a) => a.path), ...suspects]);
  for (const p of unread(report, ocr)) {
    if (listed.has(p)) continue;
    flagged.push({ path: p, candidates: implied(p), reason: 'ocr' });
  }
  if (flagged.length === 0) return;
  report.ambiguities = [...(report.ambiguities ?? []).filter((a) => !suspects.has(a.path)), ...flagged];
}

/** the cells of the tables read by OCR that have no value and no published token at all */
function unread(report: Report, ocr: string[]): string[] {
  const origins = report.provenance ?? {};
  const out: string[] = [];
  for (const table of new Set(ocr.map((p) => p.split('.')[0]))) {
    const t = (report as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>)[table];
    if (!t) continue;
    for (const row of Object.keys(t)) {
      for (const col of Object.keys(t[row] ?? {})) {
        const path = `${table}.${row}.${col}`;
        if (t[row][col] === null && !(path in origins)) out.push(path);
      }
    }
  }
  return out;
}

const hasUnread = (report: Report, ocr: string[]): boolean => unread(report, ocr).length > 0;
