/**
 * 导入台账: a register kept in Excel or CSV brought into the system. The file is checked first (nothing
 * stored): which column holds each item of the register (proposed by the server, changed here, 重新检查),
 * and each row's result — 新增, 已存在 (already in the register: never imported twice), 有错误, 冲突 —
 * with its problems in Chinese. Then 导入 N 条 (after a confirmation) stores the new cases.
 */
import { CheckCircleOutlined, ImportOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Popconfirm, Segmented, Select, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, issuesOf, ledgerApi, problemsOf } from '../api';
import type { LedgerImportResult, LedgerRowStatus } from '../types';

const STATUS: Record<LedgerRowStatus, { label: string; color?: string; className?: string }> = {
  new: { label: '新增', color: 'green' },
  exists: { label: '已存在' },
  error: { label: '有错误', color: 'red' },
  conflict: { label: '冲突', className: 'nb-warning-tag' },
};

type Row = LedgerImportResult['rows'][number];
type Column = LedgerImportResult['columns'][number];

/** a column of the sheet as the person sees it: its header and a few values */
function columnLabel(c: Column): string {
  const name = c.header.trim() || `第 ${c.index + 1} 列`;
  const samples = c.samples.filter((s) => s.trim() !== '').slice(0, 2);
  return samples.length ? `${name}（例：${samples.join('、')}）` : name;
}

/** where the header is: “；表头在第 2、3 行” */
function headerText(rows: number[] | number): string {
  const list = Array.isArray(rows) ? rows : [rows];
  return list.length ? `；表头在第 ${list.join('、')} 行` : '';
}

function sameMapping(a: Record<string, number | null>, b: Record<string, number | null>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? null) !== (b[k] ?? null)) return false;
  return true;
}

export function LedgerImport({
  open,
  agencyId,
  onClose,
  onImported,
}: {
  open: boolean;
  agencyId?: string;
  onClose: () => void;
  /** cases were stored: reload the list */
  onImported: (n: number) => void;
}) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<LedgerImportResult | null>(null);
  const [mapping, setMapping] = useState<Record<string, number | null>>({});
  const [checking, setChecking] = useState(false);
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const [filter, setFilter] = useState<LedgerRowStatus | ''>('');

  async function check(f: File, m?: Record<string, number | null>): Promise<void> {
    setChecking(true);
    setError(null);
    try {
      const r = await ledgerApi.import(f, { agencyId, mapping: m, dryRun: true });
      setResult(r);
      setMapping(r.mapping);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      setResult(null);
    } finally {
      setChecking(false);
    }
  }

  async function doImport(): Promise<void> {
    if (!file || !result) return;
    setImporting(true);
    setError(null);
    try {
      const r = await ledgerApi.import(file, { agencyId, mapping, dryRun: false });
      const n = r.imported ?? 0;
      setDone(n);
      message.success(`已导入 ${n} 件申请。`);
      onImported(n);
      // the file again as it now stands against the register
      await check(file, mapping);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setImporting(false);
    }
  }

  function reset(): void {
    setFile(null);
    setResult(null);
    setMapping({});
    setError(null);
    setDone(null);
    setFilter('');
  }

  const dirty = result !== null && !sameMapping(mapping, result.mapping);
  const missing = result ? result.fields.filter((f) => f.required && (mapping[f.key] ?? null) === null) : [];
  const columnName = (col: number | string | undefined) => {
    if (col === undefined) return '';
    if (typeof col === 'string') return col;
    const c = result?.columns.find((x) => x.index === col);
    return c ? c.header.trim() || `第 ${c.index + 1} 列` : `第 ${col + 1} 列`;
  };
  /** 【列名】 before a message about a column, unless the message names it already */
  const prefix = (m: { zh: string; column?: number | string }) => {
    if (m.column === undefined || m.column === null || m.column === '') return '';
    const name = columnName(m.column);
    return name && !m.zh.includes(name) ? `【${name}】` : '';
  };
  const conflicts = result ? (result.summary.conflicts ?? result.rows.filter((r) => r.status === 'conflict').length) : 0;
  const summary = result && (
    <>
      <span>共 {result.summary.rows} 行：</span>
      <Tag color="green">新增 {result.summary.new}</Tag>
      <Tag>已存在 {result.summary.exists}</Tag>
      <Tag color="red">有错误 {Math.max(0, result.summary.errors - conflicts)}</Tag>
      {conflicts > 0 && <Tag className="nb-warning-tag">冲突 {conflicts}</Tag>}
      {result.summary.skipped > 0 && <Tag>跳过 {result.summary.skipped}</Tag>}
    </>
  );
  const rows = result ? (filter ? result.rows.filter((r) => r.status === filter) : result.rows) : [];
  const newCount = result?.summary.new ?? 0;

  return (
    <Drawer
      title="导入台账"
      open={open}
      onClose={onClose}
      size="min(980px, 100vw)"
      afterOpenChange={(o) => !o && reset()}
      extra={
        <Popconfirm
          title={`导入 ${newCount} 件新申请？`}
          description="已存在、有错误和冲突的行不会导入。"
          okText="导入"
          cancelText="取消"
          onConfirm={doImport}
          disabled={!result || newCount === 0 || dirty || checking}
        >
          <Button
            type="primary"
            icon={<ImportOutlined />}
            loading={importing}
            disabled={!result || newCount === 0 || dirty || checking}
            data-testid="ledger-import-submit"
          >
            导入 {newCount} 条
          </Button>
        </Popconfirm>
      }
    >
      <div data-testid="ledger-import">
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          从 Excel（.xlsx）或 CSV
          文件导入申请台账。先检查文件：确认各登记项对应的列和每一行的检查结果，再导入新增的申请；登记簿中已有的申请不会重复导入。
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          multiple={false}
          fileList={file ? [{ uid: 'ledger', name: file.name, status: 'done' }] : []}
          beforeUpload={(f) => {
            reset();
            setFile(f);
            void check(f);
            return false;
          }}
          onRemove={() => {
            reset();
            return true;
          }}
          data-testid="ledger-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖入台账文件（Excel 或 CSV）</p>
        </Upload.Dragger>
        {checking && (
          <div style={{ margin: '16px 0' }}>
            <Spin /> <Typography.Text type="secondary">正在检查文件……</Typography.Text>
          </div>
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            className="nb-gap"
            title="无法读取这个文件"
            description={
              <ul className="nb-plain-list">
                {[error.message, ...problemsOf(error), ...(issuesOf(error) ? [issuesOf(error) as string] : [])].map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            }
            data-testid="ledger-import-error"
          />
        )}
        {done !== null && (
          <Alert
            type="success"
            showIcon
            icon={<CheckCircleOutlined />}
            className="nb-gap"
            title={`已导入 ${done} 件申请。`}
            description="下面是导入后再次检查的结果。"
            data-testid="ledger-import-done"
          />
        )}
        {result && (
          <>
            <Typography.Paragraph className="nb-gap" data-testid="ledger-file">
              文件：{result.fileName}
              {result.sheet ? `；工作表：${result.sheet}` : ''}
              {headerText(result.headerRows)}
              {result.eventsSheet ? `；办理事件取自：${result.eventsSheet}` : ''}
            </Typography.Paragraph>
            <Space wrap className="nb-gap-bottom" data-testid="ledger-summary-top">
              {summary}
            </Space>
            {(result.fileWarnings ?? []).length > 0 && (
              <Alert
                type="warning"
                showIcon
                className="nb-gap-bottom"
                title="文件的提示"
                description={
                  <ul className="nb-plain-list">
                    {(result.fileWarnings ?? []).map((w) => (
                      <li key={w.zh}>
                        {prefix(w)}
                        {w.zh}
                      </li>
                    ))}
                  </ul>
                }
                data-testid="ledger-file-warnings"
              />
            )}
            <Typography.Title level={5}>各登记项对应的列</Typography.Title>
            <Typography.Paragraph type="secondary">
              系统已按表头自动对应，请逐项核对；选择“不导入”的登记项留空。每一列后面括号中是文件里的示例内容。
            </Typography.Paragraph>
            <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="ledger-mapping">
              {result.fields.map((f, i) => (
                <li
                  key={f.key}
                  style={{
                    display: 'flex',
                    flexWrap: 'wrap',
                    alignItems: 'center',
                    gap: '4px 12px',
                    padding: '6px 0',
                    borderBottom: '1px solid #f0f0f0',
                  }}
                >
                  <label htmlFor={`ledger-map-${i}`} style={{ flex: '0 0 170px', maxWidth: '100%' }}>
                    {f.label}
                    {f.required && (
                      <Tag color="red" style={{ marginLeft: 6 }}>
                        必填
                      </Tag>
                    )}
                  </label>
                  <Select
                    id={`ledger-map-${i}`}
                    allowClear
                    placeholder="不导入"
                    value={mapping[f.key] ?? undefined}
                    onChange={(v: number | undefined) => setMapping({ ...mapping, [f.key]: v ?? null })}
                    options={result.columns.map((c) => ({ value: c.index, label: columnLabel(c) }))}
                    style={{ flex: '1 1 220px', minWidth: 0 }}
                    data-testid={`ledger-map-${f.key}`}
                  />
                </li>
              ))}
            </ul>
            {missing.length > 0 && (
              <Alert
                type="warning"
                showIcon
                className="nb-gap-sm"
                title={`必填的登记项尚未对应到列：${missing.map((f) => f.label).join('、')}`}
              />
            )}
            <Space wrap className="nb-gap-sm">
              <Button
                icon={<ReloadOutlined />}
                onClick={() => file && check(file, mapping)}
                disabled={!file || checking}
                type={dirty ? 'primary' : 'default'}
                data-testid="ledger-recheck"
              >
                重新检查
              </Button>
              {dirty && <Typography.Text type="secondary">对应关系已修改，请重新检查后再导入。</Typography.Text>}
            </Space>
            <Typography.Title level={5} className="nb-gap">
              检查结果
            </Typography.Title>
            <Space wrap data-testid="ledger-summary" style={{ marginBottom: 8 }}>
              {summary}
            </Space>
            <div style={{ overflowX: 'auto', marginBottom: 8 }}>
              <Segmented
                value={filter}
                onChange={(v) => setFilter(v as LedgerRowStatus | '')}
                options={[
                  { value: '', label: '全部' },
                  ...(Object.keys(STATUS) as LedgerRowStatus[]).map((s) => ({ value: s, label: STATUS[s].label })),
                ]}
                data-testid="ledger-row-filter"
              />
            </div>
            <Table<Row>
              size="small"
              rowKey="row"
              dataSource={rows}
              scroll={{ x: 640 }}
              pagination={{ pageSize: 10, showSizeChanger: false, showTotal: (n) => `共 ${n} 行`, size: 'small' }}
              data-testid="ledger-rows"
              locale={{ emptyText: '没有这样的行' }}
              columns={[
                { title: '行号', dataIndex: 'row', width: 70 },
                { title: '申请编号', dataIndex: 'caseId', width: 120, render: (id: string | null) => id || '—' },
                {
                  title: '结果',
                  dataIndex: 'status',
                  width: 90,
                  render: (s: LedgerRowStatus) => (
                    <Tag color={STATUS[s]?.color} className={STATUS[s]?.className}>
                      {STATUS[s]?.label ?? '未知'}
                    </Tag>
                  ),
                },
                {
                  title: '问题',
                  key: 'problems',
                  render: (_, r) =>
                    r.problems.length === 0 && r.warnings.length === 0 ? (
                      <Typography.Text type="secondary">—</Typography.Text>
                    ) : (
                      <ul className="nb-plain-list" style={{ paddingLeft: 16 }}>
                        {r.problems.map((p) => (
                          <li key={`p${p.zh}`}>
                            {prefix(p)}
                            {p.zh}
                          </li>
                        ))}
                        {r.warnings.map((w) => (
                          <li key={`w${w.zh}`} className="nb-muted">
                            提示：{prefix(w)}
                            {w.zh}
                          </li>
                        ))}
                      </ul>
                    ),
                },
              ]}
            />
          </>
        )}
      </div>
    </Drawer>
  );
}
