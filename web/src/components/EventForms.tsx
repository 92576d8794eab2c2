/**
 * 登记办理事件: one form per event type of CaseEvent. A refused transition (409) is shown in an
 * Alert with its Chinese message and the form keeps what was typed. A stored step is a success
 * (“已登记：答复”), also when its dates cannot be computed afterwards (then a warning says why).
 *
 * The forms are sent by their button only: Enter in a field (e.g. taking a typed date) never sends
 * one, and a step that concludes the case asks for confirmation first. Dates of what was done cannot
 * be after today; the correction deadline of a 补正告知 can.
 */
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { ApiError, api, issuesOf } from '../api';
import {
  CONSULTATION_PARTY_LABELS,
  CONSULTATION_RESULT_LABELS,
  EVENT_LABELS,
  FEE_METHOD_LABELS,
  OUTCOME_GROUPS,
  PROCEEDING_KIND_LABELS,
  PROCEEDING_RESULT_LABELS,
} from '../labels';
import { maxDateOf, useToday } from '../today';
import type { Case, CaseResult, EventType, FeeInput, NewEvent, ProceedingKind, ProceedingResult, ReadableCaseDetail } from '../types';

// biome-ignore lint/suspicious/noExplicitAny: form values differ per event type
type Values = Record<string, any>;

const D = 'YYYY-MM-DD';
/** the event types in the order of the procedure, grouped by stage (short labels within a group) */
const GROUPS: { label: string; types: EventType[]; short?: Partial<Record<EventType, string>> }[] = [
  { label: '补正', types: ['correctionNotice', 'correctionReceived', 'correctionExpired'] },
  {
    label: '征求意见',
    types: ['consultationStarted', 'consultationEnded'],
    short: { consultationStarted: '开始征求', consultationEnded: '征求结束' },
  },
  { label: '延期', types: ['extension'] },
  { label: '收费', types: ['feeNotice', 'feePaid', 'feeExpired'] },
  { label: '办结', types: ['reply', 'withdrawal'] },
  {
    label: '复议/诉讼',
    types: ['proceedingFiled', 'proceedingDecided'],
    short: { proceedingFiled: '立案', proceedingDecided: '审结' },
  },
];

const HINTS: Partial<Record<EventType, string>> = {
  correctionNotice: '申请内容不明确的，应在收到申请之日起 7 个工作日内一次性告知补正（第三十条）；答复期限自收到补正后重新计算。',
  correctionReceived: '补正期限之后收到的，须写明正当理由。',
  correctionExpired: '申请人无正当理由逾期不补正的，视为放弃申请，不再处理（表二（六）1）。',
  consultationStarted: '征求第三方或其他机关意见所需时间不计入答复期限（第三十三条第三款）。',
  extension: '需要延长答复期限的，应经政府信息公开工作机构负责人同意并告知申请人，延长最长不超过 20 个工作日（第三十三条第二款）。',
  feeNotice: '按件计收时，本月此前申请件数可留空，由系统按同一身份证明、同一自然月内此前收到的申请自动计算。',
  feeExpired: '申请人逾期未缴纳费用的，不再处理（表二（六）2）。',
  withdrawal: '申请人撤回申请的，计入表二（六）3“其他”。',
  reply: '答复即办结；办理结果对应表二的末级项目。',
};

/** the steps that conclude the case (办结): confirmed before they are sent */
const CONCLUDING: Partial<Record<EventType, string>> = {
  reply: '登记答复后，这件申请即告办结，答复期限不再计算。',
  withdrawal: '登记撤回申请后，这件申请即告办结，不再处理。',
  correctionExpired: '登记补正逾期后，这件申请视为放弃、即告办结，不再处理。',
  feeExpired: '登记逾期未缴费后，这件申请即告办结，不再处理。',
};

/** Enter in a field takes its value but never sends the form (text areas keep their new lines) */
export function noImplicitSubmit(e: KeyboardEvent<HTMLFormElement>): void {
  if (e.key !== 'Enter') return;
  const t = e.target as HTMLElement;
  if (t.tagName === 'TEXTAREA' || t.tagName === 'BUTTON') return;
  e.preventDefault();
}

function buildEvent(type: EventType, v: Values): NewEvent {
  const on = (v.on as Dayjs).format(D);
  const note = typeof v.note === 'string' && v.note.trim() ? { note: v.note.trim() } : {};
  const str = (x: unknown) => (typeof x === 'string' && x.trim() ? x.trim() : undefined);
  const base = { on, ...note };
  switch (type) {
    case 'correctionNotice':
      return { ...base, type, deadline: (v.deadline as Dayjs).format(D), ...(str(v.items) ? { items: str(v.items) } : {}) };
    case 'correctionReceived':
      return { ...base, type, ...(str(v.goodReason) ? { goodReason: str(v.goodReason) } : {}) };
    case 'consultationStarted':
      return { ...base, type, party: v.party, consulted: String(v.consulted ?? '').trim() };
    case 'consultationEnded':
      return { ...base, type, ...(v.result ? { result: v.result } : {}) };
    case 'extension':
      return {
        ...base,
        type,
        days: Number(v.days),
        approver: String(v.approver ?? '').trim(),
        applicantNotified: v.applicantNotified === true,
        ...(str(v.reason) ? { reason: str(v.reason) } : {}),
      };
    case 'feeNotice': {
      let fee: FeeInput;
      if (v.method === 'perPage') fee = { method: 'perPage', pages: Number(v.pages) };
      else {
        // priorThisMonth left out: the server counts it from the register
        fee = {
          method: 'perApplication',
          ...(v.priorThisMonth === null || v.priorThisMonth === undefined ? {} : { priorThisMonth: Number(v.priorThisMonth) }),
          ...(v.units ? { units: Number(v.units) } : {}),
        } as FeeInput;
      }
      return { ...base, type, fee };
    }
    case 'withdrawal':
      return { ...base, type, ...(str(v.reason) ? { reason: str(v.reason) } : {}) };
    case 'reply':
      return { ...base, type, outcome: v.outcome, ...(str(v.reasons) ? { reasons: str(v.reasons) } : {}) };
    case 'proceedingFiled':
      return { ...base, type, id: String(v.proceedingId ?? '').trim(), kind: v.kind as ProceedingKind };
    case 'proceedingDecided':
      return {
        ...base,
        type,
        id: String(v.proceedingId ?? '').trim(),
        result: v.result as ProceedingResult,
        ...(str(v.decision) ? { decision: str(v.decision) } : {}),
      };
    default:
      return { ...base, type } as NewEvent;
  }
}

/** the event types that make sense in the case's current state (the server decides in the end) */
function suggested(c: Case): EventType {
  const s = c.state;
  if (s.closed) return 'proceedingFiled';
  if (s.correction && !s.correction.receivedOn && !s.correction.expiredOn) return 'correctionReceived';
  if (s.consultations.some((k) => !k.endedOn)) return 'consultationEnded';
  if (s.fee && !s.fee.paidOn && !s.fee.expiredOn) return 'feePaid';
  return 'reply';
}

export function EventForms({
  detail,
  agencyId,
  onRecorded,
}: {
  detail: ReadableCaseDetail;
  agencyId?: string;
  onRecorded: (r: CaseResult) => void;
}) {
  const c = detail.case;
  const { message, modal } = App.useApp();
  const today = useToday();
  const maxDate = maxDateOf(today);
  const [type, setType] = useState<EventType>(() => suggested(c));
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const method = Form.useWatch('method', form);
  const closed = c.state.closed !== null;
  // once the case is closed only proceedings can follow
  useEffect(() => {
    if (closed && type !== 'proceedingFiled' && type !== 'proceedingDecided') setType('proceedingFiled');
  }, [closed, type]);
  const openProceedings = useMemo(() => c.state.proceedings.filter((p) => !p.decidedOn), [c.state.proceedings]);

  // a new date default for every new form; other values stay when the type changes back
  const initial: Values = { on: dayjs(today), method: 'perApplication', party: 'thirdParty', applicantNotified: false, kind: 'review' };

  async function send(t: EventType, v: Values) {
    setSaving(true);
    setError(null);
    try {
      const r = await api.addEvent(c.id, buildEvent(t, v), agencyId);
      form.resetFields();
      message.success(`已登记：${EVENT_LABELS[t]}`);
      if (r.problem) message.warning(`已保存，但期限暂时无法计算：${r.problem.zh}`, 8);
      onRecorded(r);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setSaving(false);
    }
  }

  function submit(v: Values) {
    const t = type;
    const concluding = CONCLUDING[t];
    if (!concluding) {
      void send(t, v);
      return;
    }
    modal.confirm({
      title: `确认登记${EVENT_LABELS[t]}？`,
      content: `${concluding}登记错误的，可以作废该事件。`,
      okText: '确认登记',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'event-confirm' },
      onOk: () => send(t, v),
    });
  }

  const dateRule = [{ required: true, message: '请选择日期' }];

  return (
    <div className="nb-event-forms" data-testid="event-forms">
      <Radio.Group
        value={type}
        onChange={(e) => {
          setType(e.target.value);
          setError(null);
        }}
        buttonStyle="solid"
        size="small"
        className="nb-event-types"
        data-testid="event-types"
      >
        {GROUPS.map((g) => (
          <div key={g.label} className="nb-event-group">
            <div className="nb-event-group-label">{g.label}</div>
            <div className="nb-event-group-buttons">
              {g.types.map((t) => (
                <Radio.Button key={t} value={t} disabled={closed && t !== 'proceedingFiled' && t !== 'proceedingDecided'}>
                  <span data-testid={`event-type-${t}`}>{g.short?.[t] ?? EVENT_LABELS[t]}</span>
                </Radio.Button>
              ))}
            </div>
          </div>
        ))}
      </Radio.Group>
      {HINTS[type] && (
        <Typography.Paragraph type="secondary" className="nb-event-hint">
          {HINTS[type]}
        </Typography.Paragraph>
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.status === 409 ? '不能登记该事件' : '登记失败'}
          description={<span style={{ whiteSpace: 'pre-line' }}>{[error.message, issuesOf(error)].filter(Boolean).join('\n')}</span>}
          closable={{ onClose: () => setError(null) }}
          style={{ marginBottom: 12 }}
          data-testid="event-error"
        />
      )}
      <Form<Values>
        key={type}
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        onKeyDown={noImplicitSubmit}
        data-testid={`event-form-${type}`}
        className="nb-event-form"
        preserve
      >
        <Space wrap align="start" size="middle">
          <Form.Item name="on" label="日期" rules={dateRule}>
            <DatePicker maxDate={maxDate} data-testid="event-on" />
          </Form.Item>
          {type === 'correctionNotice' && (
            <Form.Item name="deadline" label="补正期限" rules={dateRule}>
              <DatePicker data-testid="event-deadline" />
            </Form.Item>
          )}
          {type === 'consultationStarted' && (
            <>
              <Form.Item name="party" label="被征求意见方类别" rules={[{ required: true }]}>
                <Select
                  style={{ width: 140 }}
                  options={Object.entries(CONSULTATION_PARTY_LABELS).map(([value, label]) => ({ value, label }))}
                  data-testid="event-party"
                />
              </Form.Item>
              <Form.Item
                name="consulted"
                label="被征求意见方"
                rules={[{ required: true, whitespace: true, message: '请写明被征求意见方' }]}
              >
                <Input style={{ width: 260 }} data-testid="event-consulted" />
              </Form.Item>
            </>
          )}
          {type === 'consultationEnded' && (
            <Form.Item name="result" label="意见">
              <Select
                allowClear
                style={{ width: 160 }}
                placeholder="（可不填）"
                options={Object.entries(CONSULTATION_RESULT_LABELS).map(([value, label]) => ({ value, label }))}
                data-testid="event-consultation-result"
              />
            </Form.Item>
          )}
          {type === 'extension' && (
            <>
              <Form.Item name="days" label="延长工作日数" rules={[{ required: true, message: '请填写天数' }]}>
                <InputNumber min={1} max={20} precision={0} style={{ width: 120 }} data-testid="event-days" />
              </Form.Item>
              <Form.Item name="approver" label="批准人" rules={[{ required: true, whitespace: true, message: '请填写批准人' }]}>
                <Input style={{ width: 180 }} data-testid="event-approver" />
              </Form.Item>
              <Form.Item name="applicantNotified" label="告知申请人" valuePropName="checked">
                <Checkbox data-testid="event-notified">已告知申请人</Checkbox>
              </Form.Item>
            </>
          )}
          {type === 'feeNotice' && (
            <>
              <Form.Item name="method" label="计收方式" rules={[{ required: true }]}>
                <Radio.Group
                  optionType="button"
                  options={Object.entries(FEE_METHOD_LABELS).map(([value, label]) => ({ value, label }))}
                  data-testid="event-fee-method"
                />
              </Form.Item>
              {method === 'perPage' ? (
                <Form.Item name="pages" label="页数" rules={[{ required: true, message: '请填写页数' }]}>
                  <InputNumber min={1} precision={0} style={{ width: 120 }} data-testid="event-pages" />
                </Form.Item>
              ) : (
                <>
                  <Form.Item name="priorThisMonth" label="本月此前申请件数" tooltip="留空则由登记簿自动计算">
                    <InputNumber min={0} precision={0} style={{ width: 150 }} placeholder="自动计算" data-testid="event-prior" />
                  </Form.Item>
                  <Form.Item name="units" label="计件数" tooltip="按一事一申请拆分后计为几件，默认 1">
                    <InputNumber min={1} precision={0} style={{ width: 110 }} placeholder="1" data-testid="event-units" />
                  </Form.Item>
                </>
              )}
            </>
          )}
          {type === 'reply' && (
            <Form.Item name="outcome" label="办理结果（表二）" rules={[{ required: true, message: '请选择办理结果' }]}>
              <Select
                style={{ width: 420 }}
                placeholder="选择答复的办理结果"
                options={OUTCOME_GROUPS.map((g) => ({ label: g.label, title: g.label, options: g.options }))}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="event-outcome"
                listHeight={360}
              />
            </Form.Item>
          )}
          {type === 'proceedingFiled' && (
            <>
              <Form.Item name="kind" label="类别" rules={[{ required: true }]}>
                <Select
                  style={{ width: 230 }}
                  options={Object.entries(PROCEEDING_KIND_LABELS).map(([value, label]) => ({ value, label }))}
                  data-testid="event-proceeding-kind"
                />
              </Form.Item>
              <Form.Item name="proceedingId" label="案号" rules={[{ required: true, whitespace: true, message: '请填写案号' }]}>
                <Input style={{ width: 220 }} placeholder="例如（2025）某行复字第1号" data-testid="event-proceeding-id" />
              </Form.Item>
            </>
          )}
          {type === 'proceedingDecided' && (
            <>
              <Form.Item name="proceedingId" label="案件" rules={[{ required: true, message: '请选择案件' }]}>
                <Select
                  style={{ width: 300 }}
                  placeholder={openProceedings.length ? '选择尚未审结的案件' : '没有尚未审结的案件'}
                  options={openProceedings.map((p) => ({
                    value: p.id,
                    label: `${p.id}（${PROCEEDING_KIND_LABELS[p.kind]}，${p.filedOn} 立案）`,
                  }))}
                  data-testid="event-proceeding-select"
                />
              </Form.Item>
              <Form.Item name="result" label="结果" rules={[{ required: true, message: '请选择结果' }]}>
                <Select
                  style={{ width: 140 }}
                  options={Object.entries(PROCEEDING_RESULT_LABELS).map(([value, label]) => ({ value, label }))}
                  data-testid="event-proceeding-result"
                />
              </Form.Item>
            </>
          )}
        </Space>
        {type === 'correctionNotice' && (
          <Form.Item name="items" label="补正事项">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} placeholder="一次性告知需要补正的事项" data-testid="event-items" />
          </Form.Item>
        )}
        {type === 'correctionReceived' && (
          <Form.Item name="goodReason" label="逾期补正的正当理由（逾期时必填）">
            <Input data-testid="event-good-reason" />
          </Form.Item>
        )}
        {(type === 'extension' || type === 'withdrawal') && (
          <Form.Item name="reason" label={type === 'extension' ? '延期理由' : '撤回理由'}>
            <Input data-testid="event-reason" />
          </Form.Item>
        )}
        {type === 'reply' && (
          <Form.Item name="reasons" label="理由、依据">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="event-reasons" />
          </Form.Item>
        )}
        {type === 'proceedingDecided' && (
          <Form.Item name="decision" label="决定书/判决书">
            <Input data-testid="event-decision" />
          </Form.Item>
        )}
        <Form.Item name="note" label="备注">
          <Input data-testid="event-note" />
        </Form.Item>
        <Button type="primary" htmlType="button" onClick={() => form.submit()} loading={saving} data-testid="event-submit">
          登记{EVENT_LABELS[type]}
        </Button>
      </Form>
    </div>
  );
}
