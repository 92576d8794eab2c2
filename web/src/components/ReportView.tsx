/**
 * A checked report: summary, the diagnostics, the three tables in the official layout with the
 * problem cells marked, and the source beside them. Used by 检查年报 and by the 报告库.
 */
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, InfoCircleFilled } from '@ant-design/icons';
import { Alert, Card, Col, Collapse, Descriptions, Empty, Row, Space, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useMemo, useRef, useState } from 'react';
import { APPLICANT_COLUMNS } from '../../../src/model/format';
import type { ExportFormat, FileResponse } from '../api';
import { FORMAT_LABELS, isNotAReport, NOT_A_REPORT, pathLabel, SOURCE_KIND_LABELS } from '../labels';
import type { CheckResult, Diagnostic, Grid, Report } from '../types';
import { DiagnosticsTable } from './DiagnosticsTable';
import { DownloadButtons } from './DownloadButtons';
import { type CellMarks, indexDiagnostics, ReportGrid } from './ReportGrid';
import { SourcePanel, type SourceTarget, targetOf } from './SourcePanel';

/** the grid cell a diagnostic path points at: the cell itself, or the first cell of its row or group */
export function resolveCell(path: string | null | undefined, grids: readonly Grid[]): string | null {
  if (!path) return null;
  // the 2019 single （六） row of a mixed report has no cell in the 2021 grid: point at the （六） rows
  if (path.startsWith('applications.otherHandling')) path = path.replace('otherHandling', 'otherNoCorrection');
  const all: string[] = [];
  for (const g of grids) for (const row of g.rows) for (const c of row) if (c.path) all.push(c.path);
  if (all.includes(path)) return path;
  return all.find((p) => p.startsWith(`${path}.`)) ?? null;
}

export function scrollCellIntoView(container: HTMLElement | null, path: string | null): void {
  if (!container || !path) return;
  const el = container.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
  el?.scrollIntoView({ behavior: 'smooth', block: 'center', inline: 'center' });
}

/** the selection shared by the tables, the diagnostics list and the source panel */
export function useSelection(
  result: Pick<CheckResult, 'diagnostics' | 'grids'> & { report: Report | null; source?: CheckResult['source'] },
) {
  const [path, setPath] = useState<string | null>(null);
  const [diag, setDiag] = useState<number | null>(null);
  const tables = useRef<HTMLDivElement>(null);

  const selectCell = useCallback(
    (p: string) => {
      setPath(p);
      const i = result.diagnostics.findIndex((d) => d.path === p);
      setDiag(i >= 0 ? i : null);
    },
    [result.diagnostics],
  );
  const selectDiagnostic = useCallback(
    (i: number) => {
      setDiag(i);
      const d = result.diagnostics[i];
      const cell = resolveCell(d?.path, result.grids);
      setPath(cell);
      if (cell) window.setTimeout(() => scrollCellIntoView(tables.current, cell), 60);
      else if (d?.path?.startsWith('sections.')) {
        const key = d.path.split('.')[1];
        window.setTimeout(
          () => document.querySelector(`[data-section="${key}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'center' }),
          120,
        );
      }
    },
    [result.diagnostics, result.grids],
  );
  const clear = useCallback(() => {
    setPath(null);
    setDiag(null);
  }, []);

  const target = useMemo<SourceTarget | null>(() => {
    const d: Diagnostic | undefined = diag !== null ? result.diagnostics[diag] : undefined;
    const origin = path ? result.report?.provenance?.[path] : undefined;
    const label = pathLabel(path ?? d?.path);
    const source = result.source;
    if (origin) return targetOf(origin.prov, origin.raw, label, source);
    if (d?.origin) return targetOf(d.origin, undefined, pathLabel(d.path ?? path), source);
    if (d?.location) return { caption: `${label ? `${label}：` : ''}第 ${d.location.line} 行第 ${d.location.column} 列`, ...d.location };
    if (path) return { caption: `${label}：原文中没有记录来源（该格可能未出现在原文中）` };
    return null;
  }, [diag, path, result.diagnostics, result.report, result.source]);

  return { path, diag, selectCell, selectDiagnostic, clear, target, tables };
}

function SeverityCount({ n, kind }: { n: number; kind: 'error' | 'warning' | 'info' }) {
  const icon = {
    error: <CloseCircleFilled style={{ color: '#cf1322' }} />,
    warning: <ExclamationCircleFilled style={{ color: '#d46b08' }} />,
    info: <InfoCircleFilled style={{ color: '#1677ff' }} />,
  }[kind];
  const label = { error: '错误', warning: '警告', info: '提示' }[kind];
  return (
    // a zero is shown on the plain grey, at full strength (a faded label would be too pale to read)
    <div className={n === 0 ? 'nb-count' : `nb-count nb-count-${kind}`} data-testid={`summary-${kind}s`} data-count={n}>
      <div className="nb-count-n">
        {icon} {n}
      </div>
      <div className="nb-count-label">{label}</div>
    </div>
  );
}

export function ReportSummary({ result, extra }: { result: CheckResult; extra?: ReactNode }) {
  const r = result.report;
  const s = result.summary;
  // a blank template (no agency, no year) is no report, whatever its tables say
  const notReport = isNotAReport(r);
  const ok = s.errors === 0 && s.warnings === 0;
  return (
    <Card className="nb-summary" data-testid="report-summary">
      <div className="nb-summary-main">
        <div className="nb-summary-title">
          <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
            {r.agency ?? '（未识别发布机关）'}
            {r.year !== null ? ` ${r.year} 年度` : ''}
          </Typography.Title>
          <Space size={4} wrap>
            {notReport ? (
              <Tag icon={<ExclamationCircleFilled />} color="warning">
                {NOT_A_REPORT}
              </Tag>
            ) : ok ? (
              <Tag icon={<CheckCircleFilled />} color="success">
                未发现错误或警告
              </Tag>
            ) : s.errors > 0 ? (
              <Tag color="error">有 {s.errors} 个错误需改正</Tag>
            ) : (
              <Tag color="warning">有 {s.warnings} 个警告</Tag>
            )}
            <Tag color="geekblue">{FORMAT_LABELS[r.format] ?? '其他格式'}</Tag>
            {r.template?.mixedOtherHandling && <Tag color="orange">表二“（六）其他处理”为 2019 年版单行</Tag>}
          </Space>
        </div>
        <div className="nb-counts">
          <SeverityCount n={s.errors} kind="error" />
          <SeverityCount n={s.warnings} kind="warning" />
          <SeverityCount n={s.infos} kind="info" />
        </div>
      </div>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={[
          { key: 'agency', label: '发布机关', children: r.agency ?? '（未识别）' },
          { key: 'year', label: '年度', children: r.year ?? '（未识别）' },
          { key: 'format', label: '格式', children: FORMAT_LABELS[r.format] ?? '其他格式' },
          { key: 'published', label: '发布日期', children: r.publishedOn ?? '（未识别）' },
          ...(r.input
            ? [
                {
                  key: 'input',
                  label: '来源',
                  children: (
                    <>
                      <span data-user-text>{r.input.file}</span>（
                      {SOURCE_KIND_LABELS[r.input.kind as keyof typeof SOURCE_KIND_LABELS] ?? '其他格式'}）
                    </>
                  ),
                },
              ]
            : []),
        ]}
      />
      {notReport && (
        <Alert
          type="warning"
          showIcon
          className="nb-gap"
          title={NOT_A_REPORT}
          description="这份文件既没有写明发布机关，也没有写明年度，可能是空白的格式模板或其他文件，不能作为年度报告。下面的检查结果仅供参考。"
          data-testid="not-a-report"
        />
      )}
      {extra && <div className="nb-summary-extra">{extra}</div>}
    </Card>
  );
}

const SECTION_NAMES = [
  { key: 'overview', label: '一、总体情况' },
  { key: 'problems', label: '五、存在的主要问题及改进情况' },
  { key: 'other', label: '六、其他需要报告的事项' },
] as const;

export function ReportView({
  result,
  fetchFile,
  extra,
}: {
  result: CheckResult;
  fetchFile: (format: ExportFormat, force: boolean) => Promise<FileResponse>;
  extra?: ReactNode;
}) {
  const sel = useSelection(result);
  const marks = useMemo<CellMarks>(
    () => ({
      diagnostics: indexDiagnostics(result.diagnostics),
      ambiguities: new Map((result.report.ambiguities ?? []).map((a) => [a.path, a.candidates])),
    }),
    [result],
  );
  const selectedSection = sel.diag !== null ? result.diagnostics[sel.diag]?.path?.match(/^sections\.(\w+)/)?.[1] : undefined;
  const [openSections, setOpenSections] = useState<string[]>([]);
  const active = selectedSection && !openSections.includes(selectedSection) ? [...openSections, selectedSection] : openSections;

  return (
    <div className="nb-report-view" data-testid="report-view">
      <ReportSummary
        result={result}
        extra={
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <DownloadButtons fetchFile={fetchFile} report={result.report} />
            {extra}
          </Space>
        }
      />
      {result.report.template?.mixedOtherHandling && result.report.applications.otherHandling && (
        <Alert
          type="warning"
          showIcon
          className="nb-gap"
          data-testid="mixed-other-handling"
          title="表二“（六）其他处理”在原文中是 2019 年版的单行，其数值不在下表 2021 年版的三行中："
          description={APPLICANT_COLUMNS.map((c) => `${c.label} ${result.report.applications.otherHandling?.[c.key] ?? '（空）'}`).join(
            '　',
          )}
        />
      )}
      {(result.report.ambiguities?.length ?? 0) > 0 && (
        <Alert
          type="warning"
          showIcon
          className="nb-gap"
          title={`有 ${result.report.ambiguities?.length} 个单元格的数字粘连无法唯一拆分，已留空（表中虚线框标出）。`}
        />
      )}
      <Card
        className="nb-gap"
        title={
          <Space>
            发现的问题
            <Tag>{result.diagnostics.length}</Tag>
          </Space>
        }
        size="small"
      >
        <DiagnosticsTable diagnostics={result.diagnostics} selected={sel.diag} onSelect={sel.selectDiagnostic} />
      </Card>
      <Row gutter={16} className="nb-gap">
        <Col xs={24} xl={15}>
          <Card
            title="表格（按官方格式）"
            size="small"
            extra={
              <Space size="small" className="nb-legend">
                <span className="nb-legend-item nb-sev-error">错误</span>
                <span className="nb-legend-item nb-sev-warning">警告</span>
                <span className="nb-legend-item nb-selected-sample">选中</span>
              </Space>
            }
          >
            <div ref={sel.tables} className="nb-grids" data-testid="report-grids">
              {result.grids.length === 0 ? (
                <Empty description="没有表格" />
              ) : (
                result.grids.map((g) => <ReportGrid key={g.table} grid={g} marks={marks} selected={sel.path} onSelect={sel.selectCell} />)
              )}
            </div>
          </Card>
          <Card title="正文" size="small" className="nb-gap">
            <Collapse
              activeKey={active}
              onChange={(k) => setOpenSections(Array.isArray(k) ? k : [k])}
              items={SECTION_NAMES.map((s) => {
                const text = result.report.sections[s.key];
                const flagged = result.diagnostics.filter((d) => d.path === `sections.${s.key}`);
                return {
                  key: s.key,
                  label: (
                    <Space data-section={s.key}>
                      {s.label}
                      {text === null ? (
                        <Tag color="red">缺失</Tag>
                      ) : (
                        <Typography.Text type="secondary">{Array.from(text).length} 字</Typography.Text>
                      )}
                      {flagged.length > 0 && (
                        <Tag color={flagged.some((d) => d.severity === 'error') ? 'red' : 'orange'}>{flagged.length} 个问题</Tag>
                      )}
                    </Space>
                  ),
                  className: selectedSection === s.key ? 'nb-section-selected' : undefined,
                  children: text ? (
                    <div className="nb-section-text" data-testid={`section-${s.key}`} data-user-text>
                      {text.split('\n').map((p, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs are positional
                        <p key={i}>{p}</p>
                      ))}
                    </div>
                  ) : (
                    <Typography.Text type="secondary">报告中没有这一部分。</Typography.Text>
                  ),
                };
              })}
            />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <div className="nb-sticky">
            <SourcePanel source={result.source} target={sel.target} />
          </div>
        </Col>
      </Row>
    </div>
  );
}
