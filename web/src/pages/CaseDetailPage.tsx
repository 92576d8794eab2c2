/** One case: the application, its timeline, the deadline explained, the event forms, the audit trail. */
import { ArrowLeftOutlined, CalendarOutlined, ClockCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Col, Collapse, Descriptions, Result, Row, Space, Statistic, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Loading } from '../App';
import { ApiError, api } from '../api';
import { useAuth } from '../auth';
import { CaseStatusTags } from '../components/CaseStatusTags';
import { EventForms } from '../components/EventForms';
import {
  APPLICANT_TYPE_LABELS,
  CHANNEL_LABELS,
  CONSULTATION_PARTY_LABELS,
  CONSULTATION_RESULT_LABELS,
  EVENT_COLORS,
  EVENT_LABELS,
  FEE_METHOD_LABELS,
  outcomeLabel,
  PROCEEDING_KIND_LABELS,
  PROCEEDING_RESULT_LABELS,
  SUSPENDED_LABELS,
} from '../labels';
import type { AuditEntry, CaseDetail, CaseEvent, DueDates } from '../types';

export function eventDetails(e: CaseEvent): string[] {
  const out: string[] = [];
  switch (e.type) {
    case 'correctionNotice':
      out.push(`补正期限 ${e.deadline}`);
      if (e.items) out.push(`补正事项：${e.items}`);
      break;
    case 'correctionReceived':
      if (e.goodReason) out.push(`逾期理由：${e.goodReason}`);
      break;
    case 'consultationStarted':
      out.push(`征求${CONSULTATION_PARTY_LABELS[e.party] ?? e.party}意见：${e.consulted}`);
      break;
    case 'consultationEnded':
      if (e.result) out.push(`意见：${CONSULTATION_RESULT_LABELS[e.result] ?? e.result}`);
      break;
    case 'extension':
      out.push(`延长 ${e.days} 个工作日，批准人 ${e.approver}${e.applicantNotified ? '，已告知申请人' : ''}`);
      if (e.reason) out.push(`理由：${e.reason}`);
      break;
    case 'feeNotice':
      if (e.fee.method === 'perPage') out.push(`${FEE_METHOD_LABELS.perPage}，${e.fee.pages} 页`);
      else
        out.push(
          `${FEE_METHOD_LABELS.perApplication}${e.fee.priorThisMonth !== undefined && e.fee.priorThisMonth !== null ? `，本月此前 ${e.fee.priorThisMonth} 件` : ''}${e.fee.units ? `，计 ${e.fee.units} 件` : ''}`,
        );
      break;
    case 'withdrawal':
      if (e.reason) out.push(`理由：${e.reason}`);
      break;
    case 'reply':
      out.push(`办理结果：${outcomeLabel(e.outcome)}`);
      if (e.reasons) out.push(`理由：${e.reasons}`);
      break;
    case 'proceedingFiled':
      out.push(`${PROCEEDING_KIND_LABELS[e.kind] ?? e.kind}，案号 ${e.id}`);
      break;
    case 'proceedingDecided':
      out.push(`案号 ${e.id}：${PROCEEDING_RESULT_LABELS[e.result] ?? e.result}`);
      if (e.decision) out.push(e.decision);
      break;
    default:
      break;
  }
  if (e.note) out.push(`备注：${e.note}`);
  return out;
}

/** a line of text whose dates (YYYY-MM-DD) are never broken at their hyphens */
function KeepDates({ text }: { text: string }) {
  const parts = text.split(/(\d{4}-\d{2}-\d{2})/);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
          <span key={i} className="nb-nowrap">
            {p}
          </span>
        ) : (
          p
        ),
      )}
    </>
  );
}

function DueCard({ due, detail }: { due: DueDates; detail: CaseDetail }) {
  const fee = detail.case.state.fee;
  const holidays = new Map<string, string[]>();
  for (const h of due.holidaysSkipped) {
    const name = h.name ?? '法定节假日';
    holidays.set(name, [...(holidays.get(name) ?? []), h.date]);
  }
  return (
    <Card
      title={
        <Space>
          <CalendarOutlined />
          答复期限
        </Space>
      }
      data-testid="due-card"
    >
      <Row gutter={16}>
        <Col span={12}>
          <Statistic
            title="答复期限"
            value={due.replyDue ?? (due.suspended ? SUSPENDED_LABELS[due.suspended] : '—')}
            styles={{
              content: {
                fontSize: due.replyDue ? 26 : 16,
                color: detail.status.overdue ? '#cf1322' : detail.status.dueSoon ? '#d46b08' : undefined,
              },
            }}
          />
        </Col>
        <Col span={12}>
          <Statistic title="计算期限" value={`${due.workingDays} 个工作日`} styles={{ content: { fontSize: 20 } }} />
        </Col>
      </Row>
      <Descriptions
        size="small"
        column={1}
        className="nb-gap-sm"
        items={[
          { key: 'recv', label: '收到申请之日', children: due.receivedOn },
          {
            key: 'base',
            label: '起算日',
            children: `${due.base.date}（${due.base.reason === 'correction' ? '收到补正之日' : '收到申请之日'}，次日起算）`,
          },
          { key: 'cnd', label: '补正告知期限', children: due.correctionNoticeDue },
          ...(due.correctionDeadline ? [{ key: 'cd', label: '补正期限', children: due.correctionDeadline }] : []),
          ...(due.extensionDays ? [{ key: 'ext', label: '已延长', children: `${due.extensionDays} 个工作日` }] : []),
          ...(due.consultationAnswerDue ? [{ key: 'cad', label: '被征求方答复期限', children: due.consultationAnswerDue }] : []),
          ...(due.feePayDue || fee
            ? [{ key: 'fee', label: '缴费期限', children: `${due.feePayDue ?? fee?.payDue}${fee ? `（${fee.result.amount} 元）` : ''}` }]
            : []),
          { key: 'wk', label: '跳过周末', children: `${due.weekendsSkipped} 天` },
          {
            key: 'hol',
            label: '跳过法定节假日',
            children:
              due.holidaysSkipped.length === 0
                ? '无'
                : [...holidays.entries()].map(([name, days]) => (
                    <div key={name}>
                      <div>{name}</div>
                      <Typography.Text type="secondary" className="nb-nowrap">
                        {days[0]}
                        {days.length > 1 ? ` 至 ${days[days.length - 1]}` : ''}（{days.length} 天）
                      </Typography.Text>
                    </div>
                  )),
          },
          ...(due.pauses.length
            ? [
                {
                  key: 'pause',
                  label: '暂停计算',
                  children: due.pauses.map((p) => (
                    <div key={p.from + p.kind}>
                      {p.kind === 'consultation' ? '征求意见' : '等待缴费'}：{p.from} 起至 {p.to ?? '（尚未结束）'}，不计 {p.days.length}{' '}
                      个工作日
                    </div>
                  )),
                },
              ]
            : []),
        ]}
      />
      <div className="nb-explanation" data-testid="due-explanation">
        <Typography.Text strong>计算说明</Typography.Text>
        <ol>
          {due.explanation.map((line) => (
            <li key={line}>
              <KeepDates text={line} />
            </li>
          ))}
        </ol>
      </div>
      {fee && fee.result.explanation.length > 0 && (
        <div className="nb-explanation">
          <Typography.Text strong>信息处理费</Typography.Text>
          <ol>
            {fee.result.explanation.map((line) => (
              <li key={line}>
                <KeepDates text={line} />
              </li>
            ))}
          </ol>
        </div>
      )}
    </Card>
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
        { title: '操作', dataIndex: 'action', render: (a: string) => EVENT_LABELS[a as keyof typeof EVENT_LABELS] ?? actionLabel(a) },
      ]}
      expandable={{
        expandedRowRender: (r) => (
          <Row gutter={12}>
            <Col span={12}>
              <Typography.Text type="secondary">变更前</Typography.Text>
              <pre className="nb-json">{r.before ? JSON.stringify(r.before.state ?? r.before, null, 2) : '（无）'}</pre>
            </Col>
            <Col span={12}>
              <Typography.Text type="secondary">变更后</Typography.Text>
              <pre className="nb-json">{r.after ? JSON.stringify(r.after.state ?? r.after, null, 2) : '（无）'}</pre>
            </Col>
          </Row>
        ),
      }}
    />
  );
}

function actionLabel(a: string): string {
  const m: Record<string, string> = { add: '登记申请', create: '登记申请', event: '登记事件' };
  const ev = /^event[:.](\w+)$/.exec(a);
  if (ev) return `登记事件：${EVENT_LABELS[ev[1] as keyof typeof EVENT_LABELS] ?? ev[1]}`;
  return m[a] ?? a;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export default function CaseDetailPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const agencyId = params.get('agencyId') ?? undefined;
  const { can } = useAuth();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
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
  const c = detail.case;
  const contact = [c.applicant.contact.phone, c.applicant.contact.email, c.applicant.contact.address].filter(Boolean).join('；');

  return (
    <div className="nb-page" data-testid="case-detail">
      <div className="nb-page-header">
        <div>
          <Link to={agencyId ? `/cases?agencyId=${encodeURIComponent(agencyId)}` : '/cases'} className="nb-back">
            <ArrowLeftOutlined /> 依申请登记
          </Link>
          <Typography.Title level={3} style={{ margin: '4px 0' }}>
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
      </div>
      {detail.status.overdue && (
        <Alert type="error" showIcon className="nb-gap-bottom" title={`已超过答复期限（${detail.status.replyDue}），请尽快答复。`} />
      )}
      {!detail.status.overdue && detail.status.dueSoon && (
        <Alert type="warning" showIcon className="nb-gap-bottom" title={`答复期限 ${detail.status.replyDue} 将在 3 个工作日内届满。`} />
      )}
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card title="申请信息" data-testid="case-info">
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              items={[
                { key: 'name', label: '申请人', children: c.applicant.name },
                { key: 'type', label: '申请人类型', children: APPLICANT_TYPE_LABELS[c.applicantType] ?? c.applicantType },
                { key: 'idt', label: '身份证明', children: `${c.applicant.identity.type} ${c.applicant.identity.number}` },
                { key: 'contact', label: '联系方式', children: contact || '—' },
                { key: 'desc', label: '所需信息', span: 2, children: c.request.description },
                ...(c.request.documentNumber ? [{ key: 'docno', label: '文号', children: c.request.documentNumber }] : []),
                { key: 'delivery', label: '提供形式/获取方式', children: `${c.delivery.form} / ${c.delivery.channel}` },
                { key: 'channel', label: '提交方式', children: CHANNEL_LABELS[c.receipt.channel] ?? c.receipt.channel },
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
            <Timeline
              items={[
                {
                  color: 'blue',
                  content: (
                    <div>
                      <div className="nb-tl-head">
                        <b>{c.receivedOn}</b>
                        <Tag color="blue">收到申请</Tag>
                      </div>
                      <Typography.Text type="secondary" className="nb-small">
                        {CHANNEL_LABELS[c.receipt.channel]}，登记人 {c.registeredBy}
                      </Typography.Text>
                    </div>
                  ),
                },
                ...detail.events.map((se) => ({
                  key: se.seq,
                  color: EVENT_COLORS[se.event.type] ?? 'gray',
                  content: (
                    <div data-testid={`timeline-event-${se.seq}`}>
                      <div className="nb-tl-head">
                        <b>{se.event.on}</b>
                        <Tag color={EVENT_COLORS[se.event.type]}>{EVENT_LABELS[se.event.type] ?? se.event.type}</Tag>
                      </div>
                      {eventDetails(se.event).map((l) => (
                        <div key={l}>{l}</div>
                      ))}
                      <Typography.Text type="secondary" className="nb-small">
                        {se.event.by || se.user} 登记于 {formatTime(se.at)}
                      </Typography.Text>
                    </div>
                  ),
                })),
              ]}
            />
            {detail.events.length === 0 && (
              <Typography.Text type="secondary" className="nb-timeline-empty">
                尚未登记办理事件{canWrite ? '，在下方“登记办理事件”中登记补正、延期、答复等环节。' : '。'}
              </Typography.Text>
            )}
          </Card>
          {canWrite && (
            <Card title="登记办理事件" className="nb-gap">
              <EventForms
                detail={detail}
                agencyId={agencyId}
                onRecorded={(r) => {
                  setDetail((d) => (d ? { ...d, ...r } : d));
                  load();
                }}
              />
            </Card>
          )}
        </Col>
        <Col xs={24} xl={9}>
          <div className="nb-sticky">
            <DueCard due={detail.due} detail={detail} />
          </div>
        </Col>
      </Row>
      <Collapse
        className="nb-gap"
        items={[
          {
            key: 'audit',
            label: `审计记录（${detail.audit.length}）`,
            children: <AuditTable audit={detail.audit} />,
          },
        ]}
        data-testid="case-audit"
      />
    </div>
  );
}
