/** 作废: a mistaken event is voided with a reason; it stays on the timeline, struck through. */
import { StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api, issuesOf } from '../api';
import { EVENT_LABELS } from '../labels';
import type { CaseResult, StoredEvent } from '../types';

export function VoidEventButton({
  caseId,
  stored,
  agencyId,
  onVoided,
}: {
  caseId: string;
  stored: StoredEvent;
  agencyId?: string;
  onVoided: (r: CaseResult) => void;
}) {
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const label = EVENT_LABELS[stored.event.type] ?? '事件';

  async function submit({ reason }: { reason: string }) {
    setSaving(true);
    setError(null);
    try {
      const r = await api.caseVoidEvent(caseId, stored.seq, reason.trim(), agencyId);
      setOpen(false);
      form.resetFields();
      message.success('已作废');
      if (r.problem) message.warning(`已保存，但期限暂时无法计算：${r.problem.zh}`, 8);
      onVoided(r);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <Button
        size="small"
        type="link"
        danger
        icon={<StopOutlined />}
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
        data-testid={`void-event-${stored.seq}`}
      >
        作废
      </Button>
      <Modal
        open={open}
        title={`作废事件：${label}（${stored.event.on}）`}
        okText="确认作废"
        okButtonProps={{ danger: true, loading: saving, 'data-testid': 'void-confirm' }}
        cancelText="取消"
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        data-testid="void-modal"
      >
        <Typography.Paragraph type="secondary">
          作废后该事件仍保留在办理过程中（以删除线显示），办理状态和期限按未发生该事件重新计算。登记错误的事件才应作废。
        </Typography.Paragraph>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error.status === 409 ? '不能作废该事件' : '作废失败'}
            description={<span style={{ whiteSpace: 'pre-line' }}>{[error.message, issuesOf(error)].filter(Boolean).join('\n')}</span>}
            style={{ marginBottom: 12 }}
            data-testid="void-error"
          />
        )}
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item name="reason" label="作废理由" rules={[{ required: true, whitespace: true, message: '请写明作废理由' }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} data-testid="void-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
