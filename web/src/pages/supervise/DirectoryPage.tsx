/**
 * 机关名录: the bodies that must publish an annual report, as a tree under the user's agency (tier,
 * kind, codes, former names and years in Chinese), with a search; the export of the directory
 * (Excel, CSV), and for administrators its import from an XLSX/CSV file: a dry run first lists every
 * problem by row and column, then 确认导入 stores it (nothing is stored while an error remains).
 */
import { CheckCircleOutlined, FileExcelOutlined, FileTextOutlined, InboxOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Input, Space, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type Key, useMemo, useState } from 'react';
import { ApiError } from '../../api';
import { useAuth } from '../../auth';
import { PageHeader } from '../../components/PageHeader';
import { BODY_KIND_ZH, type Body, type DirectoryImportAnswer, type RowProblem, TIER_ZH } from '../../supervise-types';
import { DownloadButton, KeyboardScroll, sapi, useDirectory } from './common';

interface TreeRow extends Body {
  /** names of the ancestors, for a search result */
  path: string[];
  children?: TreeRow[];
}

/** the bodies as a tree: a body whose parent is not in the list is a root */
function treeOf(bodies: Body[]): TreeRow[] {
  const ids = new Set(bodies.map((b) => b.id));
  const nodes = new Map<number, TreeRow>(bodies.map((b) => [b.id, { ...b, path: [] }]));
  const roots: TreeRow[] = [];
  for (const b of bodies) {
    const n = nodes.get(b.id) as TreeRow;
    if (b.parentId !== null && ids.has(b.parentId) && b.parentId !== b.id) {
      const p = nodes.get(b.parentId) as TreeRow;
      p.children ??= [];
      p.children.push(n);
    } else roots.push(n);
  }
  return roots;
}

function pathOf(b: Body, byId: Map<number, Body>): string[] {
  const out: string[] = [];
  const seen = new Set<number>([b.id]);
  for (let p = b.parentId; p !== null && !seen.has(p); ) {
    seen.add(p);
    const x = byId.get(p);
    if (!x) break;
    out.unshift(x.name);
    p = x.parentId;
  }
  return out;
}

function yearsLabel(b: Body): string {
  if (b.activeFrom === null && b.activeUntil === null) return '一直应报';
  if (b.activeFrom !== null && b.activeUntil !== null) return `${b.activeFrom}—${b.activeUntil} 年度`;
  if (b.activeFrom !== null) return `${b.activeFrom} 年度起`;
  return `至 ${b.activeUntil} 年度`;
}

function Aliases({ body }: { body: Body }) {
  if (body.aliases.length === 0) return null;
  return (
    <div className="nb-small nb-muted">
      {body.aliases.map((a) => (
        <div key={`${a.kind}:${a.name}`}>
          {a.kind === 'former' ? '曾用名' : '别名'}：{a.name}
          {a.kind === 'former' && a.until ? `（用至 ${a.until} 年度）` : ''}
        </div>
      ))}
    </div>
  );
}

const columns: ColumnsType<TreeRow> = [
  {
    title: '机关名称',
    key: 'name',
    render: (_, b) => (
      <div style={{ display: 'inline-block', verticalAlign: 'top' }}>
        <span className="nb-list-title">{b.name}</span>
        {b.path.length > 0 && <div className="nb-small nb-muted">{b.path.join(' / ')}</div>}
        <Aliases body={b} />
      </div>
    ),
  },
  { title: '层级', key: 'tier', width: 110, render: (_, b) => TIER_ZH[b.tier] ?? '—' },
  {
    title: '类型',
    key: 'kind',
    width: 100,
    render: (_, b) => <Tag color={b.kind === 'government' ? 'red' : 'blue'}>{BODY_KIND_ZH[b.kind] ?? '—'}</Tag>,
  },
  {
    title: '行政区划代码',
    key: 'region',
    width: 150,
    render: (_, b) => (b.regionCode ? `${b.regionCode}${b.regionCodeYear ? `（${b.regionCodeYear} 年）` : ''}` : '—'),
  },
  { title: '统一社会信用代码', key: 'credit', width: 190, render: (_, b) => b.creditCode ?? '—' },
  { title: '应报年度', key: 'years', width: 130, render: (_, b) => yearsLabel(b) },
];

function problemColumns(): ColumnsType<RowProblem> {
  return [
    { title: '行', key: 'row', width: 70, render: (_, p) => (p.row === null ? '整个文件' : `第 ${p.row} 行`) },
    { title: '列', key: 'column', width: 150, render: (_, p) => p.column ?? '整行' },
    {
      title: '类别',
      key: 'severity',
      width: 80,
      render: (_, p) => (p.severity === 'error' ? <Tag color="red">错误</Tag> : <Tag color="orange">提示</Tag>),
    },
    { title: '说明', dataIndex: 'message' },
  ];
}

function ImportCard({ onImported }: { onImported: () => void }) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [plan, setPlan] = useState<DirectoryImportAnswer | null>(null);
  const [busy, setBusy] = useState<'dry' | 'store' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stored, setStored] = useState<DirectoryImportAnswer | null>(null);
  const errors = plan ? plan.problems.filter((p) => p.severity === 'error').length : 0;
  const warnings = plan ? plan.problems.length - errors : 0;

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(dryRun ? 'dry' : 'store');
    setError(null);
    try {
      const r = await sapi.importDirectory(file, dryRun);
      if (dryRun) setPlan(r);
      else if (r.stored) {
        setStored(r);
        setPlan(null);
        setFile(null);
        message.success(`名录已导入：新增 ${r.creates} 个机关，更新 ${r.updates} 个。`);
        onImported();
      } else setPlan(r);
    } catch (e) {
      if (e instanceof ApiError) setError(e.message);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card title="导入名录" className="nb-gap" data-testid="directory-import">
      <Typography.Paragraph type="secondary">
        上传 Excel（.xlsx）或 CSV
        文件，第一行为表头：名称、层级、类型、上级、行政区划代码、统一社会信用代码、曾用名、别名、起始年度、终止年度（可先导出现有名录作为模板）。先“检查”列出每一行的问题，没有错误后再“确认导入”。
      </Typography.Paragraph>
      <div data-testid="directory-upload">
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setPlan(null);
            setStored(null);
            setError(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setPlan(null);
          }}
          fileList={
            file ? [{ uid: file.name, name: file.name, size: file.size, status: 'done' as const, originFileObj: file as never }] : []
          }
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或将名录文件拖到此处</p>
          <p className="ant-upload-hint">支持 .xlsx、.csv，不超过 10 MB</p>
        </Upload.Dragger>
      </div>
      <div className="nb-form-actions">
        <Button
          icon={<SearchOutlined />}
          disabled={!file}
          loading={busy === 'dry'}
          onClick={() => run(true)}
          data-testid="directory-dry-run"
        >
          检查（试导入）
        </Button>
        <Button
          type="primary"
          icon={<CheckCircleOutlined />}
          disabled={!file || !plan || errors > 0 || busy !== null}
          loading={busy === 'store'}
          onClick={() => run(false)}
          data-testid="directory-confirm"
        >
          确认导入
        </Button>
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          className="nb-gap-sm"
          title={error}
          closable={{ onClose: () => setError(null) }}
          data-testid="directory-error"
        />
      )}
      {plan && (
        <div className="nb-gap-sm" data-testid="directory-plan">
          <Alert
            type={errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'success'}
            showIcon
            title={
              errors > 0
                ? `共 ${plan.rows} 行，有 ${errors} 处错误${warnings ? `、${warnings} 处提示` : ''}：改正后重新检查，改正前不会导入任何内容。`
                : `共 ${plan.rows} 行，可以导入：将新增 ${plan.creates} 个机关，更新 ${plan.updates} 个${warnings ? `（${warnings} 处提示，请核对）` : ''}。`
            }
            data-testid="directory-plan-summary"
          />
          {plan.problems.length > 0 && (
            <KeyboardScroll>
              <Table<RowProblem>
                className="nb-gap-sm"
                size="small"
                rowKey={(p) => `${p.row ?? ''}|${p.column ?? ''}|${p.message}`}
                columns={problemColumns()}
                dataSource={plan.problems}
                pagination={plan.problems.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                scroll={{ x: 640 }}
                data-testid="directory-problems"
              />
            </KeyboardScroll>
          )}
        </div>
      )}
      {stored && (
        <Alert
          className="nb-gap-sm"
          type="success"
          showIcon
          title={`已导入 ${stored.rows} 行：新增 ${stored.creates} 个机关，更新 ${stored.updates} 个。`}
          data-testid="directory-stored"
        />
      )}
    </Card>
  );
}

export default function DirectoryPage() {
  const { can } = useAuth();
  const dir = useDirectory();
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<readonly Key[] | null>(null);
  const tree = useMemo(() => treeOf(dir.bodies), [dir.bodies]);
  const query = q.trim();
  const found = useMemo<TreeRow[]>(() => {
    if (!query) return [];
    return dir.bodies
      .filter(
        (b) => b.name.includes(query) || b.aliases.some((a) => a.name.includes(query)) || b.regionCode === query || b.creditCode === query,
      )
      .map((b) => ({ ...b, path: pathOf(b, dir.byId) }));
  }, [query, dir.bodies, dir.byId]);
  // a small directory opens whole, a large one its first two levels
  const defaultExpanded = useMemo(() => {
    const out: number[] = [];
    const walk = (rows: TreeRow[], depth: number) => {
      for (const r of rows) {
        if (!r.children) continue;
        if (dir.bodies.length <= 300 || depth < 2) out.push(r.id);
        walk(r.children, depth + 1);
      }
    };
    walk(tree, 0);
    return out;
  }, [tree, dir.bodies.length]);
  const governments = dir.bodies.filter((b) => b.kind === 'government').length;

  return (
    <div className="nb-page" data-testid="directory-page">
      <PageHeader
        title="机关名录"
        subtitle={`应当发布政府信息公开工作年度报告的机关：共 ${dir.bodies.length} 个，其中人民政府 ${governments} 个、政府部门 ${dir.bodies.length - governments} 个。`}
        extra={
          <Space wrap>
            <DownloadButton
              fetchFile={() => sapi.exportDirectory('xlsx')}
              fallbackName="机关名录.xlsx"
              icon={<FileExcelOutlined />}
              testId="directory-export-xlsx"
            >
              导出 Excel
            </DownloadButton>
            <DownloadButton
              fetchFile={() => sapi.exportDirectory('csv')}
              fallbackName="机关名录.csv"
              icon={<FileTextOutlined />}
              testId="directory-export-csv"
            >
              导出 CSV
            </DownloadButton>
          </Space>
        }
      />
      <Card>
        <div className="nb-filters">
          <Input.Search
            allowClear
            aria-label="搜索机关"
            placeholder="搜索名称、曾用名或代码"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            style={{ maxWidth: 320 }}
            data-testid="directory-search"
          />
        </div>
        <KeyboardScroll>
          <Table<TreeRow>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={query ? found : tree}
            loading={dir.loading}
            pagination={query ? { pageSize: 50, showSizeChanger: false, showTotal: (n) => `找到 ${n} 个` } : false}
            expandable={query ? undefined : { expandedRowKeys: expanded ?? defaultExpanded, onExpandedRowsChange: (k) => setExpanded(k) }}
            scroll={{ x: 900 }}
            data-testid="directory-table"
            locale={{ emptyText: <Empty description={query ? '没有符合条件的机关' : '名录中还没有机关'} /> }}
          />
        </KeyboardScroll>
      </Card>
      {can('admin') && (
        <ImportCard
          onImported={() => {
            setExpanded(null);
            dir.reload();
          }}
        />
      )}
    </div>
  );
}
