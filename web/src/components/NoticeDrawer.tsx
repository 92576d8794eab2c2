/**
 * 起草文书: the draft of a notice as it will print (发文机关, title, the place of the 发文字号,
 * addressee, paragraphs, signature, date), the kind of notice when the step allows another, the date of
 * issue, the parts the clerk writes (补正内容, 理由…, each with its hint); every change drafts again
 * (after a pause) and what stops the notice from being issued is listed. 发文 asks for confirmation:
 * the notice takes its number and can no longer change. Reissuing (重新发文) opens the same drawer with
 * the notice it replaces.
 */
import { SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, type ButtonProps, DatePicker, Drawer, Form, Input, Popconfirm, Select, Space, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { type CSSProperties, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, issuesOf, knownToday, noticeApi, problemsOf } from '../api';
import { maxDateOf, useToday } from '../today';
import type { AvailableNotice, IssuedNotice, NoticeDocument, NoticeDraft, NoticeField, NoticeRequest } from '../types';

/** YYYY-MM-DD → 2026年12月7日 (no leading zeros, as in official documents) */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

const PAPER: CSSProperties = {
  background: '#fff',
  border: '1px solid #d9d9d9',
  borderRadius: 4,
  padding: '20px 18px',
  fontFamily: '"FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", serif',
  fontSize: 15,
  lineHeight: 1.9,
  color: '#1f1f1f',
  overflowWrap: 'anywhere',
};

/** a notice laid out as it prints */
export function NoticePaper({ doc }: { doc: NoticeDocument }) {
  return (
    <article style={PAPER} data-testid="notice-paper" aria-label="文书预览">
      {doc.draft && (
        <div style={{ color: '#a8071a', fontSize: 13, marginBottom: 4 }} data-testid="notice-paper-draft">
          草稿（未发文）
        </div>
      )}
      {doc.agency && <div style={{ textAlign: 'center', fontSize: 17, fontWeight: 600 }}>{doc.agency}</div>}
      <div style={{ textAlign: 'center', fontSize: 19, fontWeight: 700, margin: '4px 0' }} data-testid="notice-paper-title">
        {doc.title}
      </div>
      <div style={{ textAlign: 'center', color: doc.number ? '#1f1f1f' : '#595959' }} data-testid="notice-paper-number">
        {doc.number ?? '（发文时编号）'}
      </div>
      <div style={{ marginTop: 12 }}>{doc.recipient}：</div>
      <div data-testid="notice-paper-body">
        {doc.paragraphs.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs in order, may repeat
          <p key={i} style={{ textIndent: '2em', margin: '0 0 4px' }}>
            {p}
          </p>
        ))}
      </div>
      <div style={{ textAlign: 'right', marginTop: 20 }}>
        {doc.seal && <div style={{ color: '#595959' }}>{doc.seal}</div>}
        <div>{doc.signature}</div>
        <div>{chineseDate(doc.date)}</div>
      </div>
      {doc.footer.length > 0 && (
        <div style={{ marginTop: 12, fontSize: 13, color: '#434343' }}>
          {doc.footer.map((l) => (
            <div key={l}>{l}</div>
          ))}
        </div>
      )}
    </article>
  );
}

/** the delay before a change drafts again */
const REDRAFT_MS = 400;

export function NoticeDrawer({
  open,
  caseId,
  agencyId,
  step,
  supersedes,
  onClose,
  onIssued,
}: {
  open: boolean;
  caseId: string;
  agencyId?: string;
  /** the step whose notice is drafted */
  step: AvailableNotice | null;
  /** reissue: the notice the new one replaces */
  supersedes?: IssuedNotice | null;
  onClose: () => void;
  onIssued: (n: IssuedNotice) => void;
}) {
  const { message } = App.useApp();
  const today = useToday();
  const [key, setKey] = useState<string | undefined>(undefined);
  const [issuedOn, setIssuedOn] = useState<string>(knownToday());
  /** the clerk's text of the free parts changed, by their (Chinese) name; the others as the server prefills */
  const [values, setValues] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState<NoticeDraft | null>(null);
  const [drafting, setDrafting] = useState(false);
  /** a change not drafted yet */
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [issueError, setIssueError] = useState<ApiError | null>(null);
  const [issuing, setIssuing] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const seqRef = useRef(0);

  // a new step (or a reissue): start again from the notice it calls for, or the one it replaces
  useEffect(() => {
    if (!open || !step) return;
    setKey(supersedes?.key ?? step.issued?.key ?? step.key);
    setValues(supersedes ? { ...supersedes.free } : {});
    setIssuedOn(knownToday());
    setDraft(null);
    setError(null);
    setIssueError(null);
  }, [open, step, supersedes]);

  const request = useCallback(
    (): NoticeRequest | null =>
      step
        ? {
            seq: step.seq,
            ...(key ? { key } : {}),
            ...(Object.keys(values).length ? { free: values } : {}),
            issuedOn,
            ...(supersedes ? { supersedes: supersedes.id } : {}),
          }
        : null,
    [step, key, values, issuedOn, supersedes],
  );

  // draft again after a pause whenever something changes
  useEffect(() => {
    if (!open || !step || key === undefined) return;
    const body = request();
    if (!body) return;
    setPending(true);
    const timer = window.setTimeout(() => {
      abort.current?.abort();
      const ctrl = new AbortController();
      abort.current = ctrl;
      const n = ++seqRef.current;
      setDrafting(true);
      const { supersedes: _replaced, ...draftBody } = body;
      noticeApi
        .draft(caseId, draftBody, agencyId, ctrl.signal)
        .then((d) => {
          if (n !== seqRef.current) return;
          setDraft(d);
          setError(null);
        })
        .catch((e: unknown) => {
          if (n !== seqRef.current || (e as Error).name === 'AbortError') return;
          if (e instanceof ApiError) setError(e);
        })
        .finally(() => {
          if (n !== seqRef.current) return;
          setDrafting(false);
          setPending(false);
        });
    }, REDRAFT_MS);
    return () => window.clearTimeout(timer);
  }, [open, step, key, request, caseId, agencyId]);

  useEffect(() => () => abort.current?.abort(), []);

  async function issue(): Promise<void> {
    const body = request();
    if (!body) return;
    setIssuing(true);
    setIssueError(null);
    try {
      const n = await noticeApi.issue(caseId, body, agencyId);
      message.success(`已发文 ${n.number}`);
      onIssued(n);
    } catch (e) {
      if (e instanceof ApiError) setIssueError(e);
    } finally {
      setIssuing(false);
    }
  }

  const kinds = step ? [{ value: step.key, label: step.label }, ...step.alternatives.map((a) => ({ value: a.key, label: a.label }))] : [];
  const label = kinds.find((k) => k.value === key)?.label ?? step?.label ?? '文书';
  const problems = draft?.problems ?? [];
  const blocked = !draft || problems.length > 0 || pending || drafting || error !== null;
  const setField = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));

  return (
    <Drawer
      title={`${supersedes ? '重新发文' : '起草'}：${label}`}
      open={open}
      onClose={onClose}
      size="min(760px, 100vw)"
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Popconfirm
            title={supersedes ? `确认重新发文？原文书 ${supersedes.number} 将被取代（保留备查）。` : '确认发文？'}
            description="发文后将生成文号，内容不可更改。"
            okText="发文"
            cancelText="取消"
            onConfirm={issue}
            okButtonProps={{ 'data-testid': 'notice-issue-confirm' } as ButtonProps}
            disabled={blocked}
          >
            <Button type="primary" icon={<SendOutlined />} loading={issuing} disabled={blocked} data-testid="notice-issue">
              发文
            </Button>
          </Popconfirm>
        </Space>
      }
    >
      <div data-testid="notice-drawer">
        {step && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
            {step.seq === 0 ? `收到申请之日 ${step.on}` : `办理环节日期 ${step.on}`}
            {supersedes ? `；取代已发出的 ${supersedes.number}（${supersedes.issuedOn}），原文书保留备查，新文书另行编号。` : ''}
          </Typography.Paragraph>
        )}
        <Form layout="vertical" component="div" data-testid="notice-form">
          {kinds.length > 1 && (
            <Form.Item label="文书种类" htmlFor="notice-kind" extra="这一环节可以发出以下任一种文书。">
              <Select
                id="notice-kind"
                value={key}
                options={kinds}
                onChange={(v: string) => {
                  setKey(v);
                  setValues({});
                }}
                disabled={!!supersedes}
                data-testid="notice-kind"
              />
            </Form.Item>
          )}
          <Form.Item label="发文日期" htmlFor="notice-issued-on" required>
            <DatePicker
              id="notice-issued-on"
              value={dayjs(issuedOn)}
              allowClear={false}
              maxDate={maxDateOf(today)}
              onChange={(d) => d && setIssuedOn(d.format('YYYY-MM-DD'))}
              data-testid="notice-issued-on"
            />
          </Form.Item>
          {(draft?.fields ?? []).map((f, i) => (
            <FreeField key={f.name} field={f} index={i} value={values[f.name] ?? f.value} onChange={(v) => setField(f.name, v)} />
          ))}
        </Form>
        {error && (
          <Alert
            type="error"
            showIcon
            title="无法起草这份文书"
            description={[error.message, ...problemsOf(error), issuesOf(error)].filter(Boolean).join('\n')}
            style={{ whiteSpace: 'pre-line', marginBottom: 12 }}
            data-testid="notice-draft-error"
          />
        )}
        {problems.length > 0 && (
          <Alert
            type="warning"
            showIcon
            title="以下问题解决前不能发文"
            description={
              <ul className="nb-plain-list" data-testid="notice-problems">
                {problems.map((p) => (
                  <li key={p.zh}>{p.zh}</li>
                ))}
              </ul>
            }
            style={{ marginBottom: 12 }}
          />
        )}
        {issueError && (
          <Alert
            type="error"
            showIcon
            title={issueError.status === 409 ? '不能发文' : '发文失败'}
            description={[issueError.message, ...problemsOf(issueError), issuesOf(issueError)].filter(Boolean).join('\n')}
            style={{ whiteSpace: 'pre-line', marginBottom: 12 }}
            data-testid="notice-issue-error"
          />
        )}
        <Typography.Title level={5} style={{ marginTop: 4 }}>
          文书预览{drafting || pending ? <Spin size="small" style={{ marginLeft: 8 }} /> : null}
        </Typography.Title>
        {draft ? (
          <NoticePaper doc={draft.document} />
        ) : (
          !error && (
            <div className="nb-loading" style={{ minHeight: 160 }}>
              <Spin />
            </div>
          )
        )}
      </div>
    </Drawer>
  );
}

function FreeField({ field, index, value, onChange }: { field: NoticeField; index: number; value: string; onChange: (v: string) => void }) {
  const id = `notice-field-${index}`;
  return (
    <Form.Item label={field.name} htmlFor={id} required={field.required} extra={field.hint}>
      {field.multiline ? (
        <Input.TextArea
          id={id}
          value={value}
          autoSize={{ minRows: 3, maxRows: 10 }}
          maxLength={5000}
          onChange={(e) => onChange(e.target.value)}
          data-testid={`notice-field-${field.name}`}
        />
      ) : (
        <Input
          id={id}
          value={value}
          maxLength={500}
          onChange={(e) => onChange(e.target.value)}
          data-testid={`notice-field-${field.name}`}
        />
      )}
    </Form.Item>
  );
}
