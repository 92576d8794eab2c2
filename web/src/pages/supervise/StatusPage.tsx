/**
 * 发布情况: every body that must report for the year with its state — 未发布 (before the deadline),
 * 逾期未发布, 逾期发布 (days late), 已发布 —, its deadline, publication date, the errors the check
 * found and who reviewed it; the counts on top (a click filters the table), filters by state, errors
 * and review, the 标记已复核 action and the downloads (Excel, CSV). A body with more than one version
 * of its report opens 版本差异: each version (file, import time, publication date) with what changed
 * from the one before — the cells (old and new values), the sentences removed and added per section,
 * the publication date.
 */
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  FileExcelOutlined,
  FileTextOutlined,
  FlagOutlined,
  SafetyCertificateOutlined,
  StopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Empty, Input, Modal, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type CSSProperties, type HTMLAttributes, type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, request } from '../../api';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../format';
import { FORMAT_LABELS } from '../../labels';
import type { CellChange, ReportDiff, ReportVersion, StatusAnswer, StatusRow, VersionsAnswer } from '../../supervise-types';
import {
  bodyTypeLabel,
  DownloadButton,
  figure,
  KeyboardScroll,
  STATE_FILTERS,
  type StateFilter,
  StateTag,
  sapi,
  stateView,
  useSuperviseYear,
  YearSelect,
} from './common';

function CountCard({
  title,
  value,
  icon,
  color,
  active,
  onClick,
  testId,
}: {
  title: string;
  value: number | null;
  icon: ReactNode;
  color: string;
  active?: boolean;
  onClick?: () => void;
  testId: string;
}) {
  const inner = (
    <span style={{ display: 'flex', flexDirection: 'column', gap: 4, minWidth: 0 }}>
      <span style={{ display: 'flex', alignItems: 'center', gap: 6, color: 'rgba(0, 0, 0, 0.65)', fontSize: 14, lineHeight: 1.4 }}>
        <span style={{ color, fontSize: 16, flex: 'none' }} aria-hidden>
          {icon}
        </span>
        {title}
      </span>
      <span style={{ color: '#1f2329', fontSize: 24, fontWeight: 600, lineHeight: 1.3 }} data-testid={`${testId}-value`}>
        {value ?? '—'}
      </span>
    </span>
  );
  if (!onClick)
    return (
      <div style={{ ...CARD, cursor: 'default' }} data-testid={testId}>
        {inner}
      </div>
    );
  return (
    <button
      type="button"
      style={{ ...CARD, borderColor: active ? color : '#f0f0f0', boxShadow: active ? `0 0 0 1px ${color}` : undefined }}
      onClick={onClick}
      aria-pressed={!!active}
      data-testid={testId}
    >
      {inner}
    </button>
  );
}

const COUNT_GRID: CSSProperties = { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(112px, 1fr))', gap: 12 };

const CARD: CSSProperties = {
  display: 'flex',
  alignItems: 'flex-start',
  width: '100%',
  height: '100%',
  padding: '14px 16px',
  border: '1px solid #f0f0f0',
  borderRadius: 8,
  background: '#fff',
  font: 'inherit',
  textAlign: 'left',
  cursor: 'pointer',
};

/** "01-31" → "1 月 31 日" */
function monthDay(md: string): string {
  const [m, d] = md.split('-').map(Number);
  return `${m} 月 ${d} 日`;
}

// ---------------------------------------------------------------------------
// 版本差异
// ---------------------------------------------------------------------------

const versionsOf = (body: number, year: number) =>
  request<VersionsAnswer>('/api/supervision/versions', { query: { body, year }, quiet: true });

const META_ZH: Record<ReportDiff['meta'][number]['field'], string> = {
  publishedOn: '发布日期',
  format: '表格格式',
  agency: '发布机关',
};

function metaValue(field: ReportDiff['meta'][number]['field'], v: string | null): string {
  if (v === null || v.trim() === '') return '（未写明）';
  return field === 'format' ? (FORMAT_LABELS[v] ?? v) : v;
}

const cellColumns: ColumnsType<CellChange> = [
  { title: '单元格', dataIndex: 'label', render: (l: string) => l.split(' / ').join(' · ') },
  { title: '原值', key: 'before', width: 80, render: (_, c) => figure(c.before, /万元/.test(c.label)) },
  {
    title: '新值',
    key: 'after',
    width: 80,
    render: (_, c) => <b className={c.after !== c.before ? 'nb-text-danger' : undefined}>{figure(c.after, /万元/.test(c.label))}</b>,
  },
];

function DiffView({ diff }: { diff: ReportDiff }) {
  return (
    <div data-testid="version-diff">
      {diff.meta.length > 0 && (
        <ul className="nb-plain-list" style={{ margin: '6px 0' }} data-testid="version-meta">
          {diff.meta.map((m) => (
            <li key={m.field}>
              {META_ZH[m.field]}：{metaValue(m.field, m.before)} → <b>{metaValue(m.field, m.after)}</b>
            </li>
          ))}
        </ul>
      )}
      {diff.same ? (
        <Tag color="green" style={{ whiteSpace: 'normal' }} data-testid="version-same">
          内容相同（另一种格式或另一份文件）
        </Tag>
      ) : (
        <>
          {diff.cells.length > 0 && (
            <>
              <div className="nb-small nb-muted" style={{ margin: '8px 0 4px' }}>
                表格中改动的单元格（{diff.cells.length} 处）
              </div>
              <KeyboardScroll>
                <Table<CellChange>
                  rowKey="key"
                  size="small"
                  columns={cellColumns}
                  dataSource={diff.cells}
                  pagination={diff.cells.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                  data-testid="version-cells"
                />
              </KeyboardScroll>
            </>
          )}
          {diff.sections.map((s) => (
            <div key={s.section} style={{ marginTop: 10 }} data-testid="version-section">
              <div className="nb-list-title">{s.label}</div>
              {s.removed.length === 0 && s.added.length === 0 && <div className="nb-muted">文字有改动（标点或段落）</div>}
              {s.removed.map((t, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
                <div key={`r${i}`} style={{ ...SENTENCE, borderLeftColor: '#ffa39e', background: '#fff7f6' }}>
                  <Tag color="red">删去</Tag>
                  {t}
                </div>
              ))}
              {s.added.map((t, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
                <div key={`a${i}`} style={{ ...SENTENCE, borderLeftColor: '#95de64', background: '#f6ffed' }}>
                  <Tag color="green">新增</Tag>
                  {t}
                </div>
              ))}
            </div>
          ))}
        </>
      )}
    </div>
  );
}

const SENTENCE: CSSProperties = {
  marginTop: 4,
  padding: '4px 8px',
  borderLeft: '3px solid',
  lineHeight: 1.7,
  wordBreak: 'break-word',
};

function VersionsModal({ row, year, onClose }: { row: StatusRow | null; year: number; onClose: () => void }) {
  const [versions, setVersions] = useState<ReportVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const bodyId = row?.body.id;
  useEffect(() => {
    if (bodyId === undefined) return;
    let live = true;
    setVersions(null);
    setError(null);
    versionsOf(bodyId, year)
      .then((r) => {
        if (live) setVersions(r.versions);
      })
      .catch((e) => {
        if (live) setError(e instanceof ApiError ? e.message : '无法读取版本。');
      });
    return () => {
      live = false;
    };
  }, [bodyId, year]);
  return (
    <Modal
      open={row !== null}
      onCancel={onClose}
      footer={<Button onClick={onClose}>关闭</Button>}
      title={row ? `版本差异 · ${row.body.name} · ${year} 年度` : '版本差异'}
      width={760}
      destroyOnHidden
      data-testid="versions-modal"
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!error && !versions && (
        <div style={{ textAlign: 'center', padding: 24 }}>
          <Spin />
        </div>
      )}
      {versions && versions.length === 0 && <Empty description="没有这一年度的报告" />}
      {versions && versions.length > 0 && (
        <ol className="nb-list" data-testid="versions-list">
          {versions.map((v, i) => (
            <li key={v.reportId} style={{ padding: '10px 0', borderBottom: '1px solid #f0f0f0' }} data-testid="version">
              <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: 8 }}>
                <Tag color={i === versions.length - 1 ? 'blue' : 'default'}>
                  第 {v.version} 版{i === versions.length - 1 ? '（现行）' : ''}
                </Tag>
                <span className="nb-list-title" style={{ wordBreak: 'break-all' }}>
                  {v.fileName}
                </span>
              </div>
              <div className="nb-small nb-muted" style={{ marginTop: 2 }}>
                导入时间 {formatTime(v.uploadedAt)} · 发布日期 {v.publishedOn ?? '不明'}
              </div>
              {i === 0 ? (
                <div className="nb-small nb-muted">最初导入的版本</div>
              ) : v.diff ? (
                <>
                  <div className="nb-small" style={{ marginTop: 6 }}>
                    与第 {versions[i - 1].version} 版相比：
                  </div>
                  <DiffView diff={v.diff} />
                </>
              ) : (
                <div className="nb-muted">无法比较：这一版或上一版的内容不可用。</div>
              )}
            </li>
          ))}
        </ol>
      )}
    </Modal>
  );
}

type Quick = StateFilter | 'errors' | 'unreviewed' | null;

export default function StatusPage() {
  const { message } = App.useApp();
  const [year, setYear] = useSuperviseYear();
  const [data, setData] = useState<StatusAnswer | null>(null);
  const [loading, setLoading] = useState(false);
  const [states, setStates] = useState<StateFilter[]>([]);
  const [withErrors, setWithErrors] = useState(false);
  const [unreviewed, setUnreviewed] = useState(false);
  const [q, setQ] = useState('');
  const [marking, setMarking] = useState<number | null>(null);
  const [versionsRow, setVersionsRow] = useState<StatusRow | null>(null);

  const load = useCallback(() => {
    setLoading(true);
    sapi
      .status(year)
      .then(setData)
      .catch(() => setData(null))
      .finally(() => setLoading(false));
  }, [year]);
  useEffect(load, [load]);

  const rows = useMemo(() => {
    const query = q.trim();
    return (data?.rows ?? []).filter(
      (r) =>
        (states.length === 0 || states.includes(stateView(r.status).filter)) &&
        (!withErrors || r.status.errors > 0) &&
        (!unreviewed || (r.status.state !== 'unpublished' && !r.status.reviewedBy)) &&
        (!query || r.body.name.includes(query) || r.path.some((p) => p.includes(query))),
    );
  }, [data, states, withErrors, unreviewed, q]);

  const quick: Quick =
    states.length === 1 && !withErrors && !unreviewed
      ? states[0]
      : states.length === 0 && withErrors && !unreviewed
        ? 'errors'
        : states.length === 0 && !withErrors && unreviewed
          ? 'unreviewed'
          : null;
  const setQuick = (k: Quick) => {
    const off = quick === k;
    setStates(!off && k && k !== 'errors' && k !== 'unreviewed' ? [k] : []);
    setWithErrors(!off && k === 'errors');
    setUnreviewed(!off && k === 'unreviewed');
  };

  async function markReviewed(r: StatusRow) {
    setMarking(r.body.id);
    try {
      await sapi.review(r.body.id, year);
      message.success(`已标记复核：${r.body.name}`);
      load();
    } catch {
      /* shown by the request */
    } finally {
      setMarking(null);
    }
  }

  const c = data?.counts;
  const columns: ColumnsType<StatusRow> = [
    {
      title: '机关',
      key: 'name',
      width: 220,
      sorter: (a, b) => a.body.name.localeCompare(b.body.name, 'zh-CN'),
      render: (_, r) => (
        <div>
          <span className="nb-list-title">{r.body.name}</span>
          <div className="nb-small nb-muted">{bodyTypeLabel(r.body)}</div>
          {r.path.length > 1 && <div className="nb-small nb-muted">{r.path.slice(1).join(' / ')}</div>}
        </div>
      ),
    },
    {
      title: '状态',
      key: 'state',
      width: 130,
      render: (_, r) => <StateTag status={r.status} />,
    },
    { title: '期限', key: 'deadline', width: 110, render: (_, r) => <span className="nb-nowrap">{r.status.deadline}</span> },
    {
      title: '发布日期',
      key: 'published',
      width: 120,
      sorter: (a, b) => (a.status.publishedOn ?? '9999').localeCompare(b.status.publishedOn ?? '9999'),
      render: (_, r) =>
        r.status.publishedOn ? (
          <span className="nb-nowrap">{r.status.publishedOn}</span>
        ) : r.status.state === 'unpublished' ? (
          '—'
        ) : (
          <Typography.Text type="secondary">日期不明</Typography.Text>
        ),
    },
    {
      title: '逾期天数',
      key: 'late',
      width: 100,
      sorter: (a, b) => (a.status.daysLate ?? 0) - (b.status.daysLate ?? 0),
      render: (_, r) => (r.status.daysLate ? <span className="nb-text-danger">{r.status.daysLate} 天</span> : '—'),
    },
    {
      title: '检查发现',
      key: 'errors',
      width: 140,
      sorter: (a, b) => a.status.errors - b.status.errors || a.status.warnings - b.status.warnings,
      render: (_, r) =>
        r.status.state === 'unpublished' ? (
          '—'
        ) : r.status.errors === 0 && r.status.warnings === 0 ? (
          <Tag color="green">无问题</Tag>
        ) : (
          <Space size={4} wrap>
            {r.status.errors > 0 && <Tag color="red">{r.status.errors} 错误</Tag>}
            {r.status.warnings > 0 && <Tag color="orange">{r.status.warnings} 警告</Tag>}
          </Space>
        ),
    },
    {
      title: '版本',
      key: 'versions',
      width: 70,
      render: (_, r) =>
        r.status.versions > 1 ? (
          <Button
            size="small"
            type="link"
            style={{ padding: 0 }}
            onClick={() => setVersionsRow(r)}
            title="查看各版本及其差异"
            data-testid={`versions-${r.body.id}`}
          >
            {r.status.versions} 版
          </Button>
        ) : r.status.versions === 1 ? (
          '1 版'
        ) : (
          '—'
        ),
    },
    {
      title: '复核',
      key: 'review',
      width: 190,
      render: (_, r) =>
        r.status.reviewedBy ? (
          <div>
            <Tag color="green" icon={<SafetyCertificateOutlined />}>
              已复核
            </Tag>
            <div className="nb-small nb-muted">
              {r.status.reviewedBy}
              {r.status.reviewedAt ? `，${formatTime(r.status.reviewedAt)}` : ''}
            </div>
          </div>
        ) : r.status.state === 'unpublished' ? (
          '—'
        ) : (
          <Button size="small" loading={marking === r.body.id} onClick={() => markReviewed(r)} data-testid={`review-${r.body.id}`}>
            标记已复核
          </Button>
        ),
    },
    {
      title: '报告',
      key: 'report',
      width: 80,
      render: (_, r) => (r.status.reportId ? <Link to={`/library/${r.status.reportId}`}>查看</Link> : '—'),
    },
  ];

  return (
    <div className="nb-page" data-testid="status-page">
      <PageHeader
        title="发布情况"
        subtitle={
          data
            ? `${data.scopeName}及下属机关 ${year} 年度政府信息公开工作年度报告的发布情况。期限：政府部门 ${year + 1} 年 ${monthDay(data.deadlines.department)}前，人民政府 ${year + 1} 年 ${monthDay(data.deadlines.government)}前。今天：${data.today}`
            : `${year} 年度政府信息公开工作年度报告的发布情况。`
        }
        extra={
          <Space wrap>
            <YearSelect year={year} onChange={setYear} />
            <DownloadButton
              fetchFile={() => sapi.statusFile(year, 'xlsx')}
              fallbackName={`${year}年度发布情况.xlsx`}
              icon={<FileExcelOutlined />}
              testId="status-export-xlsx"
            >
              导出 Excel
            </DownloadButton>
            <DownloadButton
              fetchFile={() => sapi.statusFile(year, 'csv')}
              fallbackName={`${year}年度发布情况.csv`}
              icon={<FileTextOutlined />}
              testId="status-export-csv"
            >
              导出 CSV
            </DownloadButton>
          </Space>
        }
      />
      <div style={COUNT_GRID} data-testid="status-counts">
        <CountCard
          title="应报机关"
          value={c?.bodies ?? null}
          icon={<TeamOutlined />}
          color="#1f6feb"
          testId="count-bodies"
          onClick={() => setQuick(null)}
          active={quick === null && states.length === 0 && !withErrors && !unreviewed}
        />
        <CountCard
          title="按期发布"
          value={c?.published ?? null}
          icon={<CheckCircleOutlined />}
          color="#389e0d"
          testId="count-published"
          active={quick === 'published'}
          onClick={() => setQuick('published')}
        />
        <CountCard
          title="逾期发布"
          value={c?.late ?? null}
          icon={<ClockCircleOutlined />}
          color="#d46b08"
          testId="count-late"
          active={quick === 'late'}
          onClick={() => setQuick('late')}
        />
        <CountCard
          title="逾期未发布"
          value={c?.overdue ?? null}
          icon={<StopOutlined />}
          color="#cf1322"
          testId="count-overdue"
          active={quick === 'overdue'}
          onClick={() => setQuick('overdue')}
        />
        <CountCard
          title="未发布（期限未到）"
          value={c ? c.unpublished - c.overdue : null}
          icon={<FlagOutlined />}
          color="#595959"
          testId="count-unpublished"
          active={quick === 'unpublished'}
          onClick={() => setQuick('unpublished')}
        />
        <CountCard
          title="有错误"
          value={c?.withErrors ?? null}
          icon={<ExclamationCircleOutlined />}
          color="#a8071a"
          testId="count-errors"
          active={quick === 'errors'}
          onClick={() => setQuick('errors')}
        />
        <CountCard
          title="已复核"
          value={c?.reviewed ?? null}
          icon={<SafetyCertificateOutlined />}
          color="#722ed1"
          testId="count-reviewed"
        />
      </div>
      <Card className="nb-gap">
        <div className="nb-filters" data-testid="status-filters">
          <Space wrap>
            <Select
              mode="multiple"
              allowClear
              aria-label="发布状态"
              placeholder="全部状态"
              value={states}
              onChange={setStates}
              options={STATE_FILTERS}
              style={{ minWidth: 200 }}
              data-testid="status-state-filter"
            />
            <Checkbox checked={withErrors} onChange={(e) => setWithErrors(e.target.checked)} data-testid="status-errors-filter">
              有错误
            </Checkbox>
            <Checkbox checked={unreviewed} onChange={(e) => setUnreviewed(e.target.checked)} data-testid="status-unreviewed-filter">
              未复核
            </Checkbox>
          </Space>
          <Input.Search
            allowClear
            aria-label="搜索机关"
            placeholder="搜索机关名称"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            style={{ maxWidth: 260 }}
            data-testid="status-search"
          />
        </div>
        <KeyboardScroll>
          <Table<StatusRow>
            rowKey={(r) => r.body.id}
            size="small"
            columns={columns}
            dataSource={rows}
            loading={loading}
            scroll={{ x: 1160 }}
            pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (n) => `共 ${n} 个机关` }}
            rowClassName={(r) => (r.status.state === 'unpublished' && r.status.overdue ? 'nb-row-overdue' : '')}
            onRow={(r) => ({ 'data-testid': `status-row-${r.body.id}`, 'data-name': r.body.name }) as HTMLAttributes<HTMLElement>}
            data-testid="status-table"
            locale={{ emptyText: data && data.rows.length > 0 ? '没有符合条件的机关' : '名录中没有应报的机关' }}
          />
        </KeyboardScroll>
      </Card>
      <VersionsModal row={versionsRow} year={year} onClose={() => setVersionsRow(null)} />
    </div>
  );
}
