/**
 * 新增申请: every field of NewCase (第二十九条 content, the applicant type of 表二, the
 * channel and dates of 第三十一条), with the reply deadline previewed as the dates are entered.
 */
import { Alert, AutoComplete, Button, Col, DatePicker, Divider, Drawer, Form, Input, Row, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ApiError, api, issuesOf } from '../api';
import { APPLICANT_TYPE_OPTIONS, CHANNEL_LABELS, NEEDS_CONFIRMATION } from '../labels';
import { maxDateOf, useToday } from '../today';
import type { ApplicantType, CaseResult, Channel, Deadline, NewCase } from '../types';
import { DueDate } from './ProvisionalTag';

interface FormValues {
  id?: string;
  name: string;
  identityType: string;
  identityNumber: string;
  phone?: string;
  address?: string;
  email?: string;
  applicantType: ApplicantType;
  description: string;
  documentNumber?: string;
  deliveryForm: string;
  deliveryChannel: string;
  receiptChannel: Channel;
  arrivedOn: Dayjs;
  confirmedOn?: Dayjs;
}

export const IDENTITY_TYPES = [
  '居民身份证',
  '护照',
  '港澳居民来往内地通行证',
  '台湾居民来往大陆通行证',
  '统一社会信用代码证书',
  '营业执照',
  '其他',
];
export const DELIVERY_FORMS = ['纸质', '电子', '光盘', '磁盘'];
export const DELIVERY_CHANNELS = ['邮寄', '电子邮件', '当面领取', '传真', '网上获取'];

export const opts = (xs: string[]) => xs.map((value) => ({ value }));
const D = 'YYYY-MM-DD';

export function toNewCase(v: FormValues): Omit<NewCase, 'registeredBy' | 'id'> & { id?: string } {
  const contact: NewCase['applicant']['contact'] = {};
  if (v.phone?.trim()) contact.phone = v.phone.trim();
  if (v.address?.trim()) contact.address = v.address.trim();
  if (v.email?.trim()) contact.email = v.email.trim();
  const needs = NEEDS_CONFIRMATION.includes(v.receiptChannel);
  return {
    ...(v.id?.trim() ? { id: v.id.trim() } : {}),
    applicant: { name: v.name.trim(), identity: { type: v.identityType.trim(), number: v.identityNumber.trim() }, contact },
    applicantType: v.applicantType,
    request: { description: v.description.trim(), ...(v.documentNumber?.trim() ? { documentNumber: v.documentNumber.trim() } : {}) },
    delivery: { form: v.deliveryForm.trim(), channel: v.deliveryChannel.trim() },
    receipt: {
      channel: v.receiptChannel,
      arrivedOn: v.arrivedOn.format(D),
      ...(needs && v.confirmedOn ? { confirmedOn: v.confirmedOn.format(D) } : {}),
    },
  };
}

export function NewCaseDrawer({
  open,
  onClose,
  onCreated,
  suggestedId,
  agencyId,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (r: CaseResult) => void;
  suggestedId: string;
  agencyId?: string;
}) {
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<Deadline | string | null>(null);
  const today = useToday();
  const maxDate = maxDateOf(today);
  const channel = Form.useWatch('receiptChannel', form);
  const arrived = Form.useWatch('arrivedOn', form);
  const confirmed = Form.useWatch('confirmedOn', form);
  const needsConfirmation = channel !== undefined && NEEDS_CONFIRMATION.includes(channel);

  // the default date is set when the drawer opens, not again when today becomes known
  // biome-ignore lint/correctness/useExhaustiveDependencies: today is read when the drawer opens
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ receiptChannel: 'inPerson', arrivedOn: dayjs(today), identityType: '居民身份证' });
      setError(null);
    }
  }, [open, form]);

  // the deadlines of the date of receipt (第三十一条)
  const received = needsConfirmation ? confirmed : arrived;
  useEffect(() => {
    if (!received) {
      setPreview(null);
      return;
    }
    let live = true;
    api
      .deadline(received.format(D))
      .then((d) => live && setPreview(d))
      .catch((e: unknown) => live && setPreview(e instanceof ApiError ? e.message : null));
    return () => {
      live = false;
    };
  }, [received]);

  async function submit(v: FormValues) {
    setSaving(true);
    setError(null);
    try {
      const r = await api.createCase(toNewCase(v), agencyId);
      onCreated(r);
    } catch (e) {
      if (e instanceof ApiError) setError([e.message, issuesOf(e)].filter(Boolean).join('\n'));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer
      title="新增政府信息公开申请"
      open={open}
      onClose={onClose}
      size={720}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="case-submit">
            登记
          </Button>
        </Space>
      }
      data-testid="new-case-drawer"
    >
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16, whiteSpace: 'pre-line' }} data-testid="case-form-error" />
      )}
      <Form<FormValues> form={form} layout="vertical" onFinish={submit} scrollToFirstError data-testid="case-form">
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item name="id" label="申请编号" tooltip="留空则按收件年份自动编号（YYYY-NNN）">
              <Input placeholder={`留空自动编号，如 ${suggestedId}`} data-testid="case-id" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          申请人（第二十九条）
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label="姓名或者名称" rules={[{ required: true, whitespace: true, message: '请填写申请人姓名或者名称' }]}>
              <Input data-testid="case-applicant-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="applicantType" label="申请人类型（表二）" rules={[{ required: true, message: '请选择申请人类型' }]}>
              <Select options={APPLICANT_TYPE_OPTIONS} placeholder="自然人、商业企业……" data-testid="case-applicant-type" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="identityType"
              label="身份证明类型"
              rules={[{ required: true, whitespace: true, message: '请填写身份证明类型' }]}
            >
              <AutoComplete options={opts(IDENTITY_TYPES)}>
                <Input data-testid="case-identity-type" />
              </AutoComplete>
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="identityNumber"
              label="身份证明号码"
              rules={[{ required: true, whitespace: true, message: '请填写身份证明号码' }]}
            >
              <Input data-testid="case-identity-number" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="phone"
              label="联系电话"
              dependencies={['address', 'email']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v) =>
                    v?.trim() || getFieldValue('address')?.trim() || getFieldValue('email')?.trim()
                      ? Promise.resolve()
                      : Promise.reject(new Error('联系电话、通信地址、电子邮箱至少填写一项')),
                }),
              ]}
            >
              <Input data-testid="case-phone" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="email" label="电子邮箱" rules={[{ type: 'email', message: '邮箱格式不正确' }]}>
              <Input data-testid="case-email" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label="通信地址">
              <Input data-testid="case-address" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          申请内容
        </Divider>
        <Form.Item
          name="description"
          label="所需政府信息的名称、文号或者便于查询的其他特征性描述"
          rules={[{ required: true, whitespace: true, message: '请填写所需政府信息的描述' }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="case-description" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="documentNumber" label="文号（可选）">
              <Input data-testid="case-document-number" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="deliveryForm" label="提供形式" rules={[{ required: true, whitespace: true, message: '请填写' }]}>
              <AutoComplete options={opts(DELIVERY_FORMS)}>
                <Input data-testid="case-delivery-form" />
              </AutoComplete>
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="deliveryChannel" label="获取方式" rules={[{ required: true, whitespace: true, message: '请填写' }]}>
              <AutoComplete options={opts(DELIVERY_CHANNELS)}>
                <Input data-testid="case-delivery-channel" />
              </AutoComplete>
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          收到申请（第三十一条）
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="receiptChannel" label="提交方式" rules={[{ required: true }]}>
              <Select
                options={(Object.keys(CHANNEL_LABELS) as Channel[]).map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))}
                data-testid="case-receipt-channel"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="arrivedOn"
              label={channel === 'post' ? '签收日期' : channel === 'inPerson' ? '提交日期' : '收件日期'}
              rules={[{ required: true, message: '请选择日期' }]}
            >
              <DatePicker style={{ width: '100%' }} maxDate={maxDate} data-testid="case-arrived-on" />
            </Form.Item>
          </Col>
          {needsConfirmation && (
            <Col span={8}>
              <Form.Item
                name="confirmedOn"
                label="双方确认日期"
                dependencies={['arrivedOn']}
                rules={[
                  { required: true, message: `以${CHANNEL_LABELS[channel]}提交的，须填写与申请人确认之日` },
                  ({ getFieldValue }) => ({
                    validator: (_, v: Dayjs | undefined) =>
                      !v || !getFieldValue('arrivedOn') || !v.isBefore(getFieldValue('arrivedOn'), 'day')
                        ? Promise.resolve()
                        : Promise.reject(new Error('确认日期不能早于收件日期')),
                  }),
                ]}
              >
                <DatePicker style={{ width: '100%' }} maxDate={maxDate} data-testid="case-confirmed-on" />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {channel === 'inPerson' && '当面提交的，以提交之日为收到申请之日。'}
          {channel === 'post' && '邮寄需签收的，以签收之日为收到申请之日。'}
          {needsConfirmation && '以平信、互联网、传真方式提交的，以双方确认之日为收到申请之日。'}
        </Typography.Paragraph>
        {preview && <DeadlinePreview preview={preview} />}
      </Form>
    </Drawer>
  );
}

/** the statutory deadlines of the date of receipt, each provisional (暂定) date marked */
function DeadlinePreview({ preview }: { preview: Deadline | string }) {
  if (typeof preview === 'string') return <Alert type="info" showIcon title={preview} data-testid="case-deadline-preview" />;
  const p = preview.provisional;
  return (
    <Alert
      type="info"
      showIcon
      data-testid="case-deadline-preview"
      title={
        <>
          收到申请之日 {preview.receivedOn}；补正告知期限{' '}
          <DueDate date={preview.correctionNoticeDue} provisional={p?.correctionNoticeDue} />
          ；答复期限 <DueDate date={preview.replyDue} provisional={p?.replyDue} />
          （延长后 <DueDate date={preview.extendedReplyDue} provisional={p?.extendedReplyDue} />
          ）。
        </>
      }
    />
  );
}
