/**
 * Several files checked at once (a reviewer's batch): one row per file with its agency, year,
 * problems found, or why it could not be read; a row opens that report's full view. Every file has
 * a row of its own, also two of the same name (the second is listed as “名称（2）”); a file that
 * names neither its agency nor its year is said not to be a report.
 */
import { Button, Progress, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { isNotAReport, NOT_A_REPORT } from '../labels';
import type { CheckResult } from '../types';

export interface BatchRow {
  /** unique within the batch (two files may have the same name) */
  key: string;
  /** the file's name */
  name: string;
  /** the name shown: the file's name, numbered “（2）” when an earlier file of the batch has the same name */
  label: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  result?: CheckResult & { id?: string | number };
  message?: string;
  /** the full result could not be kept in this browser (too large): only its summary is left */
  trimmed?: boolean;
}

/** the names shown for files checked together: a name that repeats is numbered “（2）”, “（3）”… */
export function uniqueLabels(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}（${k}）`;
  });
}

export function BatchResults({ rows, selected, onSelect }: { rows: BatchRow[]; selected: string | null; onSelect: (key: string) => void }) {
  const finished = rows.filter((r) => r.state === 'done' || r.state === 'failed').length;
  const failed = rows.filter((r) => r.state === 'failed').length;
  const withErrors = rows.filter((r) => (r.result?.summary.errors ?? 0) > 0).length;
  const notReports = rows.filter((r) => r.result && isNotAReport(r.result.report)).length;
  return (
    <div data-testid="batch-results">
      <Space className="nb-gap-bottom" size="large" wrap>
        <Progress
          type="circle"
          size={56}
          percent={rows.length ? Math.round((finished / rows.length) * 100) : 0}
          aria-label={`检查进度：已完成 ${finished} 个，共 ${rows.length} 个`}
        />
        <Typography.Text data-testid="batch-summary">
          共 {rows.length} 个文件，已完成 {finished} 个：{withErrors} 个有错误，{failed} 个无法读取
          {notReports > 0 ? `，${notReports} 个不是年报` : ''}。
        </Typography.Text>
      </Space>
      <Table<BatchRow>
        size="small"
        rowKey="key"
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false, showTotal: (n) => `共 ${n} 个文件` } : false}
        dataSource={rows}
        rowClassName={(r) => (r.key === selected ? 'nb-row-selected' : '')}
        onRow={(r) =>
          ({
            onClick: () => r.result && onSelect(r.key),
            'data-testid': `batch-row-${r.key}`,
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: '文件',
            dataIndex: 'label',
            ellipsis: true,
            render: (label: string) => <span data-user-text>{label}</span>,
          },
          {
            title: '发布机关',
            render: (_, r) => r.result?.report.agency ?? '',
          },
          { title: '年度', width: 80, render: (_, r) => r.result?.report.year ?? '' },
          {
            title: '结果',
            width: 240,
            sorter: (a, b) => (a.result?.summary.errors ?? -1) - (b.result?.summary.errors ?? -1),
            render: (_, r) => {
              if (r.state === 'waiting') return <Tag>等待</Tag>;
              if (r.state === 'running') return <Tag color="processing">检查中</Tag>;
              if (r.state === 'failed') return <Typography.Text type="danger">{r.message}</Typography.Text>;
              const s = r.result!.summary;
              const notReport = isNotAReport(r.result!.report);
              return (
                <Space size={4} wrap>
                  {notReport ? (
                    <Tag color="warning">{NOT_A_REPORT}</Tag>
                  ) : (
                    <Tag color={s.errors > 0 ? 'error' : 'success'}>{s.errors} 个错误</Tag>
                  )}
                  {notReport && s.errors > 0 && <Tag color="error">{s.errors} 个错误</Tag>}
                  {s.warnings > 0 && <Tag color="warning">{s.warnings} 个警告</Tag>}
                </Space>
              );
            },
          },
          {
            title: '操作',
            width: 150,
            render: (_, r) =>
              r.result ? (
                <Space size={4}>
                  <Button
                    size="small"
                    autoInsertSpace={false}
                    type={r.key === selected ? 'primary' : 'default'}
                    onClick={(e) => {
                      e.stopPropagation();
                      onSelect(r.key);
                    }}
                    aria-label={`查看“${r.label}”的检查结果`}
                  >
                    查看
                  </Button>
                  {r.result.id !== undefined && <Link to={`/library/${r.result.id}`}>报告库</Link>}
                </Space>
              ) : null,
          },
        ]}
      />
    </div>
  );
}
