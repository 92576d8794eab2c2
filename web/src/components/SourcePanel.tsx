/**
 * The source beside the tables: `source.lines` with line numbers, the origin of the selected
 * cell highlighted (a line and the token at its column; a PDF page and its lines) and scrolled to.
 */
import { FileTextOutlined } from '@ant-design/icons';
import { Empty, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { SOURCE_KIND_LABELS } from '../labels';
import type { CheckResult, Provenance } from '../types';
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

/** the source target of a provenance */
export function targetOf(
  prov: Provenance | null | undefined,
  raw: string | undefined,
  label: string,
  tableRows?: Record<string, number>,
): SourceTarget | null {
  if (!prov) return null;
  const where = provenanceText(prov);
  const base: SourceTarget = { caption: `${label ? `${label}：` : ''}${where}`, raw };
  const len = raw ? Math.max(1, raw.length) : undefined;
  switch (prov.kind) {
    case 'text':
      return { ...base, line: prov.line, column: prov.column, length: len };
    case 'pdf':
      return { ...base, page: prov.page };
    case 'table': {
      if (prov.line) return { ...base, line: prov.line, column: prov.column, length: len };
      // DOCX/XLSX: the line that shows the cell's table row
      const row = tableRows?.[`${prov.table}:${prov.row}`];
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
  const scroller = useRef<HTMLDivElement>(null);
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

  const range: [number, number] | null = target?.page !== undefined ? (pages.get(target.page) ?? null) : null;
  const lineIndex = target?.line !== undefined ? target.line - 1 : null;
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const focus = lineIndex ?? range?.[0] ?? null;
    if (focus === null) return;
    const row = el.querySelector<HTMLElement>(`[data-line="${focus + 1}"]`);
    if (!row) return;
    const top = row.offsetTop - el.clientHeight / 3;
    el.scrollTo({ top: Math.max(0, top), behavior: 'smooth' });
    const mark = row.querySelector<HTMLElement>('.nb-src-mark');
    if (mark) {
      const left = mark.offsetLeft - el.clientWidth / 2;
      el.scrollTo({ top: Math.max(0, top), left: Math.max(0, left), behavior: 'smooth' });
    }
  }, [lineIndex, range]);

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
        <Tag>{SOURCE_KIND_LABELS[source.kind] ?? source.kind}</Tag>
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
            {target.page !== undefined && !range && <Typography.Text type="secondary">（原文中未找到该页）</Typography.Text>}
          </>
        ) : (
          <Typography.Text type="secondary">点击表格中的数值或问题列表中的一项，查看它在原文中的位置。</Typography.Text>
        )}
      </div>
      <div className="nb-source-lines" ref={scroller} style={height !== undefined ? { height } : undefined} data-testid="source-lines">
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
      </div>
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
