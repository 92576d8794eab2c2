/**
 * 跨机关雷同: the pairs of bodies whose narratives of the year share text above a threshold
 * (containment of the smaller in the other, boilerplate left out), with the shared passages side by
 * side.
 */
import { Card, Empty, InputNumber, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import type { CopiedPair, CopiesAnswer } from '../../supervise-types';
import { KeyboardScroll, pct, sapi, useSuperviseYear, YearSelect } from './common';

const SECTION_ZH: Record<string, string> = {
  overview: '一、总体情况',
  problems: '五、存在的主要问题及改进情况',
};

const QUOTE = {
  flex: '1 1 260px',
  minWidth: 0,
  margin: 0,
  padding: '8px 10px',
  borderLeft: '3px solid #ffa39e',
  background: '#fff7f6',
  lineHeight: 1.7,
  wordBreak: 'break-word',
} as const;

function Passages({ pair, names }: { pair: CopiedPair; names: Record<string, string> }) {
  const a = names[String(pair.a)] ?? '';
  const b = names[String(pair.b)] ?? '';
  if (pair.passages.length === 0) return <Typography.Text type="secondary">没有列出相同的段落。</Typography.Text>;
  return (
    <ol className="nb-plain-list" data-testid="copy-passages">
      {pair.passages.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
        <li key={i} style={{ marginBottom: 8 }}>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            <figure style={QUOTE}>
              <figcaption className="nb-small nb-muted">{a}</figcaption>
              <blockquote style={{ margin: '4px 0 0' }}>{p.a}</blockquote>
            </figure>
            <figure style={QUOTE}>
              <figcaption className="nb-small nb-muted">{b}</figcaption>
              <blockquote style={{ margin: '4px 0 0' }}>{p.b}</blockquote>
            </figure>
          </div>
        </li>
      ))}
    </ol>
  );
}

export default function CopiesPage() {
  const [year, setYear] = useSuperviseYear();
  const [threshold, setThreshold] = useState(50);
  const [data, setData] = useState<CopiesAnswer | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const t = setTimeout(() => {
      sapi
        .copies(year, threshold / 100)
        .then((r) => {
          if (live) setData(r);
        })
        .catch(() => {
          if (live) setData(null);
        })
        .finally(() => {
          if (live) setLoading(false);
        });
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [year, threshold]);

  const names = data?.names ?? {};
  const pairs = [...(data?.pairs ?? [])].sort((x, y) => y.ratio - x.ratio);
  const columns: ColumnsType<CopiedPair> = [
    { title: '机关甲', key: 'a', render: (_, p) => names[String(p.a)] ?? '' },
    { title: '机关乙', key: 'b', render: (_, p) => names[String(p.b)] ?? '' },
    {
      title: '相似度',
      key: 'ratio',
      width: 100,
      sorter: (x, y) => x.ratio - y.ratio,
      defaultSortOrder: 'descend',
      render: (_, p) => <Tag color={p.ratio >= 0.8 ? 'red' : 'orange'}>{pct(p.ratio)}</Tag>,
    },
    { title: '部分', key: 'section', width: 200, render: (_, p) => SECTION_ZH[p.section] ?? '正文' },
    { title: '相同段落', key: 'n', width: 100, render: (_, p) => `${p.passages.length} 处` },
  ];

  return (
    <div className="nb-page" data-testid="copies-page">
      <PageHeader
        title="跨机关雷同"
        subtitle="同一年度不同机关的年度报告正文中相同的内容：相似度为较短一方的内容出现在另一方中的比例，常见套话不计。展开一行查看相同的段落。"
        extra={
          <Space wrap>
            <YearSelect year={year} onChange={setYear} />
            <label htmlFor="copies-threshold" className="nb-muted">
              相似度不低于
            </label>
            <InputNumber
              id="copies-threshold"
              min={10}
              max={100}
              step={5}
              precision={0}
              value={threshold}
              onChange={(v) => setThreshold(v ?? 50)}
              suffix="%"
              style={{ width: 100 }}
              data-testid="copies-threshold"
            />
          </Space>
        }
      />
      <Card>
        <KeyboardScroll>
          <Table<CopiedPair>
            rowKey={(p) => `${p.a}-${p.b}-${p.section}`}
            size="small"
            columns={columns}
            dataSource={pairs}
            loading={loading}
            scroll={{ x: 720 }}
            pagination={pairs.length > 50 ? { pageSize: 50, showSizeChanger: false, showTotal: (n) => `共 ${n} 对` } : false}
            expandable={{
              columnTitle: <span className="nb-sr-only">展开雷同段落</span>,
              expandedRowRender: (p) => <Passages pair={p} names={names} />,
              expandRowByClick: true,
            }}
            data-testid="copies-table"
            locale={{ emptyText: <Empty description={`${year} 年度没有相似度在 ${threshold}% 以上的报告`} /> }}
          />
        </KeyboardScroll>
      </Card>
    </div>
  );
}
