/** 依申请登记: the register's cases with filters; 新增申请; 导出台账 and 导入台账 (Excel/CSV). */
import { ImportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Input, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, casePath } from '../api';
import { useAuth } from '../auth';
import { CaseStatusTags } from '../components/CaseStatusTags';
import { LedgerExport } from '../components/LedgerExport';
import { LedgerImport } from '../components/LedgerImport';
import { NewCaseDrawer } from '../components/NewCaseForm';
import { PageHeader } from '../components/PageHeader';
import { DueDate } from '../components/ProvisionalTag';
import { APPLICANT_TYPE_LABELS, APPLICANT_TYPE_OPTIONS, SUSPENDED_LABELS } from '../labels';
import type { CaseSummary } from '../types';

const STATUS_OPTIONS = [
  { value: '', label: '全部' },
  { value: 'open', label: '办理中' },
  { value: 'closed', label: '已办结' },
  { value: 'overdue', label: '已逾期' },
  { value: 'dueSoon', label: '3个工作日内到期' },
];

/** a case number is a link, not a warning: blue, not the red of an overdue case (contrast above 4.5:1 on every row) */
const CASE_LINK = { color: '#1d4ed8' } as const;

/** the next free id of the form YYYY-NNN */
export function nextCaseId(cases: readonly { id: string }[], year: number): string {
  let max = 0;
  for (const c of cases) {
    const m = /^(\d{4})-(\d+)$/.exec(c.id);
    if (m && Number(m[1]) === year) max = Math.max(max, Number(m[2]));
  }
  return `${year}-${String(max + 1).padStart(3, '0')}`;
}

export default function CasesPage() {
  const { can, agencies, me, agencyName } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const agencyId = params.get('agencyId') ?? undefined;
  const pickAgency = can('admin', 'reviewer') && agencies.length > 1;
  const agencyQuery = agencyId ? `?agencyId=${encodeURIComponent(agencyId)}` : '';
  const setParam = (k: string, v: string | undefined) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
  };
  const [applicantType, setApplicantType] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [today, setToday] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [allIds, setAllIds] = useState<{ id: string }[]>([]);
  const [drawer, setDrawer] = useState(false);
  const [importing, setImporting] = useState(false);
  const canWrite = can('admin', 'clerk');

  // search as you type, after a pause
  useEffect(() => {
    const t = window.setTimeout(() => setQuery(q.trim()), 300);
    return () => window.clearTimeout(t);
  }, [q]);

  const load = useCallback(() => {
    setLoading(true);
    api
      .cases({
        status: status || undefined,
        applicantType,
        from: range?.[0]?.format('YYYY-MM-DD'),
        to: range?.[1]?.format('YYYY-MM-DD'),
        q: query || undefined,
        agencyId,
      })
      .then((r) => {
        setCases(r.cases);
        setToday(r.today);
      })
      .catch(() => {})
      .finally(() => setLoading(false));
  }, [status, applicantType, range, query, agencyId]);

  useEffect(load, [load]);

  const openDrawer = () => {
    api
      .cases({ agencyId })
      .then((r) => setAllIds(r.cases))
      .catch(() => setAllIds(cases));
    setDrawer(true);
  };
  const suggestedId = useMemo(() => nextCaseId(allIds, Number((today ?? new Date().toISOString()).slice(0, 4))), [allIds, today]);

  // a reviewer or admin sees the registers of several agencies: say whose case each row is
  const showAgency = useMemo(() => new Set(cases.map((c) => String(c.agencyId))).size > 1, [cases]);
  const columns: ColumnsType<CaseSummary> = [
    {
      title: '编号',
      dataIndex: 'id',
      width: 120,
      sorter: (a, b) => a.id.localeCompare(b.id),
      render: (id: string, r) => (
        <Link to={casePath(r)} className="nb-case-link" style={CASE_LINK} data-testid={`case-link-${id}`}>
          {id}
        </Link>
      ),
    },
    {
      title: '申请人',
      dataIndex: 'applicantName',
      render: (name: string, r) => (
        <div>
          <div>{name || (r.problem ? '（无法读取）' : '—')}</div>
          <Typography.Text type="secondary" ellipsis={{ tooltip: r.description }} style={{ maxWidth: 360, fontSize: 12 }}>
            {r.description}
          </Typography.Text>
        </div>
      ),
    },
    ...(showAgency
      ? [
          {
            title: '机关',
            key: 'agency',
            width: 180,
            render: (_: unknown, r: CaseSummary) => (
              <Typography.Text ellipsis={{ tooltip: agencyName(r.agencyId) }} style={{ maxWidth: 164 }}>
                {agencyName(r.agencyId)}
              </Typography.Text>
            ),
          },
        ]
      : []),
    {
      title: '申请人类型',
      dataIndex: 'applicantType',
      width: 120,
      render: (t: CaseSummary['applicantType']) => (t ? (APPLICANT_TYPE_LABELS[t] ?? '—') : '—'),
    },
    {
      title: '收到日期',
      dataIndex: 'receivedOn',
      width: 120,
      sorter: (a, b) => a.receivedOn.localeCompare(b.receivedOn),
      defaultSortOrder: 'descend',
    },
    {
      title: '答复期限',
      key: 'replyDue',
      width: 170,
      sorter: (a, b) => (a.status.replyDue ?? '9999').localeCompare(b.status.replyDue ?? '9999'),
      render: (_, r) =>
        r.status.state === 'closed' ? (
          <Typography.Text type="secondary">{r.status.closedOn ? `${r.status.closedOn} 办结` : '—'}</Typography.Text>
        ) : r.status.replyDue ? (
          <span className={r.status.overdue ? 'nb-text-danger' : r.status.dueSoon ? 'nb-text-warning' : undefined}>
            <DueDate date={r.status.replyDue} provisional={r.status.replyDueProvisional} />
          </span>
        ) : (
          <Typography.Text type="secondary">{r.status.suspended ? SUSPENDED_LABELS[r.status.suspended] : '—'}</Typography.Text>
        ),
    },
    {
      title: '状态/结果',
      key: 'status',
      render: (_, r) =>
        r.problem ? <ProblemTag problem={r.problem} readable={r.applicantType !== ''} /> : <CaseStatusTags status={r.status} />,
    },
  ];

  return (
    <div className="nb-page">
      <PageHeader
        title="依申请登记"
        subtitle={`登记每件政府信息公开申请及其办理过程，按工作日自动计算答复期限。${today ? `今天：${today}` : ''}`}
        extra={
          <Space wrap>
            <LedgerExport
              filters={{
                status: status || undefined,
                applicantType,
                from: range?.[0]?.format('YYYY-MM-DD'),
                to: range?.[1]?.format('YYYY-MM-DD'),
                q: query || undefined,
                agencyId,
              }}
            />
            {canWrite && (
              <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="ledger-import-open">
                导入台账
              </Button>
            )}
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={openDrawer} data-testid="new-case">
                新增申请
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <div className="nb-filters" data-testid="case-filters">
          <div className="nb-scroll-x">
            <Segmented
              value={status}
              options={STATUS_OPTIONS}
              onChange={(v) => setParam('status', v ? String(v) : undefined)}
              data-testid="case-status-filter"
            />
          </div>
          <Space wrap>
            {pickAgency && (
              <Select
                placeholder={me?.agency?.name ?? '本机关'}
                allowClear
                value={agencyId}
                onChange={(v) => setParam('agencyId', v === undefined ? undefined : String(v))}
                options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
                style={{ width: 220 }}
                showSearch={{ optionFilterProp: 'label' }}
                aria-label="机关"
                data-testid="case-agency-filter"
              />
            )}
            <Select
              allowClear
              aria-label="申请人类型"
              placeholder="申请人类型"
              options={APPLICANT_TYPE_OPTIONS}
              value={applicantType}
              onChange={setApplicantType}
              style={{ width: 200 }}
              data-testid="case-type-filter"
            />
            <DatePicker.RangePicker
              value={range}
              onChange={(v) => setRange(v)}
              placeholder={['收到日期自', '至']}
              aria-label="收到日期范围"
              data-testid="case-date-filter"
            />
            <Input.Search
              allowClear
              placeholder="搜索编号、申请人、申请内容"
              aria-label="搜索编号、申请人、申请内容"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              onSearch={(v) => setQuery(v.trim())}
              style={{ width: 260 }}
              data-testid="case-search"
            />
            <Button icon={<ReloadOutlined />} onClick={load} aria-label="刷新" />
          </Space>
        </div>
        <Table<CaseSummary>
          rowKey={(r) => `${r.agencyId ?? ''}/${r.id}`}
          size="small"
          columns={columns}
          dataSource={cases}
          loading={loading}
          scroll={{ x: 'max-content' }}
          data-testid="case-table"
          pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (n) => `共 ${n} 件` }}
          rowClassName={(r) => (r.status.overdue ? 'nb-row-overdue' : r.status.dueSoon ? 'nb-row-due-soon' : '')}
          onRow={(r) => ({
            onDoubleClick: () => navigate(casePath(r)),
            'data-testid': `case-row-${r.id}`,
          })}
          locale={{ emptyText: status || applicantType || range || query ? '没有符合条件的申请' : '登记簿中还没有申请' }}
        />
      </Card>
      {canWrite && <LedgerImport open={importing} agencyId={agencyId} onClose={() => setImporting(false)} onImported={load} />}
      <NewCaseDrawer
        open={drawer}
        suggestedId={suggestedId}
        agencyId={agencyId}
        onClose={() => setDrawer(false)}
        onCreated={(r) => {
          setDrawer(false);
          message.success(`已登记申请 ${r.case.id}，收到申请之日 ${r.case.receivedOn}。`);
          if (r.problem) message.warning(`已保存，但期限暂时无法计算：${r.problem.zh}`, 8);
          navigate(`/cases/${encodeURIComponent(r.case.id)}${agencyQuery}`);
        }}
      />
    </div>
  );
}

/** a case that cannot be shown in full: a warning tag with its problem */
function ProblemTag({ problem, readable }: { problem: NonNullable<CaseSummary['problem']>; readable: boolean }) {
  return (
    <div data-testid="case-problem-tag">
      <Tooltip title={problem.zh}>
        <Tag className="nb-warning-tag">{readable ? '期限无法计算' : '数据无法读取'}</Tag>
      </Tooltip>
      <Typography.Text type="secondary" className="nb-small nb-problem-text">
        {problem.zh}
      </Typography.Text>
    </div>
  );
}
