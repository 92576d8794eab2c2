/** 检查年报: upload a file or paste text, then see the checked report. */
import { FileSearchOutlined, InboxOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Input, Select, Space, Tabs, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api';
import { useAuth } from '../auth';
import { BatchResults, type BatchRow } from '../components/BatchResults';
import { PageHeader } from '../components/PageHeader';
import { ReportView } from '../components/ReportView';
import type { Agency, CheckResult } from '../types';

type Result = CheckResult & { id?: string | number };

/** files checked in one batch */
const MAX_FILES = 200;

export default function CheckPage() {
  const { me, can, agencies } = useAuth();
  const [mode, setMode] = useState<'file' | 'text'>('file');
  const [files, setFiles] = useState<File[]>([]);
  const file = files.length === 1 ? files[0] : null;
  const [batch, setBatch] = useState<BatchRow[] | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
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
  const canSave = can('admin', 'clerk', 'reviewer');
  const pickAgency = can('admin', 'reviewer') && agencies.length > 1;

  // the file input itself carries the test id
  useEffect(() => {
    dragger.current?.querySelector('input[type=file]')?.setAttribute('data-testid', 'upload-input');
  });

  /** several files: checked one after another, each row filled in as it finishes */
  async function runBatch() {
    setLoading(true);
    setError(null);
    setResult(null);
    setPicked(null);
    const agency = save ? agencyId : undefined;
    let rows: BatchRow[] = files.map((f, i) => ({ key: i, name: f.name, state: 'waiting' }));
    setBatch(rows);
    window.setTimeout(() => batchRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 100);
    const update = (key: number, patch: Partial<BatchRow>) => {
      rows = rows.map((r) => (r.key === key ? { ...r, ...patch } : r));
      setBatch(rows);
    };
    for (const [i, f] of files.entries()) {
      update(i, { state: 'running' });
      try {
        update(i, { state: 'done', result: await api.checkFile(f, save, agency) });
      } catch (e) {
        update(i, { state: 'failed', message: e instanceof ApiError ? e.message : String(e) });
      }
    }
    setLoading(false);
  }

  async function run() {
    if (mode === 'file' && files.length > 1) return runBatch();
    setBatch(null);
    setLoading(true);
    setError(null);
    try {
      const agency = save ? agencyId : undefined;
      const r =
        mode === 'file' && file
          ? await api.checkFile(file, save, agency)
          : await api.checkText(text, save, fileName.trim() || undefined, agency);
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
  const batchResult = batch && picked !== null ? batch.find((r) => r.key === picked)?.result : undefined;

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
                      setFiles((old) => [...old.filter((o) => o.name !== f.name), f].slice(0, MAX_FILES));
                      return false;
                    }}
                    onRemove={(u) => setFiles((old) => old.filter((o) => o.name !== u.name))}
                    fileList={files.map((f) => ({
                      uid: f.name,
                      name: f.name,
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
                    autoSize={{ minRows: 8, maxRows: 20 }}
                    data-testid="paste-textarea"
                    className="nb-mono-input"
                  />
                  <Input
                    value={fileName}
                    onChange={(e) => setFileName(e.target.value)}
                    placeholder="文件名（可选，例如：某某区2024年报.txt）"
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
                data-testid="save-agency"
              />
            )}
          </Space>
          <Button
            type="primary"
            size="large"
            icon={save ? <SaveOutlined /> : <FileSearchOutlined />}
            loading={loading}
            disabled={!ready}
            onClick={run}
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

      {error && (
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
          <Card title="批量检查结果">
            <BatchResults rows={batch} selected={picked} onSelect={setPicked} />
          </Card>
        </div>
      )}
      {batchResult && (
        <div className="nb-gap">
          <ReportView
            key={`batch-${picked}`}
            result={batchResult}
            fetchFile={(format, force) =>
              batchResult.id !== undefined ? api.exportReport(batchResult.id, format, force) : api.render(batchResult.report, format, force)
            }
          />
        </div>
      )}
      {!result && !batch && !error && !loading && (
        <Typography.Paragraph type="secondary" className="nb-hint">
          检查结果会列出每个问题、在表格中标出出错的单元格，并在旁边显示它在原文中的位置。
        </Typography.Paragraph>
      )}
    </div>
  );
}
