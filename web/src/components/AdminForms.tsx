/**
 * The forms of the administration pages (用户管理, 机构管理): a form in a modal (取消 and a button
 * that submits the form, busy while it saves, the error of the last try above the form), the state
 * it saves with (`useSave`), and the Select of the agency a user belongs to (`AgencySelect`).
 */
import { Alert, type ButtonProps, type FormInstance, Modal, Select, type SelectProps, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { ApiError, issuesOf } from '../api';
import { AGENCY_LEVEL_LABELS } from '../labels';
import type { Agency } from '../types';

/** the message of an API error with its field problems, one a line */
export const errorText = (e: unknown) => (e instanceof ApiError ? [e.message, issuesOf(e)].filter(Boolean).join('\n') : String(e));

/**
 * whether a form is saving, and the error of its last try: `save(fn)` runs `fn` with the error
 * cleared, and shows what it throws (with `apiErrorsOnly`, only an error of the API)
 */
export function useSave() {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function save(fn: () => Promise<void>, opts: { apiErrorsOnly?: boolean } = {}): Promise<void> {
    setSaving(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      if (!opts.apiErrorsOnly || e instanceof ApiError) setError(errorText(e));
    } finally {
      setSaving(false);
    }
  }
  return { saving, error, setError, save };
}

/**
 * a modal whose OK button (`okText`, test id `okTestId`) submits `form`, busy while `saver` saves;
 * above the form a `note` in grey or an `intro`, then the error of `saver`
 */
export function FormModal({
  title,
  open = true,
  form,
  okText,
  okTestId,
  saver,
  errorTestId,
  onCancel,
  note,
  intro,
  children,
}: {
  title: ReactNode;
  open?: boolean;
  form: FormInstance;
  okText: string;
  okTestId: string;
  saver: { saving: boolean; error: string | null };
  errorTestId?: string;
  onCancel: () => void;
  note?: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  const { saving, error } = saver;
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okText={okText}
      cancelText="取消"
      confirmLoading={saving}
      destroyOnHidden
      okButtonProps={{ 'data-testid': okTestId } as ButtonProps}
    >
      {note && <Typography.Paragraph type="secondary">{note}</Typography.Paragraph>}
      {intro}
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16, whiteSpace: 'pre-line' }} data-testid={errorTestId} />
      )}
      {children}
    </Modal>
  );
}

/**
 * a searchable Select of agencies, each shown with its level: 名称（层级）. Every other prop (the
 * value, onChange, id and aria attributes a Form.Item gives it, a test id) goes to the Select.
 */
export function AgencySelect({ agencies, ...props }: { agencies: Agency[] } & Omit<SelectProps<Agency['id']>, 'options' | 'showSearch'>) {
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      options={agencies.map((a) => ({ value: a.id, label: `${a.name}（${AGENCY_LEVEL_LABELS[a.level] ?? a.level}）` }))}
      {...props}
    />
  );
}
