/**
 * The batches of 检查年报, kept until they are dismissed: in memory while the app runs (a batch goes
 * on being checked while the person is on another page), and in the tab's sessionStorage under the
 * batch's id (which the page puts in its URL, `?batch=…`) so that a reload finds it again. The batch
 * last run is remembered too: coming back to 检查年报 through the menu shows it. A result too large
 * for sessionStorage is kept without its source lines, or at the least as its summary.
 */
import type { BatchRow } from './BatchResults';

const PREFIX = 'nianbao:batch:';
const CURRENT = 'nianbao:batch:current';

interface Entry {
  rows: BatchRow[];
  listeners: Set<(rows: BatchRow[]) => void>;
  /** still being checked in this window */
  running: boolean;
}

const memory = new Map<string, Entry>();
/** writes waiting (a batch's rows are written at most twice a second while it runs) */
const pending = new Map<string, number>();

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** a new batch id: short, unguessable enough for one tab */
export function newBatchId(): string {
  const r =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().replace(/-/g, '') : Math.random().toString(36).slice(2);
  return `${Date.now().toString(36)}${r.slice(0, 6)}`;
}

/** a row's result reduced to what the table shows */
function summaryOnly(r: BatchRow): BatchRow {
  if (!r.result) return r;
  const { report, summary, id } = r.result;
  return {
    ...r,
    trimmed: true,
    result: {
      report: { ...report, provenance: undefined, sections: { overview: null, problems: null, other: null } } as typeof report,
      summary,
      diagnostics: [],
      grids: [],
      source: null,
      ...(id !== undefined ? { id } : {}),
    },
  };
}

/** writes the batch to sessionStorage: whole, else without the source lines, else as summaries */
function persist(id: string, rows: BatchRow[]): void {
  const s = storage();
  if (!s) return;
  const tries: (() => BatchRow[])[] = [
    () => rows,
    () => rows.map((r) => (r.result ? { ...r, result: { ...r.result, source: null } } : r)),
    () => rows.map(summaryOnly),
  ];
  for (const t of tries) {
    try {
      s.setItem(PREFIX + id, JSON.stringify(t()));
      return;
    } catch {
      /* too large: try smaller */
    }
  }
}

function read(id: string): BatchRow[] | null {
  try {
    const raw = storage()?.getItem(PREFIX + id);
    const rows = raw ? (JSON.parse(raw) as BatchRow[]) : null;
    return Array.isArray(rows) ? rows : null;
  } catch {
    return null;
  }
}

/** the batch last run in this tab, unless dismissed */
export function currentBatchId(): string | null {
  try {
    return storage()?.getItem(CURRENT) ?? null;
  } catch {
    return null;
  }
}

/** starts keeping a new batch (and makes it the current one) */
export function startBatch(id: string, rows: BatchRow[]): void {
  memory.set(id, { rows, listeners: new Set(), running: true });
  persist(id, rows);
  try {
    storage()?.setItem(CURRENT, id);
  } catch {
    /* not kept over a reload */
  }
}

/**
 * The rows of a batch as they stand now, given to its listeners and kept; false when the batch was
 * dismissed meanwhile (its checking stops).
 */
export function updateBatch(id: string, rows: BatchRow[], done = false): boolean {
  const e = memory.get(id);
  if (!e) return false;
  e.rows = rows;
  if (done) e.running = false;
  for (const l of e.listeners) l(rows);
  window.clearTimeout(pending.get(id));
  pending.delete(id);
  if (done) persist(id, rows);
  else
    pending.set(
      id,
      window.setTimeout(() => {
        pending.delete(id);
        if (memory.get(id) === e) persist(id, e.rows);
      }, 500),
    );
  return true;
}

/**
 * The rows of a batch: from memory, else from sessionStorage (a reload: rows that were still waiting
 * can no longer be checked and say so). Null when the batch is not kept (dismissed, another tab).
 */
export function loadBatch(id: string): BatchRow[] | null {
  const e = memory.get(id);
  if (e) return e.rows;
  const rows = read(id);
  if (!rows) return null;
  const lost = rows.map((r) =>
    r.state === 'waiting' || r.state === 'running'
      ? { ...r, state: 'failed' as const, message: '页面刷新时这个文件尚未检查完，请重新选择它检查。' }
      : r,
  );
  memory.set(id, { rows: lost, listeners: new Set(), running: false });
  return lost;
}

/** follows the rows of a batch as it is checked; returns the unsubscribe */
export function watchBatch(id: string, fn: (rows: BatchRow[]) => void): () => void {
  const e = memory.get(id);
  if (!e) return () => {};
  e.listeners.add(fn);
  return () => {
    e.listeners.delete(fn);
  };
}

/** the batch is still being checked in this window */
export function batchRunning(id: string): boolean {
  return memory.get(id)?.running === true;
}

/** 清除: the batch is forgotten (memory and sessionStorage), and is no longer the current one */
export function dismissBatch(id: string): void {
  memory.delete(id);
  window.clearTimeout(pending.get(id));
  pending.delete(id);
  const s = storage();
  try {
    s?.removeItem(PREFIX + id);
    if (s?.getItem(CURRENT) === id) s.removeItem(CURRENT);
  } catch {
    /* nothing kept */
  }
}
