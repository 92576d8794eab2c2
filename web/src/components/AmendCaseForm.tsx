/**
 * 更正申请信息: the application's fields, prefilled, with a required reason; only the fields that
 * change are sent. The server keeps the old values in the case's revisions and recomputes its dates.
 */
import { Alert, App, AutoComplete, Col, DatePicker, Divider, Form, Input, Modal, Row, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ApiError, api, issuesOf } from '../api';
import { APPLICANT_TYPE_OPTIONS, CHANNEL_LABELS, NEEDS_CONFIRMATION } from '../labels';
import { maxDateOf, useToday } from '../today';
import type { ApplicantType, Case, CaseAmendment, CaseResult, Channel } from '../types';
import { DELIVERY_CHANNELS, DELIVERY_FORMS, IDENTITY_TYPES, opts } from './NewCaseForm';

interface AmendValues {
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
  confirmedOn?: Dayjs | null;
  reason: string;
}

const D = 'YYYY-MM-DD';

function valuesOf(c: Case): Omit<AmendValues, 'reason'> {
  return {
    name: c.applicant.name,
    identityType: c.applicant.identity.type,
    identityNumber: c.applicant.identity.number,
    phone: c.applicant.contact.phone ?? '',
    address: c.applicant.contact.address ?? '',
    email: c.applicant.contact.email ?? '',
    applicantType: c.applicantType,
    description: c.request.description,
    documentNumber: c.request.documentNumber ?? '',
    deliveryForm: c.delivery.form,
    deliveryChannel: c.delivery.channel,
    receiptChannel: c.receipt.channel,
    arrivedOn: dayjs(c.receipt.arrivedOn),
    confirmedOn: c.receipt.confirmedOn ? dayjs(c.receipt.confirmedOn) : null,
  };
}

/** the fields of `v` that differ from the case, in the shape of PATCH /api/cases/{id} */
export function amendmentOf(c: Case, v: Omit<AmendValues, 'reason'>): CaseAmendment {
  const out: CaseAmendment = {};
  const t = (x: string | undefined | null) => (x ?? '').trim();
  const changed = (now: string | undefined, before: string | undefined) => t(now) !== t(before);
  const applicant: NonNullable<CaseAmendment['applicant']> = {};
  if (changed(v.name, c.applicant.name)) applicant.name = t(v.name);
  const identity: { type?: string; number?: string } = {};
  if (changed(v.identityType, c.applicant.identity.type)) identity.type = t(v.identityType);
  if (changed(v.identityNumber, c.applicant.identity.number)) identity.number = t(v.identityNumber);
  if (Object.keys(identity).length) applicant.identity = identity;
  const contact: { phone?: string; address?: string; email?: string } = {};
  if (changed(v.phone, c.applicant.contact.phone)) contact.phone = t(v.phone);
  if (changed(v.address, c.applicant.contact.address)) contact.address = t(v.address);
  if (changed(v.email, c.applicant.contact.email)) contact.email = t(v.email);
  if (Object.keys(contact).length) applicant.contact = contact;
  if (Object.keys(applicant).length) out.applicant = applicant;
  if (v.applicantType !== c.applicantType) out.applicantType = v.applicantType;
  const request: { description?: string; documentNumber?: string } = {};
  if (changed(v.description, c.request.description)) request.description = t(v.description);
  if (changed(v.documentNumber, c.request.documentNumber)) request.documentNumber = t(v.documentNumber);
  if (Object.keys(request).length) out.request = request;
  const delivery: { form?: string; channel?: string } = {};
  if (changed(v.deliveryForm, c.delivery.form)) delivery.form = t(v.deliveryForm);
  if (changed(v.deliveryChannel, c.delivery.channel)) delivery.channel = t(v.deliveryChannel);
  if (Object.keys(delivery).length) out.delivery = delivery;
  const receipt: NonNullable<CaseAmendment['receipt']> = {};
  if (v.receiptChannel !== c.receipt.channel) receipt.channel = v.receiptChannel;
  const arrived = v.arrivedOn.format(D);
  if (arrived !== c.receipt.arrivedOn) receipt.arrivedOn = arrived;
  const confirmed = NEEDS_CONFIRMATION.includes(v.receiptChannel) && v.confirmedOn ? v.confirmedOn.format(D) : null;
  if (confirmed !== (c.receipt.confirmedOn ?? null)) receipt.confirmedOn = confirmed;
  if (Object.keys(receipt).length) out.receipt = receipt;
  return out;
}

export function AmendCaseModal({
  open,
  caseData,
  agencyId,
  onClose,
  onAmended,
}: {
  open: boolean;
  caseData: Case;
  agencyId?: string;
  onClose: () => void;
  onAmended: (r: CaseResult) => void;
}) {
  const { message } = App.useApp();
  const today = useToday();
  const [form] = Form.useForm<AmendValues>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const channel = Form.useWatch('receiptChannel', form);
  const needsConfirmation = channel !== undefined && NEEDS_CONFIRMATION.includes(channel);
  const maxDate = maxDateOf(today);

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ ...valuesOf(caseData), reason: '' });
      setError(null);
    }
  }, [open, form, caseData]);

  async function submit(v: AmendValues) {
    const changes = amendmentOf(caseData, v);
    if (Object.keys(changes).length === 0) {
      setError('没有改动任何信息。');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const r = await api.caseAmend(caseData.id, changes, v.reason.trim(), agencyId);
      message.success('已更正申请信息');
      if (r.problem) message.warning(`已保存，但期限暂时无法计算：${r.problem.zh}`, 8);
      onAmended(r);
    } catch (e) {
      if (e instanceof ApiError) setError([e.message, issuesOf(e)].filter(Boolean).join('\n'));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title="更正申请信息"
      width={760}
      okText="保存更正"
      cancelText="取消"
      okButtonProps={{ loading: saving, 'data-testid': 'amend-submit' }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      data-testid="amend-modal"
    >
      <Typography.Paragraph type="secondary">
        只提交改动的信息；原值保留在办理过程中。收到申请之日改变的，答复期限随之重新计算。
      </Typography.Paragraph>
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16, whiteSpace: 'pre-line' }} data-testid="amend-error" />
      )}
      <Form<AmendValues> form={form} layout="vertical" onFinish={submit} scrollToFirstError data-testid="amend-form">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label="姓名或者名称" rules={[{ required: true, whitespace: true, message: '请填写申请人姓名或者名称' }]}>
              <Input data-testid="amend-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="applicantType" label="申请人类型（表二）" rules={[{ required: true, message: '请选择申请人类型' }]}>
              <Select options={APPLICANT_TYPE_OPTIONS} data-testid="amend-applicant-type" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="identityType"
              label="身份证明类型"
              rules={[{ required: true, whitespace: true, message: '请填写身份证明类型' }]}
            >
              <AutoComplete options={opts(IDENTITY_TYPES)}>
                <Input data-testid="amend-identity-type" />
              </AutoComplete>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="identityNumber"
              label="身份证明号码"
              rules={[{ required: true, whitespace: true, message: '请填写身份证明号码' }]}
            >
              <Input data-testid="amend-identity-number" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="phone" label="联系电话">
              <Input data-testid="amend-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="email" label="电子邮箱" rules={[{ type: 'email', message: '邮箱格式不正确' }]}>
              <Input data-testid="amend-email" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label="通信地址">
              <Input data-testid="amend-address" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="description"
          label="所需政府信息的名称、文号或者便于查询的其他特征性描述"
          rules={[{ required: true, whitespace: true, message: '请填写所需政府信息的描述' }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="amend-description" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="documentNumber" label="文号（可选）">
              <Input data-testid="amend-document-number" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="deliveryForm" label="提供形式" rules={[{ required: true, whitespace: true, message: '请填写' }]}>
              <AutoComplete options={opts(DELIVERY_FORMS)}>
                <Input data-testid="amend-delivery-form" />
              </AutoComplete>
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="deliveryChannel" label="获取方式" rules={[{ required: true, whitespace: true, message: '请填写' }]}>
              <AutoComplete options={opts(DELIVERY_CHANNELS)}>
                <Input data-testid="amend-delivery-channel" />
              </AutoComplete>
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          收到申请（第三十一条）
        </Divider>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="receiptChannel" label="提交方式" rules={[{ required: true }]}>
              <Select
                options={(Object.keys(CHANNEL_LABELS) as Channel[]).map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))}
                data-testid="amend-receipt-channel"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item
              name="arrivedOn"
              label={channel === 'post' ? '签收日期' : channel === 'inPerson' ? '提交日期' : '收件日期'}
              rules={[{ required: true, message: '请选择日期' }]}
            >
              <DatePicker style={{ width: '100%' }} maxDate={maxDate} data-testid="amend-arrived-on" />
            </Form.Item>
          </Col>
          {needsConfirmation && (
            <Col xs={12} md={8}>
              <Form.Item
                name="confirmedOn"
                label="双方确认日期"
                dependencies={['arrivedOn']}
                rules={[
                  { required: true, message: `以${CHANNEL_LABELS[channel]}提交的，须填写与申请人确认之日` },
                  ({ getFieldValue }) => ({
                    validator: (_, v: Dayjs | undefined | null) =>
                      !v || !getFieldValue('arrivedOn') || !v.isBefore(getFieldValue('arrivedOn'), 'day')
                        ? Promise.resolve()
                        : Promise.reject(new Error('确认日期不能早于收件日期')),
                  }),
                ]}
              >
                <DatePicker style={{ width: '100%' }} maxDate={maxDate} data-testid="amend-confirmed-on" />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Form.Item name="reason" label="更正理由" rules={[{ required: true, whitespace: true, message: '请写明更正理由' }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} data-testid="amend-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
