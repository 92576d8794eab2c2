/**
 * Several files checked at once (a reviewer's batch): one row per file with its agency, year,
 * problems found, or why it could not be read; a row opens that report's full view.
 */
import { Button, Progress, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { CheckResult } from '../types';

export interface BatchRow {
  key: number;
  name: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  result?: CheckResult & { id?: string | number };
  message?: string;
}

export function BatchResults({ rows, selected, onSelect }: { rows: BatchRow[]; selected: number | null; onSelect: (key: number) => void }) {
  const finished = rows.filter((r) => r.state === 'done' || r.state === 'failed').length;
  const failed = rows.filter((r) => r.state === 'failed').length;
  const withErrors = rows.filter((r) => (r.result?.summary.errors ?? 0) > 0).length;
  return (
    <div data-testid="batch-results">
      <Space className="nb-gap-bottom" size="large" wrap>
        <Progress type="circle" size={56} percent={rows.length ? Math.round((finished / rows.length) * 100) : 0} />
        <Typography.Text data-testid="batch-summary">
          共 {rows.length} 个文件，已完成 {finished} 个：{withErrors} 个有错误，{failed} 个无法读取。
        </Typography.Text>
      </Space>
      <Table<BatchRow>
        size="small"
        rowKey="key"
        pagination={rows.length > 50 ? { pageSize: 50 } : false}
        dataSource={rows}
        rowClassName={(r) => (r.key === selected ? 'nb-row-selected' : '')}
        onRow={(r) => ({ onClick: () => r.result && onSelect(r.key) })}
        columns={[
          { title: '文件', dataIndex: 'name', ellipsis: true },
          {
            title: '发布机关',
            render: (_, r) => r.result?.report.agency ?? '',
          },
          { title: '年度', width: 80, render: (_, r) => r.result?.report.year ?? '' },
          {
            title: '结果',
            width: 220,
            sorter: (a, b) => (a.result?.summary.errors ?? -1) - (b.result?.summary.errors ?? -1),
            render: (_, r) => {
              if (r.state === 'waiting') return <Tag>等待</Tag>;
              if (r.state === 'running') return <Tag color="processing">检查中</Tag>;
              if (r.state === 'failed') return <Typography.Text type="danger">{r.message}</Typography.Text>;
              const s = r.result!.summary;
              return (
                <Space size={4}>
                  <Tag color={s.errors > 0 ? 'error' : 'success'}>{s.errors} 个错误</Tag>
                  {s.warnings > 0 && <Tag color="warning">{s.warnings} 个警告</Tag>}
                </Space>
              );
            },
          },
          {
            title: '',
            width: 150,
            render: (_, r) =>
              r.result ? (
                <Space size={4}>
                  <Button size="small" type={r.key === selected ? 'primary' : 'default'} onClick={() => onSelect(r.key)}>
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
