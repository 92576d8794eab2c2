/**
 * One case: the application, its timeline, the deadline explained, the event forms, the audit trail.
 * The page always opens for a case in the register: when its dates cannot be computed the problem is
 * shown as a warning, and when its data cannot be read the problem is shown with its events and audit.
 */
import { ArrowLeftOutlined, ClockCircleOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Collapse, Descriptions, Result, Row, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Loading } from '../App';
import { ApiError, api } from '../api';
import { useAuth } from '../auth';
import { AmendCaseModal } from '../components/AmendCaseForm';
import { CaseStatusTags } from '../components/CaseStatusTags';
import { CaseTimeline } from '../components/CaseTimeline';
import { DueCard } from '../components/DueCard';
import { EventForms } from '../components/EventForms';
import { NoticesCard, useCaseNotices } from '../components/NoticesCard';
import { DueDate } from '../components/ProvisionalTag';
import { auditLines, type CaseLine } from '../eventDetails';
import { formatTime } from '../format';
import { APPLICANT_TYPE_LABELS, CHANNEL_LABELS, EVENT_LABELS } from '../labels';
import type { AuditEntry, CaseDetail, CaseResult, ReadableCaseDetail } from '../types';

/** a case as the audit trail kept it, in Chinese; the lines that differ from the other side marked */
function AuditSide({ lines, other, title }: { lines: CaseLine[]; other: CaseLine[]; title: string }) {
  const theirs = new Set(other.map((l) => `${l.label}\u0000${l.value}`));
  return (
    <div className="nb-audit-side">
      <Typography.Text type="secondary">{title}</Typography.Text>
      {lines.length === 0 ? (
        <div>（无）</div>
      ) : (
        <dl className="nb-audit-lines">
          {lines.map((l, i) => {
            const changed = other.length > 0 && !theirs.has(`${l.label}\u0000${l.value}`);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one state, in order
              <div key={i} className={changed ? 'nb-audit-changed' : undefined}>
                <dt style={{ display: 'inline' }}>{l.label}：</dt>
                <dd style={{ display: 'inline', margin: 0 }}>{changed ? <mark>{l.value}</mark> : l.value}</dd>
              </div>
            );
          })}
        </dl>
      )}
    </div>
  );
}

function AuditTable({ audit }: { audit: AuditEntry[] }) {
  return (
    <Table<AuditEntry>
      size="small"
      rowKey="id"
      dataSource={audit}
      pagination={audit.length > 10 ? { pageSize: 10, size: 'small' } : false}
      columns={[
        { title: '时间', dataIndex: 'at', width: 190, render: (at: string) => formatTime(at) },
        { title: '操作人', dataIndex: 'who', width: 120 },
        { title: '操作', dataIndex: 'action', render: (a: string) => actionLabel(a) },
      ]}
      expandable={{
        expandedRowRender: (r) => {
          const before = auditLines(r.before);
          const after = auditLines(r.after);
          return (
            <Row gutter={12} data-testid={`audit-detail-${r.id}`}>
              <Col xs={24} md={12}>
                <AuditSide title="变更前" lines={before} other={after} />
              </Col>
              <Col xs={24} md={12}>
                <AuditSide title="变更后" lines={after} other={before} />
              </Col>
            </Row>
          );
        },
      }}
    />
  );
}

/** an audit action in Chinese */
export function actionLabel(a: string): string {
  const m: Record<string, string> = {
    add: '登记申请',
    create: '登记申请',
    import: '导入台账',
    event: '登记事件',
    amend: '更正申请信息',
    recalculate: '重新计算期限（录入放假通知）',
    'holidays:national': '录入放假通知',
    'holidays:local': '录入本地放假安排',
  };
  const ev = /^event[:.](\w+)$/.exec(a);
  if (ev) return `登记事件：${EVENT_LABELS[ev[1] as keyof typeof EVENT_LABELS] ?? '其他'}`;
  if (/^notice[:.][\w.]+$/.test(a)) return '发出文书';
  const v = /^void[:.](\d+)$/.exec(a);
  if (v) return `作废事件（第 ${v[1]} 项）`;
  return m[a] ?? (a in EVENT_LABELS ? EVENT_LABELS[a as keyof typeof EVENT_LABELS] : '其他操作');
}

function AuditCollapse({ audit }: { audit: AuditEntry[] }) {
  return (
    <Collapse
      className="nb-gap"
      items={[{ key: 'audit', label: `审计记录（${audit.length}）`, children: <AuditTable audit={audit} /> }]}
      data-testid="case-audit"
    />
  );
}

function BackLink({ agencyId }: { agencyId?: string }) {
  return (
    <Link to={agencyId ? `/cases?agencyId=${encodeURIComponent(agencyId)}` : '/cases'} className="nb-back">
      <ArrowLeftOutlined /> 依申请登记
    </Link>
  );
}

/** a case whose stored data cannot be read: the problem, the events and the audit trail */
function UnreadableCase({ id, detail, agencyId }: { id: string; detail: CaseDetail; agencyId?: string }) {
  return (
    <div className="nb-page" data-testid="case-detail">
      <div className="nb-page-header">
        <div>
          <BackLink agencyId={agencyId} />
          <Typography.Title level={1} style={{ margin: '4px 0', fontSize: 24 }}>
            申请 {id}
            <span className="nb-title-tags" data-testid="case-status">
              <Tag className="nb-warning-tag">数据无法读取</Tag>
            </span>
          </Typography.Title>
        </div>
      </div>
      <Alert
        type="warning"
        showIcon
        className="nb-gap-bottom"
        title="这件申请的登记数据无法读取，暂时不能显示申请信息和期限，也不能登记新的事件。"
        description={detail.problem?.zh ?? '原因不明，请联系系统管理员。'}
        data-testid="case-problem"
      />
      <Card
        title={
          <Space>
            <ClockCircleOutlined />
            已登记的事件
          </Space>
        }
        data-testid="case-timeline"
      >
        {detail.events.length ? (
          <CaseTimeline caseData={null} events={detail.events} canWrite={false} />
        ) : (
          <Typography.Text type="secondary">没有已登记的事件。</Typography.Text>
        )}
      </Card>
      <AuditCollapse audit={detail.audit} />
    </div>
  );
}

export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const agencyId = params.get('agencyId') ?? undefined;
  const { can } = useAuth();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [amending, setAmending] = useState(false);
  const canWrite = can('admin', 'clerk');

  const load = useCallback(() => {
    api
      .caseDetail(id, agencyId)
      .then((d) => {
        setDetail(d);
        setError(null);
      })
      .catch((e: unknown) => e instanceof ApiError && setError(e));
  }, [id, agencyId]);
  useEffect(load, [load]);
  // the notices the case calls for change with its events (and are issued with an audit entry)
  const notices = useCaseNotices(id, agencyId, detail?.case ? `${detail.events.length}/${detail.audit.length}` : null);

  /** after a stored step: show its answer at once, then the events and audit trail with it */
  const changed = useCallback(
    (r: CaseResult) => {
      setDetail((d) => (d ? { ...d, ...r } : d));
      load();
    },
    [load],
  );

  if (error && !detail) {
    return (
      <Result
        status={error.status === 404 ? '404' : 'error'}
        title={error.status === 404 ? '没有找到这件申请' : '加载失败'}
        subTitle={error.message}
        extra={<Link to="/cases">返回登记簿</Link>}
      />
    );
  }
  if (!detail) return <Loading />;
  if (!detail.case) return <UnreadableCase id={id} detail={detail} agencyId={agencyId} />;
  const readable = detail as ReadableCaseDetail;
  const c = readable.case;
  const contact = [c.applicant.contact.phone, c.applicant.contact.email, c.applicant.contact.address].filter(Boolean).join('；');
  const replyDue = detail.status.replyDue ? (
    <DueDate date={detail.status.replyDue} provisional={detail.status.replyDueProvisional} />
  ) : null;

  return (
    <div className="nb-page" data-testid="case-detail">
      <div className="nb-page-header">
        <div>
          <BackLink agencyId={agencyId} />
          <Typography.Title level={1} style={{ margin: '4px 0', fontSize: 24 }}>
            申请 {c.id}
            <span className="nb-title-tags" data-testid="case-status">
              <CaseStatusTags status={detail.status} full />
            </span>
          </Typography.Title>
          <Typography.Text type="secondary">
            {c.applicant.name} · 收到申请之日 {c.receivedOn}
            {detail.status.closedOn ? ` · ${detail.status.closedOn} 办结` : ''}
          </Typography.Text>
        </div>
        {canWrite && (
          <Button icon={<EditOutlined />} onClick={() => setAmending(true)} data-testid="amend-case">
            更正申请信息
          </Button>
        )}
      </div>
      {detail.problem && (
        <Alert
          type="warning"
          showIcon
          className="nb-gap-bottom"
          title={detail.due ? '这件申请有需要注意的问题' : '已登记的信息已保存，但期限暂时无法计算'}
          description={detail.problem.zh}
          data-testid="case-problem"
        />
      )}
      {detail.status.overdue && (
        <Alert type="error" showIcon className="nb-gap-bottom" title={<>已超过答复期限（{replyDue}），请尽快答复。</>} />
      )}
      {!detail.status.overdue && detail.status.dueSoon && (
        <Alert type="warning" showIcon className="nb-gap-bottom" title={<>答复期限 {replyDue} 将在 3 个工作日内届满。</>} />
      )}
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card title="申请信息" data-testid="case-info">
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              items={[
                { key: 'name', label: '申请人', children: c.applicant.name },
                { key: 'type', label: '申请人类型', children: APPLICANT_TYPE_LABELS[c.applicantType] ?? '—' },
                { key: 'idt', label: '身份证明', children: `${c.applicant.identity.type} ${c.applicant.identity.number}` },
                { key: 'contact', label: '联系方式', children: contact || '—' },
                { key: 'desc', label: '所需信息', span: 2, children: c.request.description },
                ...(c.request.documentNumber ? [{ key: 'docno', label: '文号', children: c.request.documentNumber }] : []),
                { key: 'delivery', label: '提供形式/获取方式', children: `${c.delivery.form} / ${c.delivery.channel}` },
                { key: 'channel', label: '提交方式', children: CHANNEL_LABELS[c.receipt.channel] ?? '—' },
                { key: 'arrived', label: c.receipt.channel === 'post' ? '签收日期' : '收件日期', children: c.receipt.arrivedOn },
                ...(c.receipt.confirmedOn ? [{ key: 'confirmed', label: '确认日期', children: c.receipt.confirmedOn }] : []),
                { key: 'received', label: '收到申请之日', children: <b>{c.receivedOn}</b> },
                { key: 'by', label: '登记人', children: c.registeredBy },
              ]}
            />
          </Card>
          <Card
            title={
              <Space>
                <ClockCircleOutlined />
                办理过程
              </Space>
            }
            className="nb-gap"
            data-testid="case-timeline"
          >
            <CaseTimeline
              caseData={c}
              events={detail.events}
              canWrite={canWrite}
              agencyId={agencyId}
              onChanged={changed}
              notices={notices.data?.notices}
            />
            {detail.events.length === 0 && (
              <Typography.Text
                type="secondary"
                className={c.revisions?.length ? 'nb-timeline-empty nb-after-revisions' : 'nb-timeline-empty'}
              >
                尚未登记办理事件{canWrite ? '，在下方“登记办理事件”中登记补正、延期、答复等环节。' : '。'}
              </Typography.Text>
            )}
          </Card>
          <NoticesCard
            caseId={c.id}
            agencyId={agencyId}
            canWrite={canWrite}
            data={notices.data}
            error={notices.error}
            onIssued={() => {
              notices.reload();
              load();
            }}
          />
          {canWrite && (
            <Card title="登记办理事件" className="nb-gap">
              <EventForms detail={readable} agencyId={agencyId} onRecorded={changed} />
            </Card>
          )}
        </Col>
        <Col xs={24} xl={9}>
          <div className="nb-sticky">
            {readable.due ? (
              <DueCard due={readable.due} detail={readable} />
            ) : (
              <Card title="答复期限" data-testid="due-card">
                <Typography.Text type="secondary">期限暂时无法计算{detail.problem ? `：${detail.problem.zh}` : '。'}</Typography.Text>
              </Card>
            )}
          </div>
        </Col>
      </Row>
      <AuditCollapse audit={detail.audit} />
      {canWrite && (
        <AmendCaseModal
          open={amending}
          caseData={c}
          agencyId={agencyId}
          onClose={() => setAmending(false)}
          onAmended={(r) => {
            setAmending(false);
            changed(r);
          }}
        />
      )}
    </div>
  );
}
