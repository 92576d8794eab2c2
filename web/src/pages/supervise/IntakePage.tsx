/**
 * 年报导入: upload a ZIP of reports, or several report files, to be read, matched to the bodies of
 * the directory, checked and stored; the progress follows the batch every second, then each file's
 * outcome (已存, 新版本, 待确认, 重复, 无法读取). Files whose body is uncertain wait below with their
 * candidates (name, confidence, reason): a person chooses the body (and the year when it was not
 * read) and confirms, or rejects the file.
 */
import { CheckOutlined, CloseOutlined, InboxOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, InputNumber, Popconfirm, Progress, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../format';
import type { BatchRow, IntakeOutcome, MatchCandidate, PendingFile } from '../../supervise-types';
import { type Directory, KeyboardScroll, pct, sapi, useDirectory } from './common';

const MAX_FILES = 200;

const OUTCOME_TAGS: Record<string, { text: string; color: string }> = {
  stored: { text: '已存', color: 'green' },
  version: { text: '新版本', color: 'blue' },
  pending: { text: '待确认', color: 'orange' },
  duplicate: { text: '重复', color: 'default' },
  failed: { text: '无法读取', color: 'red' },
};

function outcomeKey(o: IntakeOutcome): keyof typeof OUTCOME_TAGS {
  if (o.outcome === 'stored') return o.version > 1 ? 'version' : 'stored';
  return o.outcome;
}

function OutcomeDetail({ o }: { o: IntakeOutcome }) {
  switch (o.outcome) {
    case 'stored':
      return (
        <span>
          {o.bodyName} · {o.year} 年度
          {o.version > 1 ? ` · 第 ${o.version} 版` : ''}
          {o.confidence < 1 ? <Typography.Text type="secondary">（匹配把握 {pct(o.confidence)}）</Typography.Text> : null}{' '}
          <Link to={`/library/${o.reportId}`} style={{ textDecoration: 'underline' }}>
            查看报告
          </Link>
        </span>
      );
    case 'duplicate':
      return <span>与已导入的文件内容完全相同，未重复保存。</span>;
    case 'pending':
      return <span>{o.reason}</span>;
    case 'failed':
      return <span>{o.message}</span>;
  }
}

const outcomeColumns: ColumnsType<IntakeOutcome> = [
  {
    title: '文件',
    dataIndex: 'file',
    width: 260,
    render: (f: string) => <span style={{ wordBreak: 'break-all' }}>{f || '（整批）'}</span>,
  },
  {
    title: '结果',
    key: 'outcome',
    width: 100,
    render: (_, o) => {
      const t = OUTCOME_TAGS[outcomeKey(o)];
      return <Tag color={t.color}>{t.text}</Tag>;
    },
  },
  { title: '说明', key: 'detail', render: (_, o) => <OutcomeDetail o={o} /> },
];

function BatchCard({ batch, skipped }: { batch: BatchRow; skipped: string[] }) {
  const c = batch.counts;
  const done = batch.finishedAt !== null;
  const percent = batch.total ? Math.floor((c.done / batch.total) * 100) : 100;
  const [filter, setFilter] = useState<string | null>(null);
  const rows = filter ? batch.outcomes.filter((o) => outcomeKey(o) === filter) : batch.outcomes;
  const chips: { key: keyof typeof OUTCOME_TAGS; n: number }[] = [
    { key: 'stored', n: c.stored },
    { key: 'version', n: c.versions },
    { key: 'pending', n: c.pending },
    { key: 'duplicate', n: c.duplicates },
    { key: 'failed', n: c.failed },
  ];
  return (
    <Card
      className="nb-gap"
      title={`导入批次（${formatTime(batch.startedAt)}，${batch.startedBy}）`}
      data-testid="intake-batch"
      data-done={done ? 'true' : 'false'}
    >
      <Progress
        percent={percent}
        status={done ? 'normal' : 'active'}
        format={() => `${c.done} / ${batch.total}`}
        aria-label="导入进度"
        data-testid="intake-progress"
      />
      <Typography.Paragraph className="nb-gap-sm" data-testid="intake-state">
        {done ? `已完成：共 ${batch.total} 个文件。` : `正在读取、匹配和检查：已处理 ${c.done} 个，共 ${batch.total} 个……`}
      </Typography.Paragraph>
      <Space wrap data-testid="intake-counts">
        {chips.map((x) => (
          <Button
            key={x.key}
            size="small"
            type={filter === x.key ? 'primary' : 'default'}
            onClick={() => setFilter(filter === x.key ? null : x.key)}
            aria-pressed={filter === x.key}
            data-testid={`intake-count-${x.key}`}
          >
            {OUTCOME_TAGS[x.key].text} {x.n}
          </Button>
        ))}
      </Space>
      {skipped.length > 0 && (
        <Alert
          className="nb-gap-sm"
          type="info"
          showIcon
          title={`${skipped.length} 个文件不是可读取的报告文件，已跳过`}
          description={skipped.slice(0, 10).join('、') + (skipped.length > 10 ? ` 等` : '')}
        />
      )}
      <KeyboardScroll>
        <Table<IntakeOutcome>
          className="nb-gap-sm"
          size="small"
          rowKey={(o, i) => `${o.file}|${i}`}
          columns={outcomeColumns}
          dataSource={rows}
          pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          scroll={{ x: 640 }}
          data-testid="intake-outcomes"
          locale={{ emptyText: done ? '没有文件' : '正在处理……' }}
        />
      </KeyboardScroll>
    </Card>
  );
}

function CandidateList({ candidates }: { candidates: MatchCandidate[] }) {
  if (candidates.length === 0) return <Typography.Text type="secondary">名录中没有相近的机关</Typography.Text>;
  return (
    <ul className="nb-plain-list">
      {candidates.slice(0, 5).map((c) => (
        <li key={c.bodyId}>
          {c.name} <Tag color={c.confidence >= 0.9 ? 'green' : c.confidence >= 0.6 ? 'orange' : 'default'}>{pct(c.confidence)}</Tag>
          <span className="nb-small nb-muted">{c.reason}</span>
        </li>
      ))}
    </ul>
  );
}

function PendingRow({ p, dir, onDone }: { p: PendingFile; dir: Directory; onDone: () => void }) {
  const { message } = App.useApp();
  const [bodyId, setBodyId] = useState<number | undefined>(p.candidates[0]?.bodyId);
  const [year, setYear] = useState<number | null>(p.year);
  const [busy, setBusy] = useState<'confirm' | 'reject' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const options = useMemo(() => {
    const first = p.candidates.map((c) => ({ value: c.bodyId, label: `${c.name}（${pct(c.confidence)}）` }));
    const seen = new Set(p.candidates.map((c) => c.bodyId));
    return [
      ...(first.length ? [{ label: '可能的机关', options: first }] : []),
      { label: '名录中的全部机关', options: dir.bodies.filter((b) => !seen.has(b.id)).map((b) => ({ value: b.id, label: b.name })) },
    ];
  }, [p.candidates, dir.bodies]);

  async function act(kind: 'confirm' | 'reject') {
    setBusy(kind);
    setError(null);
    try {
      if (kind === 'confirm' && bodyId !== undefined) {
        const r = await sapi.confirm(p.id, bodyId, p.year === null ? year : null);
        message.success(`已确认：${p.fileName} 归入 ${dir.name(bodyId)}${r.version > 1 ? `（第 ${r.version} 版）` : ''}。`);
      } else if (kind === 'reject') {
        await sapi.reject(p.id);
        message.success(`已不予导入：${p.fileName}`);
      }
      onDone();
    } catch (e) {
      if (e instanceof ApiError) setError(e.message);
    } finally {
      setBusy(null);
    }
  }

  const selectId = `pending-body-${p.id}`;
  return (
    <li style={{ padding: '12px 0', borderBottom: '1px solid #f0f0f0' }} data-testid={`pending-${p.id}`}>
      <div style={{ display: 'flex', flexDirection: 'column', gap: 2, wordBreak: 'break-all' }}>
        <span className="nb-list-title">{p.fileName}</span>
        <span className="nb-small nb-muted">
          报告中的机关名称：{p.agency ?? '（未识别）'} · 年度：{p.year ?? '（未识别）'}
          {p.publishedOn ? ` · 发布日期：${p.publishedOn}` : ''} · {p.createdBy} 于 {formatTime(p.createdAt)} 导入
        </span>
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '12px 32px', marginTop: 8 }}>
        <div style={{ flex: '1 1 260px', minWidth: 0 }}>
          <div className="nb-small nb-muted">候选机关（把握程度、依据）</div>
          <CandidateList candidates={p.candidates} />
        </div>
        <div style={{ display: 'flex', flexDirection: 'column', gap: 6, flex: '1 1 260px', minWidth: 0 }}>
          <label htmlFor={selectId} className="nb-small nb-muted">
            归入机关
          </label>
          <Select
            id={selectId}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择机关"
            value={bodyId}
            onChange={setBodyId}
            options={options}
            style={{ width: '100%', maxWidth: 360 }}
            data-testid="pending-body"
          />
          {p.year === null && (
            <>
              <label htmlFor={`pending-year-${p.id}`} className="nb-small nb-muted">
                报告年度
              </label>
              <InputNumber
                id={`pending-year-${p.id}`}
                min={2008}
                max={2100}
                precision={0}
                value={year}
                onChange={(v) => setYear(v)}
                placeholder="如 2024"
                data-testid="pending-year"
              />
            </>
          )}
          <Space wrap>
            <Button
              type="primary"
              icon={<CheckOutlined />}
              disabled={bodyId === undefined || (p.year === null && !year)}
              loading={busy === 'confirm'}
              onClick={() => act('confirm')}
              data-testid="pending-confirm"
            >
              确认
            </Button>
            <Popconfirm title="不予导入这个文件？" okText="不予导入" cancelText="取消" onConfirm={() => act('reject')}>
              <Button icon={<CloseOutlined />} loading={busy === 'reject'} data-testid="pending-reject">
                不予导入
              </Button>
            </Popconfirm>
          </Space>
        </div>
      </div>
      {error && <Alert type="error" showIcon title={error} className="nb-gap-sm" />}
    </li>
  );
}

function PendingCard({ dir, refresh }: { dir: Directory; refresh: number }) {
  const [pending, setPending] = useState<PendingFile[] | null>(null);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` and `tick` ask for a reload
  useEffect(() => {
    let live = true;
    sapi
      .pending()
      .then((r) => {
        if (live) setPending(r.pending);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [refresh, tick]);
  return (
    <Card
      className="nb-gap"
      title={`待确认机关的文件${pending ? `（${pending.length}）` : ''}`}
      extra={<Button icon={<ReloadOutlined />} aria-label="刷新待确认文件" onClick={() => setTick((t) => t + 1)} />}
      data-testid="intake-pending"
      loading={pending === null}
    >
      {pending && pending.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有等待确认的文件" />
      ) : (
        <ul className="nb-list">
          {(pending ?? []).map((p) => (
            <PendingRow key={p.id} p={p} dir={dir} onDone={() => setTick((t) => t + 1)} />
          ))}
        </ul>
      )}
    </Card>
  );
}

export default function IntakePage() {
  const dir = useDirectory();
  const [params, setParams] = useSearchParams();
  const batchId = Number(params.get('batch')) || null;
  const [files, setFiles] = useState<File[]>([]);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [batch, setBatch] = useState<BatchRow | null>(null);
  const [skipped, setSkipped] = useState<string[]>([]);
  const [refresh, setRefresh] = useState(0);
  const timer = useRef<number | null>(null);

  const follow = useCallback((id: number) => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    let live = true;
    const step = async () => {
      try {
        const b = await sapi.batch(id);
        if (!live) return;
        setBatch(b);
        if (b.finishedAt === null) timer.current = window.setTimeout(step, 1000);
        else setRefresh((r) => r + 1);
      } catch (e) {
        if (!live) return;
        if (e instanceof ApiError && e.status === 404) setError('没有这个导入批次。');
        else timer.current = window.setTimeout(step, 2000);
      }
    };
    step();
    return () => {
      live = false;
      if (timer.current !== null) window.clearTimeout(timer.current);
    };
  }, []);

  useEffect(() => {
    if (batchId === null) return;
    return follow(batchId);
  }, [batchId, follow]);

  async function start() {
    setUploading(true);
    setError(null);
    try {
      const r = await sapi.intake(files);
      setSkipped(r.skipped);
      setBatch(null);
      setFiles([]);
      setParams(
        (p) => {
          const n = new URLSearchParams(p);
          n.set('batch', String(r.batchId));
          return n;
        },
        { replace: true },
      );
    } catch (e) {
      if (e instanceof ApiError) setError(e.message);
    } finally {
      setUploading(false);
    }
  }

  const size = files.reduce((n, f) => n + f.size, 0);
  return (
    <div className="nb-page" data-testid="intake-page">
      <PageHeader
        title="年报导入"
        subtitle="一次上传多份年度报告或一个 ZIP 压缩包：逐份读取，按名称匹配到名录中的机关，检查后保存；同一文件只存一次，同一机关同一年度的另一份文件存为新版本。匹配把握不足的文件在下方等待确认。"
      />
      <Card title="上传报告" data-testid="intake-upload-card">
        <div data-testid="intake-upload">
          <Upload.Dragger
            multiple
            accept=".zip,.pdf,.docx,.doc,.xlsx,.html,.htm,.md,.markdown,.txt,.json"
            beforeUpload={(f) => {
              setFiles((old) => [...old.filter((o) => o.name !== f.name), f].slice(0, MAX_FILES));
              return false;
            }}
            onRemove={(u) => setFiles((old) => old.filter((o) => o.name !== u.name))}
            fileList={files.map((f) => ({ uid: f.name, name: f.name, size: f.size, status: 'done' as const, originFileObj: f as never }))}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或将报告文件、ZIP 压缩包拖到此处</p>
            <p className="ant-upload-hint">支持 .zip 以及 .pdf .docx .doc .xlsx .html .md .txt；压缩包中的其他文件会被跳过。</p>
          </Upload.Dragger>
        </div>
        <div className="nb-form-actions">
          <Button
            type="primary"
            icon={<UploadOutlined />}
            disabled={files.length === 0}
            loading={uploading}
            onClick={start}
            data-testid="intake-start"
          >
            开始导入{files.length ? `（${files.length} 个文件，${(size / 1024 / 1024).toFixed(1)} MB）` : ''}
          </Button>
        </div>
        {uploading && (
          <Typography.Paragraph className="nb-gap-sm" type="secondary" data-testid="intake-uploading">
            正在上传……
          </Typography.Paragraph>
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            className="nb-gap-sm"
            title={error}
            closable={{ onClose: () => setError(null) }}
            data-testid="intake-error"
          />
        )}
      </Card>
      {batch && <BatchCard batch={batch} skipped={skipped} />}
      <PendingCard dir={dir} refresh={refresh} />
    </div>
  );
}
