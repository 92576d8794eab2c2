/**
 * The diagnostics list: severity, the rule's Chinese name (its id after it in grey, for those who look
 * it up), message, place. Clicking a row selects its cell.
 */
import { Empty, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { pathLabel, ruleLabel, SEVERITY_COLORS, SEVERITY_LABELS } from '../labels';
import type { Diagnostic, Provenance } from '../types';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function placeOf(d: Diagnostic): string {
  const parts: string[] = [];
  const o = d.origin;
  if (o) parts.push(provenanceText(o));
  else if (d.location) parts.push(`第 ${d.location.line} 行第 ${d.location.column} 列`);
  return parts.join('；');
}

export function provenanceText(p: Provenance): string {
  switch (p.kind) {
    case 'text':
      return `第 ${p.line} 行第 ${p.column} 列`;
    case 'pdf':
      // a scanned page: the text was recognised (OCR), with the recogniser's confidence
      return p.ocr
        ? `第 ${p.page} 页（扫描件文字识别${p.confidence !== undefined ? `，把握 ${Math.round(p.confidence * 100)}%` : ''}）`
        : `第 ${p.page} 页`;
    case 'docx-paragraph':
      return `第 ${p.paragraph} 段`;
    case 'table': {
      const where = `表${p.table} 第${p.row}行 第${p.cell}格`;
      const extra = [p.sheet ? `工作表“${p.sheet}”` : '', p.address ?? '', p.line ? `第 ${p.line} 行` : ''].filter(Boolean).join(' ');
      return extra ? `${where}（${extra}）` : where;
    }
    default:
      return '';
  }
}

export interface IndexedDiagnostic extends Diagnostic {
  index: number;
}

/** the rule of a diagnostic: its Chinese name, then its id in small grey type */
function RuleName({ rule }: { rule: string }) {
  return (
    <span className="nb-rule">
      <span>{ruleLabel(rule)}</span>{' '}
      <Typography.Text type="secondary" className="nb-rule-id" title="规则编号（查阅检查规则说明时使用）">
        {rule}
      </Typography.Text>
    </span>
  );
}

export function DiagnosticsTable({
  diagnostics,
  selected,
  onSelect,
  loading,
  pageSize = 10,
  compact = false,
}: {
  diagnostics: readonly Diagnostic[];
  selected: number | null;
  onSelect: (index: number) => void;
  loading?: boolean;
  pageSize?: number;
  /** for a narrow column: the rule id goes under the message */
  compact?: boolean;
}) {
  const rows: IndexedDiagnostic[] = diagnostics
    .map((d, index) => ({ ...d, index }))
    .sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.index - b.index);
  const columns: ColumnsType<IndexedDiagnostic> = [
    {
      title: '级别',
      dataIndex: 'severity',
      width: 76,
      filters: (['error', 'warning', 'info'] as const).map((s) => ({ text: SEVERITY_LABELS[s], value: s })),
      onFilter: (v, r) => r.severity === v,
      render: (s: Diagnostic['severity']) => (
        <Tag color={SEVERITY_COLORS[s]} style={{ marginInlineEnd: 0 }}>
          {SEVERITY_LABELS[s]}
        </Tag>
      ),
    },
    ...(compact
      ? []
      : [
          {
            title: '检查项目',
            dataIndex: 'rule',
            width: 200,
            render: (rule: string) => <RuleName rule={rule} />,
          },
        ]),
    {
      title: '说明',
      dataIndex: 'message',
      render: (m: string, r) =>
        compact ? (
          <div>
            <div>{m}</div>
            <RuleName rule={r.rule} />
          </div>
        ) : (
          m
        ),
    },
    {
      title: '位置',
      key: 'place',
      width: compact ? 150 : 220,
      render: (_, r) => (
        <div className="nb-diag-place">
          {r.path && <div>{pathLabel(r.path)}</div>}
          <Typography.Text type="secondary">{placeOf(r)}</Typography.Text>
        </div>
      ),
    },
  ];
  return (
    <Table<IndexedDiagnostic>
      data-testid="diagnostics-table"
      size="small"
      rowKey="index"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={
        rows.length > pageSize
          ? { pageSize, size: 'small', showSizeChanger: false, showTotal: (n, [from, to]) => `第 ${from}–${to} 个，共 ${n} 个问题` }
          : false
      }
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有发现问题" /> }}
      onRow={(r) => ({
        onClick: () => onSelect(r.index),
        className: `nb-diag-row${selected === r.index ? ' nb-diag-selected' : ''}`,
        'data-testid': `diagnostic-${r.index}`,
        'data-rule': r.rule,
        'data-path': r.path ?? undefined,
      })}
    />
  );
}
