/**
 * The source beside the tables: `source.lines` with line numbers, the origin of the selected
 * cell highlighted (a line and the token at its column; in a PDF the cell at its page position,
 * else its page) and scrolled to within the panel. The lines can be scrolled with the keyboard.
 */
import { FileTextOutlined } from '@ant-design/icons';
import { Empty, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { SOURCE_KIND_LABELS } from '../labels';
import type { CheckResult, Provenance, SourcePosition, SourceView } from '../types';
import { provenanceText } from './DiagnosticsTable';

export interface SourceTarget {
  /** what is shown above the lines, e.g. “表二·（一）予以公开·自然人：第 41 行第 34 列” */
  caption: string;
  /** 1-based line */
  line?: number;
  /** 1-based column and length of the token on that line */
  column?: number;
  length?: number;
  /** PDF page */
  page?: number;
  /** the published token */
  raw?: string;
}

const isDigit = (c: string | undefined) => c !== undefined && /[0-9.,０-９]/.test(c);

/**
 * Where the token `raw` stands within the text of a PDF paragraph or cell (`pos`): its line, column
 * and length; a number is found whole (not the 0 of 2023). Without it found, the start of the text.
 */
export function locate(
  lines: readonly string[],
  pos: SourcePosition,
  raw: string | undefined,
): { line: number; column: number; length: number } {
  const want = raw?.trim() ?? '';
  let line = pos.line;
  let col = pos.column;
  let left = pos.length;
  while (want !== '' && left > 0 && line <= lines.length) {
    const text = lines[line - 1] ?? '';
    const seg = text.slice(col - 1, col - 1 + left);
    for (let i = seg.indexOf(want); i >= 0; i = seg.indexOf(want, i + 1)) {
      const at = col - 1 + i;
      if (/^[0-9]/.test(want) && (isDigit(text[at - 1]) || isDigit(text[at + want.length]))) continue;
      return { line, column: at + 1, length: want.length };
    }
    left -= seg.length + 1;
    line++;
    col = 1;
  }
  const first = lines[pos.line - 1] ?? '';
  return { line: pos.line, column: pos.column, length: Math.max(1, Math.min(pos.length, first.length - pos.column + 1)) };
}

/** the text of a PDF at the page position of `prov`: the same position, else the nearest on its page (within a few points) */
function positionOf(positions: readonly SourcePosition[] | undefined, prov: Extract<Provenance, { kind: 'pdf' }>): SourcePosition | null {
  if (!positions?.length) return null;
  let best: SourcePosition | null = null;
  let dist = 4;
  for (const p of positions) {
    if (p.page !== prov.page) continue;
    const d = Math.hypot(p.x - prov.x, p.y - prov.y);
    if (d === 0) return p;
    if (d < dist) {
      dist = d;
      best = p;
    }
  }
  return best;
}

/** the source target of a provenance */
export function targetOf(
  prov: Provenance | null | undefined,
  raw: string | undefined,
  label: string,
  source?: SourceView | null,
): SourceTarget | null {
  if (!prov) return null;
  const where = provenanceText(prov);
  const base: SourceTarget = { caption: `${label ? `${label}：` : ''}${where}`, raw };
  const len = raw ? Math.max(1, raw.length) : undefined;
  switch (prov.kind) {
    case 'text':
      return { ...base, line: prov.line, column: prov.column, length: len };
    case 'pdf': {
      // the cell itself, when the server says where the text at that position stands among the lines
      const pos = source ? positionOf(source.positions, prov) : null;
      return pos ? { ...base, page: prov.page, ...locate(source?.lines ?? [], pos, raw) } : { ...base, page: prov.page };
    }
    case 'table': {
      if (prov.line) return { ...base, line: prov.line, column: prov.column, length: len };
      // DOCX/XLSX: the line that shows the cell's table row
      const row = source?.tableRows?.[`${prov.table}:${prov.row}`];
      return row ? { ...base, line: row } : base;
    }
    default:
      return base;
  }
}

const PAGE_HEADER = /^\s*第\s*(\d+)\s*页\s*$/;

export function SourcePanel({
  source,
  target,
  height,
}: {
  source: CheckResult['source'];
  target: SourceTarget | null;
  height?: number | string;
}) {
  const scroller = useRef<HTMLElement>(null);
  const lines = source?.lines ?? [];

  // PDF pages: header index → [start, end)
  const pages = useMemo(() => {
    const m = new Map<number, [number, number]>();
    let current: number | null = null;
    let start = 0;
    lines.forEach((l, i) => {
      const h = PAGE_HEADER.exec(l);
      if (!h) return;
      if (current !== null) m.set(current, [start, i]);
      current = Number(h[1]);
      start = i;
    });
    if (current !== null) m.set(current, [start, lines.length]);
    return m;
  }, [lines]);

  const lineIndex = target?.line !== undefined ? target.line - 1 : null;
  // the whole page only when the cell itself cannot be found on it
  const range: [number, number] | null = target?.page !== undefined && lineIndex === null ? (pages.get(target.page) ?? null) : null;
  const pageFound = target?.page === undefined || lineIndex !== null || range !== null;
  useEffect(() => {
    const el = scroller.current;
    if (!el || !target) return;
    const focus = lineIndex ?? range?.[0] ?? null;
    if (focus === null) return;
    /** scrolls the panel (never the page) so that the marked token, or its line, stands in view */
    const reveal = (behavior: ScrollBehavior) => {
      const row = el.querySelector<HTMLElement>(`[data-line="${focus + 1}"]`);
      if (!row) return;
      const mark = row.querySelector<HTMLElement>('.nb-src-mark');
      const view = el.getBoundingClientRect();
      const at = (mark ?? row).getBoundingClientRect();
      const number = row.querySelector<HTMLElement>('.nb-src-no')?.offsetWidth ?? 0;
      const inView = at.top >= view.top && at.bottom <= view.bottom && (!mark || (at.left >= view.left + number && at.right <= view.right));
      if (inView && behavior === 'auto') return;
      const top = el.scrollTop + (at.top - view.top) - el.clientHeight / 3;
      const left = mark ? el.scrollLeft + (at.left - view.left) - (el.clientWidth + number) / 2 : 0;
      el.scrollTo({ top: Math.max(0, top), left: Math.max(0, left), behavior });
    };
    reveal('smooth');
    // lines far away are laid out only when shown (content-visibility): set right once they are
    const t = window.setTimeout(() => reveal('auto'), 700);
    return () => window.clearTimeout(t);
  }, [target, lineIndex, range]);

  if (!source) {
    return (
      <div className="nb-source nb-source-empty">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有可显示的原文" />
      </div>
    );
  }

  return (
    <div className="nb-source" data-testid="source-panel">
      <div className="nb-source-bar">
        <FileTextOutlined />
        <span>原文</span>
        <Tag>{SOURCE_KIND_LABELS[source.kind] ?? '其他格式'}</Tag>
        <Typography.Text type="secondary">{lines.length} 行</Typography.Text>
      </div>
      <div className="nb-source-origin" data-testid="source-origin">
        {target ? (
          <>
            <span className="nb-source-origin-label">选中单元格来源</span>
            <span>{target.caption}</span>
            {target.raw !== undefined && (
              <span>
                ，原文记为 <code>{target.raw === '' ? '（空）' : target.raw}</code>
              </span>
            )}
            {!pageFound && <Typography.Text type="secondary">（原文中未找到该页）</Typography.Text>}
          </>
        ) : (
          <Typography.Text type="secondary">点击表格中的数值或问题列表中的一项，查看它在原文中的位置。</Typography.Text>
        )}
      </div>
      {/* the person's own text; focusable, so that it can be scrolled with the keyboard */}
      <section
        className="nb-source-lines"
        ref={scroller}
        style={height !== undefined ? { height } : undefined}
        data-testid="source-lines"
        data-user-text
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is reached with the keyboard to be scrolled
        tabIndex={0}
        aria-label="原文（可用方向键滚动）"
      >
        {lines.map((text, i) => {
          const isLine = lineIndex === i;
          const inPage = range !== null && i >= range[0] && i < range[1];
          const isHeader = PAGE_HEADER.test(text);
          const cls = ['nb-src-line', isLine ? 'nb-src-hit' : '', inPage ? 'nb-src-page' : '', isHeader ? 'nb-src-header' : '']
            .filter(Boolean)
            .join(' ');
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
            <div key={i} className={cls} data-line={i + 1}>
              <span className="nb-src-no">{i + 1}</span>
              <span className="nb-src-text">{isLine ? markToken(text, target?.column, target?.length) : text || ' '}</span>
            </div>
          );
        })}
      </section>
    </div>
  );
}

function markToken(text: string, column: number | undefined, length: number | undefined) {
  if (!column || column < 1 || column > text.length + 1) return text || ' ';
  const start = column - 1;
  const end = Math.min(text.length, start + (length ?? 1));
  if (end <= start) return text || ' ';
  return (
    <>
      {text.slice(0, start)}
      <mark className="nb-src-mark">{text.slice(start, end)}</mark>
      {text.slice(end)}
    </>
  );
}
