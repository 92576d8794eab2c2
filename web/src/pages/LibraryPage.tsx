/** 报告库: the stored reports with filters, and charts over them. */
import { BarChartOutlined, DeleteOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Empty, Popconfirm, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { useAuth } from '../auth';
import { Chart, type ChartOption, PALETTE } from '../components/Chart';
import { PageHeader } from '../components/PageHeader';
import { formatTime } from '../format';
import { FORMAT_LABELS } from '../labels';
import type { LibraryStats, ReportSummary } from '../types';

const axisLabel = { color: '#595959' };
const title = (text: string, subtext?: string) => ({
  text,
  subtext,
  left: 0,
  textStyle: { fontSize: 15, fontWeight: 600, color: '#1f2329' },
  subtextStyle: { color: '#8c8c8c' },
});

function truncate(s: string, n: number): string {
  const chars = Array.from(s);
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : s;
}

/** the outcome rows with a count, largest first, with short labels */
function outcomeRows(stats: LibraryStats) {
  return stats.byOutcome
    .filter((d) => d.total > 0)
    .sort((a, b) => b.total - a.total)
    .map((d) => ({ ...d, short: d.key === 'partlyGranted' ? '（二）部分公开' : d.label }));
}

export function outcomeHeight(stats: LibraryStats): number {
  return Math.max(340, outcomeRows(stats).length * 36 + 96);
}

/** category labels of the bar charts: up to two lines of 15em, the rest in the tooltip */
const wrappedLabel = {
  ...axisLabel,
  formatter: (v: string) => truncate(v, 26),
  fontSize: 12,
  lineHeight: 16,
  width: 200,
  overflow: 'break',
  interval: 0,
} as const;

export function outcomeOption(stats: LibraryStats): ChartOption {
  const data = outcomeRows(stats).reverse();
  return {
    title: title('办理结果分布', '表二末级办理结果，各报告合计（不含为 0 的项目）'),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (p: { dataIndex: number; value: number }[]) => `${data[p[0].dataIndex].label}<br/>合计 <b>${p[0].value}</b> 件`,
    },
    grid: { left: 8, right: 48, top: 64, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel, splitLine: { lineStyle: { color: '#f0f0f0' } } },
    yAxis: {
      type: 'category',
      data: data.map((d) => d.short),
      axisLabel: wrappedLabel,
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        data: data.map((d) => d.total),
        barMaxWidth: 14,
        itemStyle: { color: PALETTE[0], borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: '#595959', fontSize: 11 },
      },
    ],
  };
}

export function applicantOption(stats: LibraryStats): ChartOption {
  return {
    title: title('申请人类型', '本年新收申请，按表二申请人类别'),
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
    legend: { bottom: 0, icon: 'circle', itemWidth: 10, textStyle: { color: '#595959' } },
    series: [
      {
        type: 'pie',
        radius: ['36%', '58%'],
        center: ['50%', '57%'],
        avoidLabelOverlap: true,
        minShowLabelAngle: 4,
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        label: { formatter: '{b}\n{d}%', color: '#595959' },
        data: stats.byApplicantType.map((d) => ({ name: d.label, value: d.total })),
      },
    ],
  };
}

export function trendOption(stats: LibraryStats): ChartOption {
  const t = [...stats.trend].sort((a, b) => a.year - b.year);
  return {
    title: title('逐年趋势', '新收申请（柱，左轴）；行政复议、行政诉讼（线，右轴）'),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 4, right: 0, textStyle: { color: '#595959' } },
    grid: { left: 8, right: 16, top: 88, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: t.map((x) => `${x.year}年`), axisLabel },
    yAxis: [
      { type: 'value', name: '申请（件）', axisLabel, splitLine: { lineStyle: { color: '#f0f0f0' } } },
      { type: 'value', name: '复议/诉讼（件）', axisLabel, minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      {
        name: '新收申请',
        type: 'bar',
        data: t.map((x) => x.newApplications),
        barMaxWidth: 40,
        itemStyle: { color: '#e9a6a9', borderRadius: [3, 3, 0, 0] },
        label: {
          show: true,
          position: 'top',
          color: '#8c8c8c',
          fontSize: 11,
          formatter: (p: { value: number }) => p.value.toLocaleString('zh-CN'),
        },
      },
      {
        name: '行政复议',
        type: 'line',
        yAxisIndex: 1,
        data: t.map((x) => x.reviews),
        symbolSize: 8,
        lineStyle: { width: 2.5 },
        itemStyle: { color: PALETTE[1] },
      },
      {
        name: '行政诉讼',
        type: 'line',
        yAxisIndex: 1,
        data: t.map((x) => x.litigations),
        symbolSize: 8,
        lineStyle: { width: 2.5 },
        itemStyle: { color: PALETTE[2] },
      },
    ],
  };
}

export function problemsOption(stats: LibraryStats): ChartOption {
  const data = [...stats.problems]
    .sort((a, b) => b.count - a.count)
    .slice(0, 15)
    .reverse();
  return {
    title: title('发现的问题', '按检查规则统计，前 15 项'),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (p: { dataIndex: number }[]) => {
        const d = data[p[0].dataIndex];
        return `${d.title}<br/><span style="color:#8c8c8c">${d.rule}</span><br/>共 <b>${d.count}</b> 处`;
      },
    },
    grid: { left: 8, right: 40, top: 64, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel, minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } } },
    yAxis: {
      type: 'category',
      data: data.map((d) => d.title || d.rule),
      axisLabel: wrappedLabel,
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        data: data.map((d) => d.count),
        barMaxWidth: 14,
        itemStyle: { color: PALETTE[2], borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: '#595959', fontSize: 11 },
      },
    ],
  };
}

function ChartCard({ option, empty, testId, height = 340 }: { option: ChartOption; empty: boolean; testId: string; height?: number }) {
  return (
    <Card size="small" className="nb-chart-card">
      {empty ? (
        <div className="nb-chart-empty">
          <Typography.Text strong>{(option.title as { text: string }).text}</Typography.Text>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无数据" />
        </div>
      ) : (
        <Chart option={option} height={height} testId={testId} />
      )}
    </Card>
  );
}

export default function LibraryPage() {
  const { can, agencies } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const agencyId = params.get('agencyId') ?? undefined;
  const year = params.get('year') ? Number(params.get('year')) : undefined;
  const tab = params.get('tab') ?? 'list';
  const [reports, setReports] = useState<ReportSummary[]>([]);
  const [stats, setStats] = useState<LibraryStats | null>(null);
  const [loading, setLoading] = useState(false);

  const setParam = (k: string, v: string | number | undefined) => {
    const p = new URLSearchParams(params);
    if (v === undefined || v === '') p.delete(k);
    else p.set(k, String(v));
    setParams(p, { replace: true });
  };

  const load = useCallback(() => {
    setLoading(true);
    Promise.all([api.reports({ agencyId, year }).then((r) => setReports(r.reports)), api.stats({ agencyId, year }).then(setStats)])
      .catch(() => {})
      .finally(() => setLoading(false));
  }, [agencyId, year]);
  useEffect(load, [load]);

  const years = useMemo(() => {
    const ys = new Set<number>(stats?.years ?? []);
    for (const r of reports) if (r.year) ys.add(r.year);
    if (year) ys.add(year);
    return [...ys].sort((a, b) => b - a);
  }, [stats, reports, year]);

  const agencyOptions = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of agencies) m.set(String(a.id), a.name);
    for (const r of reports) if (r.agencyId !== null && r.agencyName) m.set(String(r.agencyId), r.agencyName);
    return [...m.entries()].map(([value, label]) => ({ value, label }));
  }, [agencies, reports]);

  const columns: ColumnsType<ReportSummary> = [
    {
      title: '发布机关',
      dataIndex: 'agencyName',
      render: (name: string | null, r) => (
        <Link to={`/library/${r.id}`} data-testid={`report-link-${r.id}`}>
          {name ?? '（未识别）'}
        </Link>
      ),
    },
    {
      title: '年度',
      dataIndex: 'year',
      width: 80,
      sorter: (a, b) => (a.year ?? 0) - (b.year ?? 0),
      render: (y: number | null) => y ?? '—',
    },
    { title: '格式', dataIndex: 'format', width: 100, render: (f: string | null) => (f ? (FORMAT_LABELS[f] ?? f) : '—') },
    {
      title: '文件',
      dataIndex: 'fileName',
      ellipsis: true,
      render: (f: string | null) => f ?? '（粘贴文本）',
    },
    {
      title: '上传',
      key: 'uploaded',
      width: 200,
      sorter: (a, b) => a.uploadedAt.localeCompare(b.uploadedAt),
      defaultSortOrder: 'descend',
      render: (_, r) => (
        <div>
          <div>{r.uploadedBy ?? '—'}</div>
          <Typography.Text type="secondary" className="nb-small">
            {formatTime(r.uploadedAt)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '检查结果',
      key: 'result',
      width: 170,
      sorter: (a, b) => a.errors - b.errors || a.warnings - b.warnings,
      render: (_, r) =>
        r.errors === 0 && r.warnings === 0 ? (
          <Tag color="success">无问题</Tag>
        ) : (
          <Space size={4}>
            {r.errors > 0 && <Tag color="red">{r.errors} 错误</Tag>}
            {r.warnings > 0 && <Tag color="orange">{r.warnings} 警告</Tag>}
          </Space>
        ),
    },
    ...(can('admin')
      ? [
          {
            title: '',
            key: 'actions',
            width: 56,
            render: (_: unknown, r: ReportSummary) => (
              <Popconfirm
                title="删除这份报告？"
                description="原文件、检查结果将一并删除。"
                okText="删除"
                okButtonProps={{ danger: true }}
                cancelText="取消"
                onConfirm={async () => {
                  await api.deleteReport(r.id);
                  message.success('已删除。');
                  load();
                }}
              >
                <Button type="text" danger icon={<DeleteOutlined />} aria-label="删除" onClick={(e) => e.stopPropagation()} />
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="nb-page">
      <PageHeader
        title="报告库"
        subtitle="已保存的年度报告及其检查结果；统计图按当前筛选条件汇总。"
        extra={
          <Space wrap>
            <Select
              allowClear
              placeholder="全部机关"
              value={agencyId}
              onChange={(v) => setParam('agencyId', v)}
              options={agencyOptions}
              style={{ width: 240 }}
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="library-agency"
            />
            <Select
              allowClear
              placeholder="全部年度"
              value={year}
              onChange={(v) => setParam('year', v)}
              options={years.map((y) => ({ value: y, label: `${y} 年度` }))}
              style={{ width: 130 }}
              data-testid="library-year"
            />
          </Space>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => setParam('tab', k === 'list' ? undefined : k)}
        items={[
          {
            key: 'list',
            label: (
              <span>
                <UnorderedListOutlined /> 报告列表
              </span>
            ),
            children: (
              <Card>
                <Table<ReportSummary>
                  rowKey="id"
                  columns={columns}
                  dataSource={reports}
                  loading={loading}
                  data-testid="library-table"
                  pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (n) => `共 ${n} 份` }}
                  onRow={(r) => ({ onClick: () => navigate(`/library/${r.id}`), className: 'nb-clickable-row' })}
                  locale={{
                    emptyText: (
                      <Empty description="报告库中还没有报告">
                        <Link to="/check">去上传并检查一份报告</Link>
                      </Empty>
                    ),
                  }}
                />
              </Card>
            ),
          },
          {
            key: 'charts',
            label: (
              <span>
                <BarChartOutlined /> 统计图
              </span>
            ),
            children: stats ? (
              <Row gutter={[16, 16]} data-testid="library-charts">
                <Col xs={24} xl={12}>
                  <ChartCard option={trendOption(stats)} empty={stats.trend.length === 0} testId="chart-trend" />
                </Col>
                <Col xs={24} xl={12}>
                  <ChartCard
                    option={applicantOption(stats)}
                    empty={stats.byApplicantType.every((d) => d.total === 0)}
                    testId="chart-applicant"
                  />
                </Col>
                <Col xs={24} xl={12}>
                  <ChartCard
                    option={outcomeOption(stats)}
                    empty={stats.byOutcome.every((d) => d.total === 0)}
                    testId="chart-outcome"
                    height={outcomeHeight(stats)}
                  />
                </Col>
                <Col xs={24} xl={12}>
                  <ChartCard
                    option={problemsOption(stats)}
                    empty={stats.problems.length === 0}
                    testId="chart-problems"
                    height={outcomeHeight(stats)}
                  />
                </Col>
              </Row>
            ) : (
              <Card loading />
            ),
          },
        ]}
      />
    </div>
  );
}
