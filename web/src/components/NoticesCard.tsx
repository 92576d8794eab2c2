/**
 * 文书: every notice the case calls for — the 登记回执, then one for each step (补正告知书, 延长答复期限告知书,
 * 征求意见函, 收费通知书, 答复告知书…) — with the date of its step and whether it was issued: 已发文 with
 * its 发文字号 and date, 下载 Word / 下载 PDF and 重新发文; or 未发文 and 起草. Notices replaced by a
 * reissue stay listed, struck through, with the number that replaced them. Clerks and administrators
 * draft and issue; reviewers and read-only users see the list and download.
 */
import { EditOutlined, FilePdfOutlined, FileTextOutlined, FileWordOutlined, RedoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, noticeApi } from '../api';
import type { AvailableNotice, CaseNotices, IssuedNotice } from '../types';
import { saveBlob } from './DownloadButtons';
import { NoticeDrawer } from './NoticeDrawer';

/** the notices of a case, loaded again whenever `version` changes (not loaded while it is null) */
export function useCaseNotices(
  caseId: string,
  agencyId: string | undefined,
  version: string | null,
): { data: CaseNotices | null; error: ApiError | null; reload: () => void } {
  const [data, setData] = useState<CaseNotices | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` and `tick` ask for a reload
  useEffect(() => {
    if (version === null) return;
    let live = true;
    noticeApi
      .list(caseId, agencyId)
      .then((r) => {
        if (!live) return;
        setData(r);
        setError(null);
      })
      .catch((e: unknown) => {
        if (live && e instanceof ApiError) setError(e);
      });
    return () => {
      live = false;
    };
  }, [caseId, agencyId, version, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}

/** 下载 Word / 下载 PDF of an issued notice */
export function NoticeDownloads({ notice, agencyId }: { notice: IssuedNotice; agencyId?: string }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'docx' | 'pdf' | null>(null);
  async function download(format: 'docx' | 'pdf'): Promise<void> {
    setBusy(format);
    try {
      const f = await noticeApi.file(notice.id, format, agencyId);
      saveBlob(f.blob, f.fileName ?? `${notice.title || notice.label}（${notice.number}）.${format}`);
    } catch (e) {
      if (!(e instanceof ApiError)) message.error('下载失败。');
    } finally {
      setBusy(null);
    }
  }
  return (
    <>
      <Button
        size="small"
        icon={<FileWordOutlined />}
        loading={busy === 'docx'}
        onClick={() => download('docx')}
        aria-label={`下载 Word：${notice.label} ${notice.number}`}
        data-testid={`notice-docx-${notice.id}`}
      >
        下载 Word
      </Button>
      <Button
        size="small"
        icon={<FilePdfOutlined />}
        loading={busy === 'pdf'}
        onClick={() => download('pdf')}
        aria-label={`下载 PDF：${notice.label} ${notice.number}`}
        data-testid={`notice-pdf-${notice.id}`}
      >
        下载 PDF
      </Button>
    </>
  );
}

const ROW = { padding: '10px 0', borderBottom: '1px solid #f0f0f0' } as const;

function NoticeRow({
  step,
  superseded,
  byId,
  canWrite,
  agencyId,
  onDraft,
}: {
  step: AvailableNotice;
  /** earlier notices of the step, replaced by a reissue */
  superseded: IssuedNotice[];
  byId: Map<number, IssuedNotice>;
  canWrite: boolean;
  agencyId?: string;
  onDraft: (step: AvailableNotice, supersedes: IssuedNotice | null) => void;
}) {
  const n = step.issued;
  return (
    <li style={ROW} data-testid={`notice-step-${step.seq}`} data-issued={n ? 'true' : undefined}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '4px 10px' }}>
        <b>{n?.label ?? step.label}</b>
        <Typography.Text type="secondary" className="nb-small">
          {step.seq === 0 ? '收到申请' : '环节日期'} {step.on}
        </Typography.Text>
        {n ? (
          <Tag color="green" data-testid={`notice-issued-${step.seq}`}>
            已发文 {n.number}（{n.issuedOn}）
          </Tag>
        ) : (
          <Tag data-testid={`notice-unissued-${step.seq}`}>未发文</Tag>
        )}
      </div>
      <Space wrap size={[8, 6]} style={{ marginTop: 6 }}>
        {n && <NoticeDownloads notice={n} agencyId={agencyId} />}
        {canWrite &&
          (n ? (
            <Button size="small" icon={<RedoOutlined />} onClick={() => onDraft(step, n)} data-testid={`notice-reissue-${step.seq}`}>
              重新发文
            </Button>
          ) : (
            <Button
              size="small"
              type="primary"
              icon={<EditOutlined />}
              onClick={() => onDraft(step, null)}
              data-testid={`notice-draft-${step.seq}`}
            >
              起草
            </Button>
          ))}
      </Space>
      {superseded.map((s) => (
        <div key={s.id} style={{ marginTop: 8, color: '#595959' }} data-testid={`notice-superseded-${s.id}`}>
          <div className="nb-small">
            <del>
              {s.label} {s.number}（{s.issuedOn}）
            </del>{' '}
            {s.supersededBy !== null ? `已被 ${byId.get(s.supersededBy)?.number ?? '新文书'} 取代` : '已被取代'}
          </div>
          <Space wrap size={[8, 6]} style={{ marginTop: 4 }}>
            <NoticeDownloads notice={s} agencyId={agencyId} />
          </Space>
        </div>
      ))}
    </li>
  );
}

export function NoticesCard({
  caseId,
  agencyId,
  canWrite,
  data,
  error,
  onIssued,
}: {
  caseId: string;
  agencyId?: string;
  canWrite: boolean;
  data: CaseNotices | null;
  error: ApiError | null;
  /** a notice was issued: reload the list and the timeline */
  onIssued: (n: IssuedNotice) => void;
}) {
  const [drafting, setDrafting] = useState<{ step: AvailableNotice; supersedes: IssuedNotice | null } | null>(null);
  const byId = new Map((data?.notices ?? []).map((n) => [n.id, n]));
  const supersededOf = (step: AvailableNotice) =>
    (data?.notices ?? []).filter((n) => n.seq === step.seq && n.supersededBy !== null).sort((a, b) => (a.issuedAt < b.issuedAt ? 1 : -1));
  // notices of a step that no longer calls for them (voided, or another kind of step now)
  const shown = new Set<number>();
  for (const step of data?.available ?? []) {
    if (step.issued) shown.add(step.issued.id);
    for (const s of supersededOf(step)) shown.add(s.id);
  }
  const orphans = (data?.notices ?? []).filter((n) => !shown.has(n.id));

  return (
    <Card
      title={
        <Space>
          <FileTextOutlined />
          文书
        </Space>
      }
      className="nb-gap"
      data-testid="notices-card"
    >
      {error && !data ? (
        <Alert type="error" showIcon title="文书列表加载失败" description={error.message} data-testid="notices-error" />
      ) : !data ? (
        <Spin />
      ) : (
        <>
          {data.available.length === 0 ? (
            <Typography.Text type="secondary">这件申请没有需要发出的文书。</Typography.Text>
          ) : (
            <ul style={{ listStyle: 'none', margin: '-10px 0 0', padding: 0 }} data-testid="notices-list">
              {data.available.map((step) => (
                <NoticeRow
                  key={`${step.seq}`}
                  step={step}
                  superseded={supersededOf(step)}
                  byId={byId}
                  canWrite={canWrite}
                  agencyId={agencyId}
                  onDraft={(s, sup) => setDrafting({ step: s, supersedes: sup })}
                />
              ))}
            </ul>
          )}
          {orphans.length > 0 && (
            <div className="nb-gap-sm" data-testid="notices-orphans">
              <Typography.Text type="secondary">办理环节已作废或已更改的文书（保留备查）：</Typography.Text>
              {orphans.map((o) => (
                <div key={o.id} style={{ marginTop: 6, color: '#595959' }}>
                  <div className="nb-small">
                    {o.label} {o.number}（{o.issuedOn}）
                    {o.supersededBy !== null ? `，已被 ${byId.get(o.supersededBy)?.number ?? '新文书'} 取代` : ''}
                  </div>
                  <Space wrap size={[8, 6]} style={{ marginTop: 4 }}>
                    <NoticeDownloads notice={o} agencyId={agencyId} />
                  </Space>
                </div>
              ))}
            </div>
          )}
        </>
      )}
      {canWrite && (
        <NoticeDrawer
          open={drafting !== null}
          caseId={caseId}
          agencyId={agencyId}
          step={drafting?.step ?? null}
          supersedes={drafting?.supersedes ?? null}
          onClose={() => setDrafting(null)}
          onIssued={(n) => {
            setDrafting(null);
            onIssued(n);
          }}
        />
      )}
    </Card>
  );
}
