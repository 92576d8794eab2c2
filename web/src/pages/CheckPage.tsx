/**
 * 检查年报: upload a file or paste text, then see the checked report. Several files are checked as a
 * batch, kept until 清除 dismisses it (components/batchStore.ts: its id in the URL, `?batch=…`).
 */
import { ClearOutlined, FileSearchOutlined, InboxOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Input, Select, Space, Tabs, Typography, Upload } from 'antd';
import type { RcFile } from 'antd/es/upload';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api';
import { useAuth } from '../auth';
import { BatchResults, type BatchRow, uniqueLabels } from '../components/BatchResults';
import { currentBatchId, dismissBatch, loadBatch, newBatchId, startBatch, updateBatch, watchBatch } from '../components/batchStore';
import { DuplicateReportAlert, duplicateOf } from '../components/DuplicateReportAlert';
import { PageHeader } from '../components/PageHeader';
import { ReportView } from '../components/ReportView';
import type { Agency, CheckResult, DuplicateReport } from '../types';

type Result = CheckResult & { id?: string | number };

/** files checked in one batch */
const MAX_FILES = 200;

/** what is said of a chosen file that can no longer be read (moved, renamed or deleted since) */
const FILE_GONE = '无法读取这个文件：它可能已被移动、改名或删除，请重新选择。';

/** reads the first byte of a chosen file: throws when it is gone */
async function readable(f: File): Promise<void> {
  try {
    await f.slice(0, 1).arrayBuffer();
  } catch {
    throw new ApiError(0, 'file-unreadable', FILE_GONE);
  }
}

/** why a file of a batch could not be checked, in Chinese */
function failure(e: unknown): string {
  return e instanceof ApiError ? e.message : '检查失败，请稍后重试。';
}

/**
 * Checks the files of a batch one after another, each row filled in as it finishes; it goes on while
 * the person is on another page, and stops when the batch is dismissed.
 */
async function checkAll(id: string, files: readonly File[], first: BatchRow[], save: boolean, agency?: Agency['id']): Promise<void> {
  let rows = first;
  const update = (i: number, patch: Partial<BatchRow>) => {
    rows = rows.map((r, j) => (j === i ? { ...r, ...patch } : r));
    return updateBatch(id, rows);
  };
  for (const [i, f] of files.entries()) {
    if (!update(i, { state: 'running' })) return;
    try {
      await readable(f);
      const result = await api.checkFile(f, save, agency);
      if (!update(i, { state: 'done', result })) return;
    } catch (e) {
      if (!update(i, { state: 'failed', message: failure(e) })) return;
    }
  }
  updateBatch(id, rows, true);
}

export default function CheckPage() {
  const { me, can, agencies } = useAuth();
  const { modal, message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const batchId = params.get('batch');
  const [mode, setMode] = useState<'file' | 'text'>('file');
  const [files, setFiles] = useState<RcFile[]>([]);
  const labels = useMemo(() => uniqueLabels(files.map((f) => f.name)), [files]);
  const file = files.length === 1 ? files[0] : null;
  const [batch, setBatch] = useState<BatchRow[] | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  /** 查看 pressed (again): the report is brought into view and given the focus */
  const [shown, setShown] = useState(0);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [save, setSave] = useState(false);
  const [agencyId, setAgencyId] = useState<Agency['id'] | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [runs, setRun] = useState(0);
  const dragger = useRef<HTMLDivElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const batchRef = useRef<HTMLDivElement>(null);
  const batchReportRef = useRef<HTMLElement>(null);
  const canSave = can('admin', 'clerk', 'reviewer');
  const pickAgency = can('admin', 'reviewer') && agencies.length > 1;

  // the file input itself carries the test id
  useEffect(() => {
    dragger.current?.querySelector('input[type=file]')?.setAttribute('data-testid', 'upload-input');
  });

  // the batch of the URL, followed while it is checked; without one in the URL, the batch last run
  // (not dismissed) is shown again and its id put in the URL
  useEffect(() => {
    if (!batchId) {
      const current = currentBatchId();
      if (current && loadBatch(current)) {
        setParams(
          (p) => {
            p.set('batch', current);
            return p;
          },
          { replace: true },
        );
        return;
      }
      setBatch(null);
      setPicked(null);
      return;
    }
    const rows = loadBatch(batchId);
    setBatch(rows);
    if (!rows) {
      message.info('这批检查结果已不在本浏览器中（可能已经清除，或是在另一个窗口中检查的）。');
      setParams(
        (p) => {
          p.delete('batch');
          return p;
        },
        { replace: true },
      );
      return;
    }
    return watchBatch(batchId, setBatch);
  }, [batchId, setParams, message]);

  // 查看: the report of the row is scrolled into view and takes the focus
  useEffect(() => {
    if (shown === 0) return;
    const t = window.setTimeout(() => {
      const el = batchReportRef.current;
      if (!el) return;
      el.scrollIntoView({ behavior: 'smooth', block: 'start' });
      el.focus({ preventScroll: true });
    }, 50);
    return () => window.clearTimeout(t);
  }, [shown]);

  /** several files: checked one after another, kept as a batch until dismissed */
  function startNewBatch() {
    setError(null);
    setResult(null);
    setPicked(null);
    const id = newBatchId();
    const chosen = files.slice();
    const rows: BatchRow[] = chosen.map((f, i) => ({ key: String(i + 1), name: f.name, label: labels[i], state: 'waiting' }));
    startBatch(id, rows);
    setBatch(rows);
    setParams(
      (p) => {
        p.set('batch', id);
        return p;
      },
      { replace: true },
    );
    window.setTimeout(() => batchRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 100);
    setLoading(true);
    void checkAll(id, chosen, rows, save, save ? agencyId : undefined).finally(() => setLoading(false));
  }

  function runBatch() {
    if (!batch || !batchId) return startNewBatch();
    // the batch shown is dismissed only when the person says so
    modal.confirm({
      title: '开始新的批量检查？',
      content: '当前的批量检查结果将被清除。',
      okText: '清除并开始',
      cancelText: '取消',
      onOk: () => {
        dismissBatch(batchId);
        startNewBatch();
      },
    });
  }

  /** 清除: the batch is dismissed */
  function clearBatch() {
    if (batchId) dismissBatch(batchId);
    setBatch(null);
    setPicked(null);
    setParams(
      (p) => {
        p.delete('batch');
        return p;
      },
      { replace: true },
    );
  }

  /** `allowDuplicate`: the person chose 仍然保存 for a file the library already holds */
  async function run(allowDuplicate = false) {
    if (mode === 'file' && files.length > 1) return runBatch();
    setLoading(true);
    setError(null);
    try {
      const agency = save ? agencyId : undefined;
      if (mode === 'file' && file) await readable(file);
      const r =
        mode === 'file' && file
          ? await api.checkFile(file, save, agency, allowDuplicate)
          : await api.checkText(text, save, fileName.trim() || undefined, agency, allowDuplicate);
      setResult(r);
      setRun((n) => n + 1);
      window.setTimeout(() => resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 100);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      setResult(null);
    } finally {
      setLoading(false);
    }
  }

  const ready = mode === 'file' ? files.length > 0 : text.trim() !== '';
  const pickedRow = batch && picked !== null ? batch.find((r) => r.key === picked) : undefined;
  const batchResult = pickedRow?.trimmed ? undefined : pickedRow?.result;
  const batchRunning = batch?.some((r) => r.state === 'waiting' || r.state === 'running') ?? false;

  return (
    <div className="nb-page">
      <PageHeader
        title="检查年报"
        subtitle="上传已发布或待发布的年度报告（TXT、Markdown、HTML、Word、PDF、Excel），或直接粘贴文本，逐项检查表格勾稽、格式与内容。"
      />
      <Card className="nb-input-card">
        <Tabs
          activeKey={mode}
          onChange={(k) => setMode(k as 'file' | 'text')}
          items={[
            {
              key: 'file',
              label: '上传文件',
              children: (
                <div ref={dragger} data-testid="upload-dragger">
                  <Upload.Dragger
                    multiple
                    maxCount={MAX_FILES}
                    beforeUpload={(f) => {
                      // every file chosen is kept, also one with the name of another (shown “（2）”)
                      setFiles((old) => [...old.filter((o) => o.uid !== f.uid), f].slice(0, MAX_FILES));
                      return false;
                    }}
                    onRemove={(u) => setFiles((old) => old.filter((o) => o.uid !== u.uid))}
                    fileList={files.map((f, i) => ({
                      uid: f.uid,
                      name: labels[i],
                      size: f.size,
                      type: f.type,
                      status: 'done' as const,
                      originFileObj: f as never,
                    }))}
                  >
                    <p className="ant-upload-drag-icon">
                      <InboxOutlined />
                    </p>
                    <p className="ant-upload-text">点击或将年度报告文件拖到此处</p>
                    <p className="ant-upload-hint">
                      支持 .txt .md .html .docx .doc .pdf .xlsx，单个文件不超过 20 MB；按文件内容自动识别格式。可一次选择多个文件（最多{' '}
                      {MAX_FILES} 个）逐一检查。
                    </p>
                  </Upload.Dragger>
                </div>
              ),
            },
            {
              key: 'text',
              label: '粘贴文本',
              children: (
                <Space orientation="vertical" style={{ width: '100%' }} size="small">
                  <Input.TextArea
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                    placeholder="将年度报告全文（含三张表格）粘贴到这里……"
                    aria-label="年度报告全文"
                    autoSize={{ minRows: 8, maxRows: 20 }}
                    data-testid="paste-textarea"
                    className="nb-mono-input"
                  />
                  <Input
                    value={fileName}
                    onChange={(e) => setFileName(e.target.value)}
                    placeholder="文件名（可选，例如：某某区2024年报.txt）"
                    aria-label="文件名（可选）"
                    style={{ maxWidth: 420 }}
                    data-testid="paste-filename"
                  />
                </Space>
              ),
            },
          ]}
        />
        <div className="nb-input-actions">
          <Space wrap>
            {canSave && (
              <Checkbox checked={save} onChange={(e) => setSave(e.target.checked)} data-testid="save-to-library">
                保存到报告库
              </Checkbox>
            )}
            {canSave && save && pickAgency && (
              <Select
                placeholder={`所属机关（默认：${me?.agency?.name ?? '本机关'}）`}
                allowClear
                value={agencyId}
                onChange={setAgencyId}
                options={agencies.map((a) => ({ value: a.id, label: a.name }))}
                style={{ minWidth: 260 }}
                showSearch={{ optionFilterProp: 'label' }}
                aria-label="所属机关"
                data-testid="save-agency"
              />
            )}
          </Space>
          <Button
            type="primary"
            size="large"
            icon={save ? <SaveOutlined /> : <FileSearchOutlined />}
            loading={loading || batchRunning}
            disabled={!ready}
            onClick={() => run()}
            data-testid="check-button"
          >
            {mode === 'file' && files.length > 1
              ? `${save ? '检查并保存' : '检查'} ${files.length} 个文件`
              : save
                ? '检查并保存'
                : '开始检查'}
          </Button>
        </div>
      </Card>

      {error && duplicateOf(error) && (
        <div className="nb-gap">
          <DuplicateReportAlert
            report={duplicateOf(error) as DuplicateReport}
            saving={loading}
            onSaveAnyway={() => run(true)}
            onCancel={() => setError(null)}
          />
        </div>
      )}
      {error && !duplicateOf(error) && (
        <Alert
          className="nb-gap"
          type="error"
          showIcon
          title={error.status === 422 ? '无法作为年度报告读取' : error.status === 413 ? '文件过大' : '检查失败'}
          description={error.message}
          closable={{ onClose: () => setError(null) }}
          data-testid="check-error"
        />
      )}

      {result && (
        <div className="nb-gap nb-scroll-target" ref={resultRef}>
          {result.id !== undefined && (
            <Alert
              type="success"
              showIcon
              className="nb-gap-bottom"
              title={
                <span>
                  已保存到报告库。<Link to={`/library/${result.id}`}>在报告库中查看</Link>
                </span>
              }
              data-testid="saved-alert"
            />
          )}
          <ReportView
            key={runs}
            result={result}
            fetchFile={(format, force) =>
              result.id !== undefined ? api.exportReport(result.id, format, force) : api.render(result.report, format, force)
            }
          />
        </div>
      )}
      {batch && (
        <div className="nb-gap nb-scroll-target" ref={batchRef}>
          <Card
            title="批量检查结果"
            extra={
              <Button icon={<ClearOutlined />} onClick={clearBatch} data-testid="batch-clear">
                清除
              </Button>
            }
          >
            <Typography.Paragraph type="secondary" className="nb-small">
              结果会一直保留在本浏览器窗口中（离开本页或刷新后仍在），直到点击“清除”。
            </Typography.Paragraph>
            <BatchResults
              rows={batch}
              selected={picked}
              onSelect={(key) => {
                setPicked(key);
                setShown((n) => n + 1);
              }}
            />
          </Card>
        </div>
      )}
      {pickedRow?.result && (
        <section
          className="nb-gap nb-scroll-target nb-batch-report"
          ref={batchReportRef}
          tabIndex={-1}
          aria-label={`“${pickedRow.label}”的检查结果`}
          data-testid="batch-report"
        >
          {batchResult ? (
            <ReportView
              key={`batch-${picked}`}
              result={batchResult}
              fetchFile={(format, force) =>
                batchResult.id !== undefined
                  ? api.exportReport(batchResult.id, format, force)
                  : api.render(batchResult.report, format, force)
              }
            />
          ) : (
            <Alert
              type="info"
              showIcon
              title={`“${pickedRow.label}”的详细检查结果过大，未能保存在本浏览器中`}
              description={
                pickedRow.result.id !== undefined ? (
                  <Link to={`/library/${pickedRow.result.id}`}>在报告库中查看这份报告</Link>
                ) : (
                  '请重新选择这个文件检查。'
                )
              }
            />
          )}
        </section>
      )}
      {!result && !batch && !error && !loading && (
        <Typography.Paragraph type="secondary" className="nb-hint">
          检查结果会列出每个问题、在表格中标出出错的单元格，并在旁边显示它在原文中的位置。
        </Typography.Paragraph>
      )}
    </div>
  );
}
