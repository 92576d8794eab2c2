/**
 * 报告库: the stored reports with filters, and charts over them. Each report shows the 发布机关 named
 * in it (and the agency it was filed for, when another); a file already stored for the agency is not
 * stored again unless the person chooses 仍然保存; the year-over-year chart has one series per agency
 * over every year of the range (a year without a report is a gap), never a sum of different agencies.
 */
import { BarChartOutlined, DeleteOutlined, UnorderedListOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Col,
  Empty,
  Form,
  Modal,
  Popconfirm,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, api, issuesOf, libraryApi } from '../api';
import { useAuth } from '../auth';
import { Chart, type ChartOption, PALETTE } from '../components/Chart';
import { DuplicateReportAlert, duplicateOf } from '../components/DuplicateReportAlert';
import { PageHeader } from '../components/PageHeader';
import { formatTime } from '../format';
import { FORMAT_LABELS } from '../labels';
import type { Agency, DuplicateReport, LibraryStats, ReportSummary, TrendPoint } from '../types';

const axisLabel = { color: '#595959' };
const title = (text: string, subtext?: string) => ({
  text,
  subtext,
  left: 0,
  textStyle: { fontSize: 15, fontWeight: 600, color: '#1f2329' },
  subtextStyle: { color: '#8c8c8c' },
});

const norm = (s: string) => s.replace(/\s+/g, '');

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

export type TrendMetric = keyof TrendPoint;

export const TREND_METRICS: { value: TrendMetric; label: string; unit: string }[] = [
  { value: 'newApplications', label: '新收申请', unit: '件' },
  { value: 'reviews', label: '行政复议', unit: '件' },
  { value: 'litigations', label: '行政诉讼', unit: '件' },
];

/** every year from the first to the last with a report (older servers: the years with one) */
export function trendRange(stats: LibraryStats): number[] {
  if (stats.range) return stats.range;
  const ys = [...new Set(stats.trend.map((t) => t.year))].sort((a, b) => a - b);
  const out: number[] = [];
  if (ys.length > 0) for (let y = ys[0]; y <= ys[ys.length - 1]; y++) out.push(y);
  return out;
}

/** one series per agency over `trendRange`: null where the agency has no report of the year */
export function trendSeries(stats: LibraryStats): NonNullable<LibraryStats['series']> {
  return stats.series ?? [];
}

/** the years of the range in which no agency has a report */
function emptyYears(range: number[], series: NonNullable<LibraryStats['series']>): Set<number> {
  return new Set(range.filter((_, i) => series.every((s) => s.points[i] === null)));
}

/**
 * 逐年趋势: one series per agency (a bar per year for a single agency, a line each for several), every
 * year of the range on the axis; a year without a report is a gap, marked 无报告 when no agency has one
 */
export function trendOption(stats: LibraryStats, metric: TrendMetric = 'newApplications'): ChartOption {
  const range = trendRange(stats);
  const series = trendSeries(stats);
  const m = TREND_METRICS.find((x) => x.value === metric) ?? TREND_METRICS[0];
  const none = emptyYears(range, series);
  const single = series.length === 1;
  return {
    // the title and its explanation are the card's own text (they wrap on a phone)
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: single ? 'shadow' : 'line' },
      formatter: (ps: { seriesName: string; value: number | null; dataIndex: number; marker: string }[]) => {
        const year = range[ps[0]?.dataIndex ?? 0];
        const lines = ps.map(
          (p) => `${p.marker}${p.seriesName}：${p.value === null || p.value === undefined ? '无报告' : `${p.value} ${m.unit}`}`,
        );
        return [`${year} 年度`, ...lines].join('<br/>');
      },
    },
    legend: single ? undefined : { type: 'scroll', bottom: 0, textStyle: { color: '#595959' } },
    grid: { left: 8, right: 16, top: 24, bottom: single ? 8 : 40, containLabel: true },
    xAxis: {
      type: 'category',
      data: range.map((y) => (none.has(y) ? `${y}年\n无报告` : `${y}年`)),
      axisLabel,
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel, splitLine: { lineStyle: { color: '#f0f0f0' } } },
    series: series.map((s, i) => {
      const data = s.points.map((p) => (p === null ? null : p[metric]));
      return single
        ? {
            name: s.agencyName,
            type: 'bar',
            data,
            barMaxWidth: 40,
            itemStyle: { color: PALETTE[0], borderRadius: [3, 3, 0, 0] },
            label: { show: true, position: 'top', color: '#8c8c8c', fontSize: 11 },
          }
        : {
            name: s.agencyName,
            type: 'line',
            data,
            connectNulls: false,
            symbolSize: 7,
            lineStyle: { width: 2 },
            itemStyle: { color: PALETTE[i % PALETTE.length] },
          };
    }),
  };
}

/** the figures of the trend chart as a table: an agency a row, a year a column ('—': no report) */
function TrendTable({ stats, metric }: { stats: LibraryStats; metric: TrendMetric }) {
  const range = trendRange(stats);
  const series = trendSeries(stats);
  const m = TREND_METRICS.find((x) => x.value === metric) ?? TREND_METRICS[0];
  type Row = { key: string; agencyName: string; points: (TrendPoint | null)[] };
  const rows: Row[] = series.map((s) => ({ key: String(s.agencyId), agencyName: s.agencyName, points: s.points }));
  return (
    <Table<Row>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      data-testid="trend-table"
      caption={<span className="nb-small">{`${m.label}（${m.unit}），“—”为该年度没有报告`}</span>}
      columns={[
        { title: '机关', dataIndex: 'agencyName', fixed: 'left', width: 180 },
        ...range.map((y, i) => ({
          title: `${y}年`,
          key: String(y),
          align: 'right' as const,
          render: (_: unknown, r: Row) => {
            const p = r.points[i];
            return p === null ? (
              <Typography.Text type="secondary" title="该年度没有报告">
                —
              </Typography.Text>
            ) : (
              p[metric].toLocaleString('zh-CN')
            );
          },
        })),
      ]}
    />
  );
}

function TrendCard({ stats }: { stats: LibraryStats }) {
  const [metric, setMetric] = useState<TrendMetric>('newApplications');
  const empty = trendRange(stats).length === 0;
  const option = useMemo(() => trendOption(stats, metric), [stats, metric]);
  const series = trendSeries(stats);
  const m = TREND_METRICS.find((x) => x.value === metric) ?? TREND_METRICS[0];
  return (
    <Card size="small" className="nb-chart-card" data-testid="trend-card">
      {empty ? (
        <div className="nb-chart-empty">
          <Typography.Text strong>逐年趋势</Typography.Text>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无数据" />
        </div>
      ) : (
        <>
          <Typography.Text strong style={{ fontSize: 15, color: '#1f2329' }}>
            逐年趋势：{m.label}（{m.unit}）
          </Typography.Text>
          <Typography.Paragraph type="secondary" className="nb-small" style={{ margin: '2px 0 8px' }} data-testid="trend-note">
            {series.length === 1
              ? `${series[0].agencyName}；空缺表示该年度没有报告。`
              : `按机关分列（${series.length} 个机关），不同机关不相加；空缺表示该机关该年度没有报告。`}
          </Typography.Paragraph>
          <Segmented<TrendMetric>
            size="small"
            value={metric}
            onChange={setMetric}
            options={TREND_METRICS.map((x) => ({ value: x.value, label: x.label }))}
            aria-label="趋势指标"
            data-testid="trend-metric"
            style={{ marginBottom: 8 }}
          />
          <Chart option={option} height={360} testId="chart-trend" />
          <details style={{ marginTop: 8 }}>
            <summary>查看数据表</summary>
            <TrendTable stats={stats} metric={metric} />
          </details>
        </>
      )}
    </Card>
  );
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
  const [uploading, setUploading] = useState(false);

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
  const canUpload = can('admin', 'clerk', 'reviewer');

  const columns: ColumnsType<ReportSummary> = [
    {
      title: '发布机关',
      dataIndex: 'publisher',
      render: (_: unknown, r) => {
        // the publisher named in the report; the agency it was filed for below it when that is another
        const publisher = r.publisher === undefined ? r.agencyName : r.publisher;
        const filedFor = r.agencyName && (!publisher || norm(publisher) !== norm(r.agencyName)) ? r.agencyName : null;
        return (
          <div>
            <Link to={`/library/${r.id}`} data-testid={`report-link-${r.id}`} onClick={(e) => e.stopPropagation()}>
              {publisher ?? '（报告中未写明）'}
            </Link>
            {filedFor && (
              <div>
                <Typography.Text type="secondary" className="nb-small" data-testid={`report-filed-for-${r.id}`}>
                  上传机关：{filedFor}
                </Typography.Text>
              </div>
            )}
          </div>
        );
      },
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
            {canUpload && (
              <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading(true)} data-testid="library-upload">
                上传到报告库
              </Button>
            )}
            <Select
              allowClear
              placeholder="全部机关"
              value={agencyId}
              onChange={(v) => setParam('agencyId', v)}
              options={agencyOptions}
              style={{ width: 240, maxWidth: '100%' }}
              showSearch={{ optionFilterProp: 'label' }}
              aria-label="按机关筛选"
              data-testid="library-agency"
            />
            <Select
              allowClear
              placeholder="全部年度"
              value={year}
              onChange={(v) => setParam('year', v)}
              options={years.map((y) => ({ value: y, label: `${y} 年度` }))}
              style={{ width: 130 }}
              aria-label="按年度筛选"
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
                  scroll={{ x: 'max-content' }}
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
                {(stats.superseded ?? 0) > 0 && (
                  <Col span={24}>
                    <Alert
                      type="info"
                      showIcon
                      data-testid="library-superseded"
                      title={`同一机关同一年度有多份报告时，统计只计最新的一份；另有 ${stats.superseded} 份较早的版本未计入（仍在报告列表中）。`}
                    />
                  </Col>
                )}
                <Col xs={24} xl={12}>
                  <TrendCard stats={stats} />
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
      {uploading && (
        <UploadModal
          agencies={agencies}
          pickAgency={can('admin', 'reviewer') && agencies.length > 1}
          defaultAgency={agencyId ?? undefined}
          onClose={(saved) => {
            setUploading(false);
            if (saved !== undefined) {
              message.success('已保存到报告库。');
              load();
            }
          }}
        />
      )}
    </div>
  );
}

/**
 * 上传到报告库: a file (and, for a reviewer or an administrator, the agency it is filed for). The same
 * file already stored for the agency is named, and stored again only when the person chooses 仍然保存.
 */
function UploadModal({
  agencies,
  pickAgency,
  defaultAgency,
  onClose,
}: {
  agencies: Agency[];
  pickAgency: boolean;
  defaultAgency?: string;
  onClose: (saved?: ReportSummary['id']) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [agency, setAgency] = useState<string | undefined>(defaultAgency);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [duplicate, setDuplicate] = useState<DuplicateReport | null>(null);

  async function save(allowDuplicate: boolean) {
    if (!file) {
      setError('请选择要上传的报告文件。');
      return;
    }
    if (pickAgency && agency === undefined) {
      setError('请选择报告所属的机关。');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const r = await libraryApi.upload(file, { agencyId: pickAgency ? agency : undefined, allowDuplicate });
      onClose(r.id);
    } catch (e) {
      const d = duplicateOf(e);
      if (d) setDuplicate(d);
      else if (e instanceof ApiError) setError([e.message, issuesOf(e)].filter(Boolean).join('\n'));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title="上传到报告库"
      onCancel={() => onClose()}
      onOk={() => save(false)}
      okText="检查并保存"
      cancelText="取消"
      confirmLoading={saving && duplicate === null}
      okButtonProps={{ disabled: duplicate !== null, 'data-testid': 'library-upload-submit' } as ButtonProps}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        报告会先经过检查再保存，原文件一并保存。同一机关已保存过的同一文件不会重复保存。
      </Typography.Paragraph>
      <Form layout="vertical" component="div">
        <Form.Item label="报告文件" required>
          <Upload
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              setDuplicate(null);
              setError(null);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              setDuplicate(null);
            }}
            fileList={file ? [{ uid: 'file', name: file.name, size: file.size, type: file.type, status: 'done' as const }] : []}
          >
            <Button icon={<UploadOutlined />} data-testid="library-upload-pick">
              选择文件
            </Button>
          </Upload>
        </Form.Item>
        {pickAgency && (
          <Form.Item label="所属机关" htmlFor="library-upload-agency" required>
            <Select
              id="library-upload-agency"
              showSearch={{ optionFilterProp: 'label' }}
              value={agency}
              onChange={(v) => {
                setAgency(v);
                setDuplicate(null);
              }}
              options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
              placeholder="请选择报告所属的机关"
              data-testid="library-upload-agency"
            />
          </Form.Item>
        )}
      </Form>
      {duplicate && <DuplicateReportAlert report={duplicate} saving={saving} onSaveAnyway={() => save(true)} onCancel={() => onClose()} />}
      {error && <Alert type="error" showIcon title={error} style={{ whiteSpace: 'pre-line' }} data-testid="library-upload-error" />}
    </Modal>
  );
}
