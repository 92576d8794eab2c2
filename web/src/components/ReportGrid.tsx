/**
 * One of the three tables drawn from its Grid (src/render/layout.ts) exactly as in the official
 * layout: the same rows, rowspans and colspans and labels. Value cells carry `data-path`; a cell
 * with a diagnostic is red (error) or orange (warning) with its messages in a tooltip.
 */
import { Tooltip } from 'antd';
import { memo } from 'react';
import { SEVERITY_LABELS } from '../labels';
import type { Diagnostic, Grid, GridCell } from '../types';

export type DiagIndex = Map<string, Diagnostic[]>;

export interface CellMarks {
  diagnostics: DiagIndex;
  /** path → candidate values of an ambiguous cell */
  ambiguities?: Map<string, (string | number)[]>;
}

const TABLE_NAMES: Record<string, string> = { proactive: '表一', applications: '表二', reviewLitigation: '表三' };

function worst(ds: Diagnostic[] | undefined): Diagnostic['severity'] | null {
  if (!ds || ds.length === 0) return null;
  if (ds.some((d) => d.severity === 'error')) return 'error';
  if (ds.some((d) => d.severity === 'warning')) return 'warning';
  return 'info';
}

function ValueCell({
  cell,
  marks,
  selected,
  onSelect,
}: {
  cell: GridCell;
  marks: CellMarks;
  selected: boolean;
  onSelect?: (path: string) => void;
}) {
  const path = cell.path ?? '';
  const ds = marks.diagnostics.get(path);
  const sev = worst(ds);
  const amb = marks.ambiguities?.get(path);
  const cls = [
    'nb-cell-value',
    sev ? `nb-sev-${sev}` : '',
    amb ? 'nb-ambiguous' : '',
    selected ? 'nb-selected' : '',
    onSelect ? 'nb-clickable' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const td = (
    <td
      className={cls}
      colSpan={cell.colspan}
      rowSpan={cell.rowspan}
      data-path={path}
      data-testid={`cell-${path}`}
      data-severity={sev ?? undefined}
      onClick={onSelect ? () => onSelect(path) : undefined}
      onKeyDown={onSelect ? (e) => (e.key === 'Enter' || e.key === ' ') && onSelect(path) : undefined}
      tabIndex={onSelect ? 0 : undefined}
    >
      {cell.text ?? ''}
    </td>
  );
  if (!ds && !amb) return td;
  const title = (
    <div className="nb-cell-tip">
      {ds?.map((d, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: diagnostics have no id; the list is fixed per render
        <div key={i}>
          <b>{SEVERITY_LABELS[d.severity]}</b>：{d.message}
        </div>
      ))}
      {amb && <div>无法确定该格数值，可能为：{amb.length ? amb.join('、') : '（无法枚举）'}</div>}
    </div>
  );
  return (
    <Tooltip title={title} placement="top" mouseEnterDelay={0.15}>
      {td}
    </Tooltip>
  );
}

function ReportGridImpl({
  grid,
  marks,
  selected,
  onSelect,
  showHeading = true,
}: {
  grid: Grid;
  marks: CellMarks;
  selected: string | null;
  onSelect?: (path: string) => void;
  showHeading?: boolean;
}) {
  return (
    <section className={`nb-grid nb-grid-${grid.table}`} data-testid={`grid-${grid.table}`}>
      {showHeading && (
        <h2 className="nb-grid-heading">
          <span className="nb-grid-tag">{TABLE_NAMES[grid.table] ?? ''}</span>
          {grid.heading}
        </h2>
      )}
      <div className="nb-grid-scroll">
        <table className="nb-table">
          <tbody>
            {grid.rows.map((row, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: grid rows are positional
              <tr key={r}>
                {row.map((cell, c) =>
                  cell.role === 'value' ? (
                    <ValueCell key={cell.path ?? c} cell={cell} marks={marks} selected={selected === cell.path} onSelect={onSelect} />
                  ) : (
                    <th
                      // biome-ignore lint/suspicious/noArrayIndexKey: label cells are positional
                      key={c}
                      colSpan={cell.colspan}
                      rowSpan={cell.rowspan}
                      className={cell.role === 'note' ? 'nb-cell-note' : 'nb-cell-label'}
                      scope={cell.colspan > 1 ? 'colgroup' : undefined}
                    >
                      {cell.text}
                    </th>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export const ReportGrid = memo(ReportGridImpl);

/** diagnostics indexed by the path of their cell */
export function indexDiagnostics(ds: readonly Diagnostic[]): DiagIndex {
  const m: DiagIndex = new Map();
  for (const d of ds) {
    if (!d.path) continue;
    const list = m.get(d.path);
    if (list) list.push(d);
    else m.set(d.path, [d]);
  }
  return m;
}
