/**
 * 文书设置 (administrators): an agency's settings for its notices — 发文机关名称, 发文字号格式, the 行政复议机关
 * and 管辖法院 named in the applicant's rights, 联系方式, 缴费方式, 印章位置文字 — and its templates, each
 * editable in a dialog: the title, the paragraphs (added, removed), the placeholders with what they
 * stand for (to copy), the placeholders the template must keep and the article it must cite. The
 * server refuses a template that drops what the law requires (e.g. the applicant's rights) and says
 * why in Chinese; 恢复默认 goes back to the shipped template.
 */
import { DeleteOutlined, EditOutlined, PlusOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError, issuesOf, noticeApi, problemsOf } from '../api';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { formatTime } from '../format';
import type { NoticeSettings, NoticeSettingsAnswer, NoticeTemplateEntry, NoticeTemplates } from '../types';

/** the order of the settings and a hint for each */
const SETTING_HINTS: { key: keyof NoticeSettings; hint: string; multiline?: boolean }[] = [
  { key: 'agencyName', hint: '印在文书标题上方和落款处。' },
  { key: 'numberPattern', hint: '例如“东政依申〔{year}〕第{n}号”：{year} 为发文年份，{n} 为当年序号（{n3} 补足 3 位）。' },
  { key: 'reviewBody', hint: '告知申请人救济途径时写明的行政复议机关。' },
  { key: 'court', hint: '告知申请人可以提起行政诉讼的人民法院。' },
  { key: 'contact', hint: '印在日期之后，每行一项：联系人、联系电话、地址。', multiline: true },
  { key: 'payMethod', hint: '收费通知书中“缴费方式”的默认内容。', multiline: true },
  { key: 'seal', hint: '标示加盖印章位置的文字，例如“（印章）”。' },
];

/** the messages of a refused save: the server's message and each problem */
function errorLines(e: ApiError): string[] {
  const problems = problemsOf(e);
  const issues = issuesOf(e);
  return problems.length ? problems : [e.message, ...(issues ? [issues] : [])];
}

function SettingsCard({ agencyId }: { agencyId?: string }) {
  const { message } = App.useApp();
  const [answer, setAnswer] = useState<NoticeSettingsAnswer | null>(null);
  const [values, setValues] = useState<NoticeSettings | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    setAnswer(null);
    setValues(null);
    setError(null);
    noticeApi
      .settings(agencyId)
      .then((a) => {
        setAnswer(a);
        setValues(a.settings);
        setLoadError(null);
      })
      .catch((e: unknown) => e instanceof ApiError && setLoadError(e));
  }, [agencyId]);

  async function save(): Promise<void> {
    if (!values || !answer) return;
    const changes: Partial<NoticeSettings> = {};
    for (const { key } of SETTING_HINTS) if (values[key] !== answer.settings[key]) changes[key] = values[key];
    setSaving(true);
    setError(null);
    try {
      const r = await noticeApi.saveSettings(changes, agencyId);
      const saved = 'settings' in r ? r.settings : r;
      setAnswer({ ...answer, settings: saved });
      setValues(saved);
      message.success('已保存文书设置。');
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card title="发文设置" data-testid="notice-settings">
      {loadError ? (
        <Alert type="error" showIcon title="文书设置加载失败" description={loadError.message} />
      ) : !answer || !values ? (
        <Spin />
      ) : (
        <Form layout="vertical" component="div" style={{ maxWidth: 720 }}>
          {SETTING_HINTS.map(({ key, hint, multiline }) => {
            const id = `notice-setting-${key}`;
            const label = answer.labels[key] ?? '';
            if (!label) return null;
            return (
              <Form.Item key={key} label={label} htmlFor={id} extra={hint}>
                {multiline ? (
                  <Input.TextArea
                    id={id}
                    value={values[key]}
                    autoSize={{ minRows: 2, maxRows: 6 }}
                    maxLength={500}
                    onChange={(e) => setValues({ ...values, [key]: e.target.value })}
                    data-testid={id}
                  />
                ) : (
                  <Input
                    id={id}
                    value={values[key]}
                    maxLength={100}
                    onChange={(e) => setValues({ ...values, [key]: e.target.value })}
                    data-testid={id}
                  />
                )}
              </Form.Item>
            );
          })}
          {error && (
            <Alert
              type="error"
              showIcon
              title="文书设置未保存"
              description={
                <ul className="nb-plain-list">
                  {errorLines(error).map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              }
              style={{ marginBottom: 12 }}
              data-testid="notice-settings-error"
            />
          )}
          <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={save} data-testid="notice-settings-save">
            保存设置
          </Button>
        </Form>
      )}
    </Card>
  );
}

/** one paragraph of the template being edited: a key that stays with it when another is removed */
interface Para {
  id: number;
  text: string;
}

let paraIds = 0;
const paras = (ps: string[]): Para[] => ps.map((text) => ({ id: ++paraIds, text }));

function TemplateModal({
  entry,
  placeholders,
  agencyId,
  onClose,
  onSaved,
}: {
  entry: NoticeTemplateEntry | null;
  placeholders: NoticeTemplates['placeholders'];
  agencyId?: string;
  onClose: () => void;
  onSaved: (how: 'saved' | 'reset') => void;
}) {
  const { message } = App.useApp();
  const [title, setTitle] = useState('');
  const [paragraphs, setParagraphs] = useState<Para[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!entry) return;
    setTitle(entry.title);
    setParagraphs(paras(entry.paragraphs));
    setError(null);
  }, [entry]);

  async function save(): Promise<void> {
    if (!entry) return;
    setSaving(true);
    setError(null);
    try {
      await noticeApi.saveTemplate(entry.key, { title, paragraphs: paragraphs.map((p) => p.text) }, agencyId);
      message.success(`已保存模板：${entry.label}`);
      onSaved('saved');
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setSaving(false);
    }
  }

  async function reset(): Promise<void> {
    if (!entry) return;
    try {
      await noticeApi.resetTemplate(entry.key, agencyId);
      message.success(`已恢复默认模板：${entry.label}`);
      onSaved('reset');
    } catch {
      /* shown by the client */
    }
  }

  const copy = (text: string) => {
    navigator.clipboard?.writeText(text).then(
      () => message.success(`已复制 ${text}`),
      () => message.info(`请手动复制 ${text}`),
    );
  };

  return (
    <Modal
      open={entry !== null}
      title={entry ? `编辑模板：${entry.label}` : ''}
      onCancel={onClose}
      width="min(920px, calc(100vw - 16px))"
      destroyOnHidden
      footer={
        <Space wrap style={{ justifyContent: 'flex-end' }}>
          {entry?.custom && (
            <Popconfirm
              title="恢复为默认模板？"
              description="本机关对这份模板的修改将被删除。"
              okText="恢复默认"
              cancelText="取消"
              onConfirm={reset}
            >
              <Button icon={<RollbackOutlined />} data-testid="template-reset">
                恢复默认
              </Button>
            </Popconfirm>
          )}
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={save} data-testid="template-save">
            保存模板
          </Button>
        </Space>
      }
    >
      {entry && (
        <div data-testid="template-modal">
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title="模板必须保留的内容"
            description={
              <div>
                <div>
                  必须保留的占位符：
                  {entry.required.map((r) => (
                    <Tag key={r} style={{ marginBlock: 2 }}>{`{{${r}}}`}</Tag>
                  ))}
                </div>
                <div>须写明的法律依据：{entry.cite.map((c) => (c.startsWith('第') ? `《条例》${c}` : c)).join(' 或 ')}</div>
              </div>
            }
          />
          {error && (
            <Alert
              type="error"
              showIcon
              title="模板未保存"
              description={
                <ul className="nb-plain-list" data-testid="template-problems">
                  {errorLines(error).map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              }
              style={{ marginBottom: 12 }}
              data-testid="template-error"
            />
          )}
          <Form layout="vertical" component="div">
            <Form.Item label="标题" htmlFor="template-title" required>
              <Input
                id="template-title"
                value={title}
                maxLength={100}
                onChange={(e) => setTitle(e.target.value)}
                data-testid="template-title"
              />
            </Form.Item>
            {paragraphs.map((p, i) => (
              <Form.Item
                key={p.id}
                label={
                  <Space size={4}>
                    <span>第 {i + 1} 段</span>
                  </Space>
                }
                htmlFor={`template-paragraph-${p.id}`}
              >
                <div style={{ display: 'flex', gap: 6, alignItems: 'flex-start' }}>
                  <Input.TextArea
                    id={`template-paragraph-${p.id}`}
                    value={p.text}
                    autoSize={{ minRows: 2, maxRows: 12 }}
                    maxLength={2000}
                    onChange={(e) => setParagraphs(paragraphs.map((x) => (x.id === p.id ? { ...x, text: e.target.value } : x)))}
                    data-testid={`template-paragraph-${i}`}
                  />
                  <Button
                    icon={<DeleteOutlined />}
                    danger
                    aria-label={`删除第 ${i + 1} 段`}
                    title={`删除第 ${i + 1} 段`}
                    onClick={() => setParagraphs(paragraphs.filter((x) => x.id !== p.id))}
                    data-testid={`template-remove-${i}`}
                  />
                </div>
              </Form.Item>
            ))}
            <Button
              icon={<PlusOutlined />}
              onClick={() => setParagraphs([...paragraphs, ...paras([''])])}
              disabled={paragraphs.length >= 40}
              data-testid="template-add"
            >
              增加一段
            </Button>
          </Form>
          <Typography.Title level={2} className="nb-subheading">
            可用的占位符
          </Typography.Title>
          <Typography.Paragraph type="secondary">在标题或段落中写入占位符，发文时替换为这件申请的内容。点击可复制。</Typography.Paragraph>
          <ul style={{ listStyle: 'none', padding: 0, margin: 0, maxHeight: 260, overflow: 'auto' }} data-testid="template-placeholders">
            {placeholders.map((ph) => (
              <li key={ph.name} style={{ display: 'flex', flexWrap: 'wrap', gap: '2px 8px', padding: '3px 0', alignItems: 'baseline' }}>
                <Button size="small" onClick={() => copy(`{{${ph.name}}}`)} aria-label={`复制占位符 ${ph.name}`}>
                  {`{{${ph.name}}}`}
                </Button>
                <span className="nb-muted">{ph.description}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Modal>
  );
}

function TemplatesCard({ agencyId }: { agencyId?: string }) {
  const [data, setData] = useState<NoticeTemplates | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState<NoticeTemplateEntry | null>(null);

  const load = useCallback(() => {
    noticeApi
      .templates(agencyId)
      .then((d) => {
        setData(d);
        setLoadError(null);
      })
      .catch((e: unknown) => e instanceof ApiError && setLoadError(e));
  }, [agencyId]);
  useEffect(load, [load]);

  return (
    <Card title="文书模板" className="nb-gap" data-testid="notice-templates">
      <Typography.Paragraph type="secondary">
        每种文书按模板生成。修改后只对本机关此后起草的文书生效，已发出的文书不变。模板不能删去法律要求的内容（如申请人的救济途径）。
      </Typography.Paragraph>
      {loadError ? (
        <Alert type="error" showIcon title="文书模板加载失败" description={loadError.message} />
      ) : !data ? (
        <Spin />
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {data.templates.map((t) => (
            <li
              key={t.key}
              style={{
                padding: '10px 0',
                borderBottom: '1px solid #f0f0f0',
                display: 'flex',
                flexWrap: 'wrap',
                gap: '6px 12px',
                alignItems: 'center',
              }}
              data-testid={`template-${t.key}`}
            >
              <div style={{ flex: '1 1 240px', minWidth: 0 }}>
                <Space wrap size={[8, 2]}>
                  <b>{t.label}</b>
                  {t.custom ? <Tag color="blue">已自定义</Tag> : <Tag>默认</Tag>}
                </Space>
                <div className="nb-small nb-muted">
                  {t.title}
                  {t.custom && t.updatedAt ? `（${t.updatedBy ?? ''} 修改于 ${formatTime(t.updatedAt)}）` : ''}
                </div>
              </div>
              <Button
                icon={<EditOutlined />}
                onClick={() => setEditing(t)}
                aria-label={`编辑模板：${t.label}`}
                data-testid={`template-edit-${t.key}`}
              >
                编辑
              </Button>
            </li>
          ))}
        </ul>
      )}
      <TemplateModal
        entry={editing}
        placeholders={data?.placeholders ?? []}
        agencyId={agencyId}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          load();
        }}
      />
    </Card>
  );
}

export default function NoticeSettingsPage() {
  const { me, agencies } = useAuth();
  const [params, setParams] = useSearchParams();
  const agencyId = params.get('agencyId') ?? (me?.agency ? String(me.agency.id) : undefined);
  const pick = agencies.length > 1;

  return (
    <div className="nb-page">
      <PageHeader
        title="文书设置"
        subtitle="设置本机关文书的发文机关、发文字号和救济途径，按本机关的格式修改文书模板。"
        extra={
          pick && (
            <Select
              aria-label="机关"
              value={agencyId}
              onChange={(v: string) => {
                const p = new URLSearchParams(params);
                p.set('agencyId', v);
                setParams(p, { replace: true });
              }}
              options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
              style={{ width: 240, maxWidth: '100%' }}
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="notice-settings-agency"
            />
          )
        }
      />
      <SettingsCard key={`s${agencyId ?? ''}`} agencyId={agencyId} />
      <TemplatesCard key={`t${agencyId ?? ''}`} agencyId={agencyId} />
    </div>
  );
}
