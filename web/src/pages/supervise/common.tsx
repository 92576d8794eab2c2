/**
 * What the supervision pages share: their API calls, the reporting year (kept in the address and
 * for the session), the directory of bodies with their names, the Chinese labels of tiers, kinds,
 * states, groups and places, and file downloads.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Select, Tag } from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { type FileResponse, knownToday, request } from '../../api';
import { saveBlob } from '../../components/DownloadButtons';
import { pathLabel } from '../../labels';
import {
  type BatchRow,
  BODY_KIND_ZH,
  type BodiesAnswer,
  type Body,
  type BodyYearStatus,
  type CopiesAnswer,
  type DirectoryImportAnswer,
  type IntakeStarted,
  type PendingFile,
  type RollupAnswer,
  type ScoresAnswer,
  type SeriesAnswer,
  type StatusAnswer,
  TIER_ZH,
  type Tier,
} from '../../supervise-types';

// ---------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------

export type ScoreGroup = 'tier' | 'parent' | 'all';

export const sapi = {
  bodies: () => request<BodiesAnswer>('/api/bodies'),
  importDirectory: (file: File, dryRun: boolean) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    fd.append('dryRun', dryRun ? 'true' : 'false');
    return request<DirectoryImportAnswer>('/api/bodies/import', { body: fd, quiet: (e) => e.status === 400 });
  },
  exportDirectory: (format: 'xlsx' | 'csv') => request<FileResponse>('/api/bodies/export', { query: { format }, blob: true }),

  intake: (files: File[]) => {
    const fd = new FormData();
    for (const f of files) fd.append('files', f, f.name);
    return request<IntakeStarted>('/api/intake', { body: fd, quiet: true });
  },
  batch: (id: number) => request<BatchRow>(`/api/intake/batches/${id}`, { quiet: true }),
  pending: () => request<{ pending: PendingFile[] }>('/api/intake/pending'),
  confirm: (id: number, bodyId: number, year?: number | null) =>
    request<{ reportId: number; version: number }>(`/api/intake/${id}/confirm`, {
      body: { bodyId, ...(year ? { year } : {}) },
      quiet: true,
    }),
  reject: (id: number) => request<{ ok: boolean }>(`/api/intake/${id}/reject`, { method: 'POST', quiet: true }),

  status: (year: number) => request<StatusAnswer>('/api/supervision/status', { query: { year } }),
  statusFile: (year: number, format: 'xlsx' | 'csv') =>
    request<FileResponse>('/api/supervision/status', { query: { year, format }, blob: true }),
  review: (bodyId: number, year: number) =>
    request<{ ok: boolean }>('/api/supervision/reviews', { method: 'PUT', body: { bodyId, year, note: '' } }),

  rollup: (year: number, body?: number, cell?: string) => request<RollupAnswer>('/api/supervision/rollup', { query: { year, body, cell } }),
  rollupFile: (year: number, body?: number) =>
    request<FileResponse>('/api/supervision/rollup', { query: { year, body, format: 'xlsx' }, blob: true }),
  series: (from: number, to: number, cells: string[], body?: number) =>
    request<SeriesAnswer>('/api/supervision/series', { query: { from, to, cells: cells.join(','), body } }),

  scores: (year: number, group: ScoreGroup) => request<ScoresAnswer>('/api/supervision/scores', { query: { year, group } }),
  scoresFile: (year: number, group: ScoreGroup, format: 'xlsx' | 'docx') =>
    request<FileResponse>('/api/supervision/scores', { query: { year, group, format }, blob: true }),

  copies: (year: number, threshold: number) => request<CopiesAnswer>('/api/supervision/copies', { query: { year, threshold } }),
};

// ---------------------------------------------------------------------------
// The year
// ---------------------------------------------------------------------------

const YEAR_KEY = 'nb-supervise-year';
const FIRST_YEAR = 2008;

/** the year whose reports were due last: a report for year Y is due in Y+1 */
export function defaultYear(): number {
  return Number(knownToday().slice(0, 4)) - 1;
}

function validYear(v: unknown): number | null {
  const n = Number(v);
  return Number.isInteger(n) && n >= FIRST_YEAR && n <= 2100 ? n : null;
}

/** the reporting year of the page: `?year=`, else the one chosen last in this session, else last year */
export function useSuperviseYear(): [number, (y: number) => void] {
  const [params, setParams] = useSearchParams();
  const fromUrl = validYear(params.get('year'));
  let stored: number | null = null;
  try {
    stored = validYear(sessionStorage.getItem(YEAR_KEY));
  } catch {
    stored = null;
  }
  const year = fromUrl ?? stored ?? defaultYear();
  const setYear = useCallback(
    (y: number) => {
      try {
        sessionStorage.setItem(YEAR_KEY, String(y));
      } catch {
        /* private mode: the address keeps it */
      }
      setParams(
        (p) => {
          const n = new URLSearchParams(p);
          n.set('year', String(y));
          return n;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [year, setYear];
}

/** the years that can be chosen: this year back to 2008 */
export function yearOptions(year: number): { value: number; label: string }[] {
  const last = Math.max(Number(knownToday().slice(0, 4)), year);
  const out: { value: number; label: string }[] = [];
  for (let y = last; y >= FIRST_YEAR; y--) out.push({ value: y, label: `${y} 年度` });
  return out;
}

export function YearSelect({
  year,
  onChange,
  testId = 'supervise-year',
}: {
  year: number;
  onChange: (y: number) => void;
  testId?: string;
}) {
  return (
    <Select
      aria-label="报告年度"
      value={year}
      onChange={onChange}
      options={yearOptions(year)}
      style={{ width: 132 }}
      showSearch={{ optionFilterProp: 'label' }}
      data-testid={testId}
    />
  );
}

// ---------------------------------------------------------------------------
// The directory
// ---------------------------------------------------------------------------

export interface Directory {
  bodies: Body[];
  byId: Map<number, Body>;
  name(id: number | null | undefined): string;
  loading: boolean;
  reload(): void;
}

/** the bodies in the user's scope */
export function useDirectory(): Directory {
  const [bodies, setBodies] = useState<Body[]>([]);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` asks for a reload
  useEffect(() => {
    let live = true;
    setLoading(true);
    sapi
      .bodies()
      .then((r) => {
        if (live) setBodies(r.bodies);
      })
      .catch(() => {})
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [tick]);
  const byId = useMemo(() => new Map(bodies.map((b) => [b.id, b])), [bodies]);
  return useMemo(
    () => ({
      bodies,
      byId,
      name: (id) => (id === null || id === undefined ? '' : (byId.get(id)?.name ?? '（已不在名录中的机关）')),
      loading,
      reload: () => setTick((t) => t + 1),
    }),
    [bodies, byId, loading],
  );
}

// ---------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------

/** 县级人民政府, 市级政府部门 … */
export function bodyTypeLabel(b: Pick<Body, 'tier' | 'kind'>): string {
  return `${TIER_ZH[b.tier] ?? ''}${BODY_KIND_ZH[b.kind] ?? ''}`;
}

/** the Chinese name of a ranking group: its tier and kind, its parent, or 全部 */
export function groupLabel(group: string, names: Record<string, string>): string {
  if (group === '') return '全部机关';
  const m = /^([a-z]+):([a-z]+)$/.exec(group);
  if (m) {
    const tier = TIER_ZH[m[1] as Tier];
    const kind = BODY_KIND_ZH[m[2] as keyof typeof BODY_KIND_ZH];
    if (tier && kind) return `${tier}${kind}`;
  }
  if (/^\d+$/.test(group)) return names[group] ? `${names[group]}所属` : '其他机关';
  return '其他机关';
}

export interface StateView {
  text: string;
  color: string;
  /** the filter value it falls under */
  filter: StateFilter;
}

export type StateFilter = 'unpublished' | 'overdue' | 'late' | 'published';

export const STATE_FILTERS: { value: StateFilter; label: string }[] = [
  { value: 'unpublished', label: '未发布（期限未到）' },
  { value: 'overdue', label: '逾期未发布' },
  { value: 'late', label: '逾期发布' },
  { value: 'published', label: '已发布' },
];

/** a body's state for the year in Chinese */
export function stateView(s: BodyYearStatus): StateView {
  if (s.state === 'unpublished')
    return s.overdue
      ? { text: '逾期未发布', color: 'red', filter: 'overdue' }
      : { text: '未发布', color: 'default', filter: 'unpublished' };
  if (s.state === 'late') return { text: '逾期发布', color: 'orange', filter: 'late' };
  return { text: s.publishedOn ? '已发布' : '已发布（日期不明）', color: 'green', filter: 'published' };
}

export function StateTag({ status }: { status: BodyYearStatus }) {
  const v = stateView(status);
  return (
    <Tag color={v.color} data-testid="state-tag">
      {v.text}
    </Tag>
  );
}

const PLACES: Record<string, string> = {
  publishedOn: '发布日期',
  agency: '发布机关',
  year: '报告年度',
  format: '表格格式',
  sections: '正文',
  proactive: '表一 主动公开政府信息情况',
  applications: '表二 收到和处理政府信息公开申请情况',
  reviewLitigation: '表三 政府信息公开行政复议、行政诉讼情况',
};

/** where a finding is, in Chinese (never the path itself) */
export function placeLabel(path: string | null | undefined): string {
  if (!path) return '';
  if (PLACES[path]) return PLACES[path];
  const table = path.split('.')[0];
  if (['applications', 'reviewLitigation', 'proactive', 'sections'].includes(table)) {
    const label = pathLabel(path);
    // a label still made of keys (an unknown row) is named by its table only
    return /[A-Za-z]{3,}/.test(label) ? (PLACES[table] ?? '') : label;
  }
  return '';
}

/** the table number of the roll-up's table name */
export const TABLE_TITLES: Record<string, string> = {
  主动公开: '表一 主动公开政府信息情况',
  依申请公开: '表二 收到和处理政府信息公开申请情况',
  '行政复议、行政诉讼': '表三 政府信息公开行政复议、行政诉讼情况',
};

/** 0.713 → 71% */
export function pct(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** a number of the tables: counts as they are, money to 4 decimals */
export function figure(v: number | null | undefined, money = false): string {
  if (v === null || v === undefined) return '—';
  return money ? String(Math.round(v * 10_000) / 10_000) : v.toLocaleString('zh-CN');
}

// ---------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------

/** a button that fetches a file from the server and saves it */
export function DownloadButton({
  fetchFile,
  fallbackName,
  children,
  icon,
  testId,
  ...rest
}: {
  fetchFile: () => Promise<FileResponse>;
  fallbackName: string;
  children: ReactNode;
  icon?: ReactNode;
  testId?: string;
} & Omit<ButtonProps, 'onClick' | 'loading' | 'icon' | 'children'>) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      {...rest}
      icon={icon ?? <DownloadOutlined />}
      loading={busy}
      data-testid={testId}
      onClick={async () => {
        setBusy(true);
        try {
          const f = await fetchFile();
          saveBlob(f.blob, f.fileName ?? fallbackName);
          message.success(`已下载：${f.fileName ?? fallbackName}`);
        } catch {
          /* the request has shown why */
        } finally {
          setBusy(false);
        }
      }}
    >
      {children}
    </Button>
  );
}

// ---------------------------------------------------------------------------
// Scrolling tables
// ---------------------------------------------------------------------------

/**
 * wraps tables that scroll sideways on a narrow screen: a scrolling box whose rows hold nothing to
 * focus is made focusable, so that it can be scrolled with the keyboard (axe: scrollable-region-focusable)
 */
export function KeyboardScroll({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const mark = () => {
      for (const box of el.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body')) {
        const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
        if (scrolls) {
          if (box.getAttribute('tabindex') !== '0') box.setAttribute('tabindex', '0');
        } else if (box.getAttribute('tabindex') === '0') box.removeAttribute('tabindex');
      }
    };
    const frame = requestAnimationFrame(mark);
    const ro = new ResizeObserver(mark);
    ro.observe(el);
    const mo = new MutationObserver(() => requestAnimationFrame(mark));
    mo.observe(el, { childList: true, subtree: true });
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      mo.disconnect();
    };
  }, []);
  return <div ref={ref}>{children}</div>;
}
