/**
 * 办理过程: the receipt, every recorded event (voided ones struck through, with who voided it, when
 * and why) and every revision of the case (更正申请信息, 作废事件, 重新计算期限), in the order they were
 * recorded; steps kept although their timing no longer holds carry their note. The notices issued
 * (发出文书) are listed among them, dated by their day of issue; one replaced by a reissue is struck through.
 */
import { Alert, ConfigProvider, Tag, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { safeEventDetails } from '../eventDetails';
import { formatDay, formatTime } from '../format';
import { CHANNEL_LABELS, EVENT_COLORS, EVENT_LABELS } from '../labels';
import type { Case, CaseResult, IssuedNotice, Revision, RevisionChange, StateWarning, StoredEvent } from '../types';
import { VoidEventButton } from './VoidEventButton';

export const REVISION_LABELS: Record<Revision['kind'], string> = {
  amend: '更正申请信息',
  void: '作废事件',
  calendar: '重新计算期限',
};

const REVISION_COLORS: Record<Revision['kind'], string> = { amend: 'cyan', void: 'default', calendar: 'geekblue' };

const shown = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '（空）' : v);
const dated = (v: string | null | undefined, provisional: boolean | undefined) =>
  v === null || v === undefined || v === '' ? '（无）' : `${v}${provisional ? '（暂定）' : ''}`;

/** one change of a revision, in Chinese */
export function changeText(kind: Revision['kind'], ch: RevisionChange): string {
  if (kind === 'calendar') {
    if (ch.from === ch.to && ch.from) {
      if (!ch.fromProvisional === !ch.toProvisional) return `${ch.label} ${ch.from}`;
      return `${ch.label} ${ch.from} 由${ch.fromProvisional ? '暂定' : '确定'}改为${ch.toProvisional ? '暂定' : '确定'}`;
    }
    return `${ch.label}由 ${dated(ch.from, ch.fromProvisional)} 改为 ${dated(ch.to, ch.toProvisional)}`;
  }
  if (kind === 'void') return `${ch.label}${ch.from ? `（${ch.from}）` : ''}已作废`;
  return `${ch.label}：${shown(ch.from)} → ${shown(ch.to)}`;
}

function RevisionContent({ r, index }: { r: Revision; index: number }) {
  return (
    <div data-testid={`timeline-revision-${index}`} data-kind={r.kind}>
      <div className="nb-tl-head">
        <b>{formatDay(r.at)}</b>
        <Tag color={REVISION_COLORS[r.kind]}>{REVISION_LABELS[r.kind] ?? '更正'}</Tag>
      </div>
      {r.changes.map((ch) => (
        <div key={`${ch.field}:${ch.from}:${ch.to}`}>{changeText(r.kind, ch)}</div>
      ))}
      {r.reason && <div>理由：{r.reason}</div>}
      <Typography.Text type="secondary" className="nb-small">
        {r.by} 于 {formatTime(r.at)}
      </Typography.Text>
    </div>
  );
}

/** the red of 作废 dark enough to read as small text on white (antd's #ff4d4f is 3.3:1; this is above 4.5:1) */
const READABLE_DANGER = { token: { colorError: '#cf1322', colorErrorHover: '#a8071a', colorErrorActive: '#820014' } };

function EventContent({ se, warnings, action }: { se: StoredEvent; warnings: StateWarning[]; action?: ReactNode }) {
  const e = se.event;
  const voided = e.voided;
  const label = EVENT_LABELS[e.type] ?? '事件';
  const body = (
    <>
      <div className="nb-tl-head">
        <b>{e.on}</b>
        <Tag color={voided ? 'default' : EVENT_COLORS[e.type]}>{label}</Tag>
      </div>
      {safeEventDetails(e).map((l) => (
        <div key={l}>{l}</div>
      ))}
    </>
  );
  return (
    <div data-testid={`timeline-event-${se.seq}`} data-voided={voided ? 'true' : undefined} className={voided ? 'nb-voided' : undefined}>
      {voided ? <del>{body}</del> : body}
      {voided && (
        <div className="nb-voided-note" data-testid={`timeline-voided-${se.seq}`}>
          已作废：{voided.by}，{formatDay(voided.at)}，理由：{voided.reason}
        </div>
      )}
      {warnings.map((w) => (
        <Alert key={w.zh} type="warning" showIcon className="nb-tl-warning" title={w.zh} />
      ))}
      <div className="nb-tl-foot">
        <Typography.Text type="secondary" className="nb-small">
          {e.by || se.user} 登记于 {formatTime(se.at)}
        </Typography.Text>
        {!voided && action && <ConfigProvider theme={READABLE_DANGER}>{action}</ConfigProvider>}
      </div>
    </div>
  );
}

/** 发出文书: an issued notice at its date of issue; one replaced by a reissue struck through */
function NoticeContent({ n, replacedBy }: { n: IssuedNotice; replacedBy: IssuedNotice | undefined }) {
  const superseded = n.supersededBy !== null;
  const text = `发出文书：${n.label} ${n.number}`;
  return (
    <div
      data-testid={`timeline-notice-${n.id}`}
      data-superseded={superseded ? 'true' : undefined}
      className={superseded ? 'nb-voided' : undefined}
    >
      <div className="nb-tl-head">
        <b>{n.issuedOn}</b>
        <Tag color={superseded ? 'default' : 'purple'}>发出文书</Tag>
      </div>
      <div>{superseded ? <del>{text}</del> : text}</div>
      {superseded && (
        <div className="nb-voided-note" data-testid={`timeline-notice-superseded-${n.id}`}>
          已被 {replacedBy?.number ?? '新文书'} 取代
        </div>
      )}
      {n.supersedes !== null && <div className="nb-small">（重新发文）</div>}
      <Typography.Text type="secondary" className="nb-small">
        {n.issuedBy} 发文于 {formatTime(n.issuedAt)}
      </Typography.Text>
    </div>
  );
}

export function CaseTimeline({
  caseData,
  events,
  canWrite,
  agencyId,
  onChanged,
  notices,
}: {
  /** null when the case's data cannot be read: its events are listed as stored */
  caseData: Case | null;
  events: StoredEvent[];
  canWrite: boolean;
  agencyId?: string;
  onChanged?: (r: CaseResult) => void;
  /** the notices issued for the case (文书) */
  notices?: IssuedNotice[];
}) {
  const warnings = caseData?.state?.warnings ?? [];
  const voidedOf = (se: StoredEvent) => se.event?.voided ?? caseData?.events?.[se.seq - 1]?.voided;
  const entries: { at: string; order: number; item: { key: string; color: string; content: ReactNode } }[] = [];
  events.forEach((raw, i) => {
    const se: StoredEvent = { ...raw, event: { ...raw.event, voided: voidedOf(raw) } };
    entries.push({
      at: se.at,
      order: i,
      item: {
        key: `e${se.seq}`,
        color: se.event.voided ? 'gray' : (EVENT_COLORS[se.event.type] ?? 'gray'),
        content: (
          <EventContent
            se={se}
            warnings={warnings.filter((w) => w.seq === se.seq)}
            action={
              canWrite && caseData && onChanged ? (
                <VoidEventButton caseId={caseData.id} stored={se} agencyId={agencyId} onVoided={onChanged} />
              ) : undefined
            }
          />
        ),
      },
    });
  });
  (caseData?.revisions ?? []).forEach((r, i) => {
    entries.push({
      at: r.at,
      order: events.length + i,
      item: { key: `r${i}`, color: r.kind === 'void' ? 'gray' : 'cyan', content: <RevisionContent r={r} index={i} /> },
    });
  });
  const noticeById = new Map((notices ?? []).map((n) => [n.id, n]));
  (notices ?? []).forEach((n, i) => {
    entries.push({
      at: n.issuedAt,
      order: events.length + (caseData?.revisions?.length ?? 0) + i,
      item: {
        key: `n${n.id}`,
        color: n.supersededBy !== null ? 'gray' : 'purple',
        content: <NoticeContent n={n} replacedBy={n.supersededBy !== null ? noticeById.get(n.supersededBy) : undefined} />,
      },
    });
  });
  entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  const orphans = warnings.filter((w) => !events.some((se) => se.seq === w.seq));

  return (
    <>
      <Timeline
        items={[
          ...(caseData
            ? [
                {
                  key: 'receipt',
                  color: 'blue',
                  content: (
                    <div>
                      <div className="nb-tl-head">
                        <b>{caseData.receivedOn}</b>
                        <Tag color="blue">收到申请</Tag>
                      </div>
                      <Typography.Text type="secondary" className="nb-small">
                        {CHANNEL_LABELS[caseData.receipt.channel]}，登记人 {caseData.registeredBy}
                      </Typography.Text>
                    </div>
                  ),
                },
              ]
            : []),
          ...entries.map((x) => x.item),
        ]}
      />
      {orphans.map((w) => (
        <Alert key={`${w.seq}:${w.zh}`} type="warning" showIcon className="nb-tl-warning" title={w.zh} />
      ))}
    </>
  );
}
