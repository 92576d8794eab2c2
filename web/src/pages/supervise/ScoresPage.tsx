/**
 * 评分排名: every body's score for the year under the jurisdiction's rubric, ranked within groups
 * (by tier and kind, by parent, or all together) with the grade and a veto; a row opens the body's
 * detail: the points each item kept, and every deduction with its evidence — the finding in Chinese,
 * where it is, the passages copied side by side, the days late. Downloads: the ranking (Excel) and
 * a draft of the 通报 (Word).
 */
import { FileExcelOutlined, FileWordOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Drawer, Empty, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';
import type { BodyScore, Deduction, Evidence, RankedScore, ScoresAnswer } from '../../supervise-types';
import { DownloadButton, groupLabel, KeyboardScroll, placeLabel, type ScoreGroup, sapi, useSuperviseYear, YearSelect } from './common';

const GROUPS: { value: ScoreGroup; label: string }[] = [
  { value: 'tier', label: '按层级和类型' },
  { value: 'parent', label: '按上级机关' },
  { value: 'all', label: '全部机关' },
];

const OTHER_TEXT = /^对方原文：/;

/** 12 → "12", 2.5 → "2.5" */
const pts = (n: number) => String(Math.round(n * 100) / 100);

function Passage({ mine, theirs, otherName }: { mine: string; theirs: string; otherName: string }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 6 }} data-testid="evidence-passage">
      <figure style={QUOTE}>
        <figcaption className="nb-small nb-muted">本机关报告</figcaption>
        <blockquote style={{ margin: '4px 0 0' }}>{mine}</blockquote>
      </figure>
      <figure style={QUOTE}>
        <figcaption className="nb-small nb-muted">{otherName}</figcaption>
        <blockquote style={{ margin: '4px 0 0' }}>{theirs}</blockquote>
      </figure>
    </div>
  );
}

const QUOTE = {
  flex: '1 1 240px',
  minWidth: 0,
  margin: 0,
  padding: '8px 10px',
  borderLeft: '3px solid #ffa39e',
  background: '#fff7f6',
  lineHeight: 1.7,
  wordBreak: 'break-word',
} as const;

function EvidenceItem({ e, names }: { e: Evidence; names: Record<string, string> }) {
  const place = placeLabel(e.path);
  if (e.quote !== undefined && OTHER_TEXT.test(e.message)) {
    const otherName = e.otherBodyId !== undefined ? `${names[String(e.otherBodyId)] ?? '其他机关'}的报告` : '本机关上年报告';
    return (
      <li data-testid="evidence">
        <Passage mine={e.quote} theirs={e.message.replace(OTHER_TEXT, '')} otherName={otherName} />
      </li>
    );
  }
  return (
    <li data-testid="evidence">
      {place && (
        <Tag color="blue" style={{ whiteSpace: 'normal' }}>
          {place}
        </Tag>
      )}
      <span>{e.message}</span>
      {e.quote && <blockquote style={{ ...QUOTE, marginTop: 6 }}>{e.quote}</blockquote>}
    </li>
  );
}

function DeductionItem({ d, names }: { d: Deduction; names: Record<string, string> }) {
  return (
    <li style={{ padding: '10px 0', borderBottom: '1px solid #f0f0f0' }} data-testid="deduction">
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: 8 }}>
        <b>{d.itemName}</b>
        {d.points > 0 ? <Tag color="red">扣 {pts(d.points)} 分</Tag> : <Tag>不扣分</Tag>}
        {d.uncertain && (
          <Tag color="orange" icon={<WarningOutlined />}>
            涉及无法确定的内容
          </Tag>
        )}
      </div>
      <div className="nb-muted" style={{ marginTop: 2 }}>
        {d.reason}
      </div>
      {d.evidence.length > 0 && (
        <ul className="nb-plain-list" style={{ marginTop: 4 }}>
          {d.evidence.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
            <EvidenceItem key={i} e={e} names={names} />
          ))}
        </ul>
      )}
    </li>
  );
}

function ScoreDrawer({
  score,
  rank,
  data,
  onClose,
}: {
  score: BodyScore | null;
  rank: RankedScore | null;
  data: ScoresAnswer;
  onClose: () => void;
}) {
  const name = score ? (data.names[String(score.bodyId)] ?? '') : '';
  const itemName = new Map(data.rubric.items.map((i) => [i.id, i.name]));
  return (
    <Drawer
      open={score !== null}
      onClose={onClose}
      size="min(760px, 100vw)"
      title={score ? `${name} · ${score.year} 年度评分` : ''}
      destroyOnHidden
      data-testid="score-drawer"
    >
      {score && (
        <>
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'score', label: '得分', children: `${pts(score.score)} / ${pts(score.max)} 分` },
              { key: 'grade', label: '等级', children: score.grade ?? '—' },
              { key: 'rank', label: '名次', children: rank ? `${groupLabel(rank.group, data.names)}第 ${rank.rank} 名` : '—' },
              {
                key: 'failed',
                label: '否决',
                children: score.failed ? (
                  <Tag color="red">{score.failedBy.map((id) => itemName.get(id) ?? '否决项').join('、')}</Tag>
                ) : (
                  '无'
                ),
              },
            ]}
          />
          <h2 className="nb-subheading">各项得分</h2>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={score.items}
            data-testid="score-items"
            columns={[
              { title: '评分项目', dataIndex: 'name' },
              { title: '分值', key: 'points', width: 70, render: (_, i) => pts(i.points) },
              { title: '得分', key: 'kept', width: 70, render: (_, i) => pts(i.kept) },
              {
                title: '扣分',
                key: 'lost',
                width: 70,
                render: (_, i) => (i.points > i.kept ? <span className="nb-text-danger">{pts(i.points - i.kept)}</span> : '—'),
              },
            ]}
          />
          <h2 className="nb-subheading">扣分明细及依据（{score.deductions.length} 项）</h2>
          {score.deductions.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有扣分" />
          ) : (
            // focusable, so that the drawer's long list can be scrolled with the keyboard
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region
            <section tabIndex={0} aria-label="扣分明细及依据" style={{ outlineOffset: 2 }}>
              <ul className="nb-list" data-testid="score-deductions">
                {score.deductions.map((d, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
                  <DeductionItem key={i} d={d} names={data.names} />
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </Drawer>
  );
}

export default function ScoresPage() {
  const [year, setYear] = useSuperviseYear();
  const [params, setParams] = useSearchParams();
  const group = (GROUPS.find((g) => g.value === params.get('group'))?.value ?? 'tier') as ScoreGroup;
  const [data, setData] = useState<ScoresAnswer | null>(null);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    setLoading(true);
    sapi
      .scores(year, group)
      .then((r) => {
        if (live) setData(r);
      })
      .catch(() => {
        if (live) setData(null);
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [year, group]);

  const byBody = useMemo(() => new Map((data?.scores ?? []).map((s) => [s.bodyId, s])), [data]);
  const groups = useMemo(() => {
    const m = new Map<string, RankedScore[]>();
    for (const r of data?.ranking ?? []) {
      const list = m.get(r.group) ?? [];
      list.push(r);
      m.set(r.group, list);
    }
    return [...m.entries()];
  }, [data]);
  const itemName = useMemo(() => new Map((data?.rubric.items ?? []).map((i) => [i.id, i.name])), [data]);
  const name = (id: number) => data?.names[String(id)] ?? '';

  const columns: ColumnsType<RankedScore> = [
    { title: '名次', dataIndex: 'rank', width: 64 },
    {
      title: '机关',
      key: 'name',
      render: (_, r) => (
        <Button
          type="link"
          style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
          onClick={(e) => {
            e.stopPropagation();
            setOpen(r.bodyId);
          }}
          data-testid={`score-open-${r.bodyId}`}
        >
          {name(r.bodyId)}
        </Button>
      ),
    },
    {
      title: '得分',
      key: 'score',
      width: 90,
      render: (_, r) => <b>{pts(r.score)}</b>,
    },
    { title: '等级', key: 'grade', width: 80, render: (_, r) => byBody.get(r.bodyId)?.grade ?? '—' },
    {
      title: '否决',
      key: 'failed',
      width: 180,
      render: (_, r) =>
        r.failed ? (
          <Tag color="red">{(byBody.get(r.bodyId)?.failedBy ?? []).map((id) => itemName.get(id) ?? '否决项').join('、') || '否决'}</Tag>
        ) : (
          '—'
        ),
    },
    {
      title: '扣分项',
      key: 'deductions',
      width: 90,
      render: (_, r) => `${(byBody.get(r.bodyId)?.deductions ?? []).filter((d) => d.points > 0).length} 项`,
    },
  ];

  const openScore = open === null ? null : (byBody.get(open) ?? null);
  const openRank = open === null ? null : ((data?.ranking ?? []).find((r) => r.bodyId === open) ?? null);
  return (
    <div className="nb-page" data-testid="scores-page">
      <PageHeader
        title="评分排名"
        subtitle={
          data
            ? `按“${data.rubric.name}”评分（满分 ${pts(data.rubric.total)} 分，${data.rubric.mode === 'strict' ? '严格模式：无法确定的内容也扣分' : '宽松模式：无法确定的内容不扣分'}）。点击机关查看各项得分和每一处扣分的依据。`
            : '按评分细则为各机关的年度报告评分并排名。'
        }
        extra={
          <Space wrap>
            <YearSelect year={year} onChange={setYear} />
            <DownloadButton
              fetchFile={() => sapi.scoresFile(year, group, 'xlsx')}
              fallbackName={`${year}年度评分排名.xlsx`}
              icon={<FileExcelOutlined />}
              testId="scores-export-xlsx"
            >
              排名 Excel
            </DownloadButton>
            <DownloadButton
              fetchFile={() => sapi.scoresFile(year, group, 'docx')}
              fallbackName={`${year}年度年报情况通报（草稿）.docx`}
              icon={<FileWordOutlined />}
              testId="scores-export-docx"
            >
              通报草稿 Word
            </DownloadButton>
          </Space>
        }
      />
      <div className="nb-filters">
        <Segmented
          aria-label="排名分组"
          value={group}
          options={GROUPS}
          onChange={(v) =>
            setParams(
              (p) => {
                const n = new URLSearchParams(p);
                n.set('group', String(v));
                return n;
              },
              { replace: true },
            )
          }
          data-testid="scores-group"
        />
      </div>
      {loading && !data && <Card loading />}
      {data && groups.length === 0 && (
        <Card>
          <Empty description="名录中没有应报的机关" />
        </Card>
      )}
      {data && data.rubric.mode === 'lenient' && data.scores.some((s) => s.deductions.some((d) => d.uncertain)) && (
        <Alert
          type="info"
          showIcon
          className="nb-gap-bottom"
          title="部分发现涉及无法确定的内容（如无法确定的单元格、不明的发布日期），宽松模式下列出但不扣分。"
        />
      )}
      {groups.map(([g, list]) => (
        <Card
          key={g}
          title={`${groupLabel(g, data?.names ?? {})}（${list.length} 个）`}
          className="nb-gap-bottom"
          data-testid="scores-group-card"
        >
          <KeyboardScroll>
            <Table<RankedScore>
              rowKey="bodyId"
              size="small"
              columns={columns}
              dataSource={list}
              loading={loading}
              pagination={list.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              scroll={{ x: 640 }}
              onRow={(r) =>
                ({
                  onClick: () => setOpen(r.bodyId),
                  className: 'nb-clickable-row',
                  'data-testid': `score-row-${r.bodyId}`,
                }) as HTMLAttributes<HTMLElement>
              }
            />
          </KeyboardScroll>
        </Card>
      ))}
      {data && (
        <Typography.Paragraph type="secondary" className="nb-small">
          名次：同分者名次相同；有否决项的机关排在本组其他机关之后。
        </Typography.Paragraph>
      )}
      {data && <ScoreDrawer score={openScore} rank={openRank} data={data} onClose={() => setOpen(null)} />}
    </div>
  );
}
