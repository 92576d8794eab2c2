/**
 * 年报编制: 表一, the agency, the date and the narrative typed in a form; 表二/表三 from the
 * register; every change checked live (500 ms after the last keystroke). The year and the agency
 * are in the URL (`?year=…&agencyId=…`); unsaved changes are not lost without a question (reload,
 * closing, another page, another year); a role that cannot save sees the fields read-only.
 */
import { CheckCircleFilled, LoadingOutlined, SaveOutlined, WarningFilled } from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PROACTIVE_ROWS_2021 } from '../../../src/model/format';
import { Loading } from '../App';
import { ApiError, api } from '../api';
import { useAuth } from '../auth';
import { DiagnosticsTable } from '../components/DiagnosticsTable';
import { DownloadButtons } from '../components/DownloadButtons';
import { PageHeader } from '../components/PageHeader';
import { type CellMarks, indexDiagnostics, ReportGrid } from '../components/ReportGrid';
import { useSelection } from '../components/ReportView';
import { useLeaveGuard } from '../components/useLeaveGuard';
import { ROLE_LABELS } from '../labels';
import type { Agency, CompileResult, Count, Diagnostic, Draft, Money, Report } from '../types';

/** the year of the URL when it is one that can be compiled, else last year */
function yearOf(v: string | null): number {
  const now = new Date().getFullYear();
  const y = Number(v);
  return Number.isInteger(y) && y >= 2019 && y <= now ? y : now - 1;
}

/** the height of the sticky toolbar's lower edge below the top of the window (for what sticks below it) */
function useStickyBottom(ref: React.RefObject<HTMLElement | null>, shown: boolean): number {
  const [bottom, setBottom] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again once the toolbar is shown
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const top = Number.parseFloat(getComputedStyle(el).top);
      setBottom((Number.isFinite(top) ? top : 0) + el.offsetHeight);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    window.addEventListener('resize', measure);
    return () => {
      ro.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref, shown]);
  return bottom;
}

interface FormValues {
  agency?: string;
  publishedOn?: Dayjs | null;
  proactive: Record<string, Record<string, Count | Money>>;
  overview?: string;
  problems?: string;
  other?: string;
}

function toDraft(v: FormValues): Draft {
  const proactive: Record<string, Record<string, Count | Money>> = {};
  for (const row of PROACTIVE_ROWS_2021) {
    proactive[row.key] = {};
    for (const f of row.fields) {
      const x = v.proactive?.[row.key]?.[f.key];
      if (f.type === 'money')
        proactive[row.key][f.key] = x === undefined || x === null || String(x).trim() === '' ? null : String(x).trim();
      else proactive[row.key][f.key] = x === undefined || x === null || (x as unknown) === '' ? null : Number(x);
    }
  }
  const text = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s);
  return {
    agency: v.agency?.trim() || null,
    publishedOn: v.publishedOn ? v.publishedOn.format('YYYY-MM-DD') : null,
    proactive,
    sections: { overview: text(v.overview), problems: text(v.problems), other: text(v.other) },
  };
}

function toValues(r: CompileResult, fallbackAgency: string | undefined): FormValues {
  const d = r.draft ?? {};
  const rep = r.report;
  const proactive = (d.proactive ?? rep.proactive ?? {}) as FormValues['proactive'];
  const sections = { ...rep.sections, ...(d.sections ?? {}) };
  const published = d.publishedOn ?? rep.publishedOn;
  return {
    agency: d.agency ?? rep.agency ?? fallbackAgency,
    publishedOn: published ? dayjs(published) : null,
    proactive,
    overview: sections.overview ?? '',
    problems: sections.problems ?? '',
    other: sections.other ?? '',
  };
}

function sevStatus(ds: Diagnostic[] | undefined): { validateStatus?: 'error' | 'warning'; help?: string } {
  if (!ds || ds.length === 0) return {};
  return {
    validateStatus: ds.some((d) => d.severity === 'error') ? 'error' : 'warning',
    help: ds.map((d) => d.message).join('；'),
  };
}

export default function CompilePage() {
  const { me, can, agencies } = useAuth();
  const { message, modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const year = yearOf(params.get('year'));
  // the agency as the URL names it (the API takes it as text)
  const agencyId: Agency['id'] | undefined = params.get('agencyId') ?? undefined;
  const [data, setData] = useState<CompileResult | null>(null);
  const [check, setCheck] = useState<{ report: Report; diagnostics: Diagnostic[]; grids: CompileResult['grids'] } | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const timer = useRef<number | undefined>(undefined);
  const inflight = useRef<AbortController | null>(null);
  const canSave = can('admin', 'clerk');
  const readOnly = !canSave;
  const pickAgency = can('admin', 'reviewer') && agencies.length > 1;
  const agencyName = agencies.find((a) => String(a.id) === String(agencyId))?.name ?? me?.agency?.name;
  const toolbar = useRef<HTMLDivElement>(null);
  const stickyBottom = useStickyBottom(toolbar, data !== null);

  // unsaved changes: a reload, closing the page or another page of the app asks first
  const bypass = useLeaveGuard(dirty && canSave);

  /** another year or agency (in the URL); with unsaved changes only once the person agrees */
  const choose = (key: 'year' | 'agencyId', value: string | undefined) => {
    const go = () =>
      bypass(() =>
        setParams(
          (p) => {
            if (value === undefined) p.delete(key);
            else p.set(key, value);
            return p;
          },
          { replace: true },
        ),
      );
    if (!dirty || !canSave) return go();
    modal.confirm({
      title: '有未保存的修改，确定切换吗？',
      content: `切换${key === 'year' ? '年度' : '机关'}后，未保存的修改将会丢失。`,
      okText: '切换',
      cancelText: '取消',
      okButtonProps: { danger: true },
      onOk: go,
    });
  };

  useEffect(() => {
    setData(null);
    setCheck(null);
    setLoadError(null);
    setDirty(false);
    api
      .compile(year, agencyId)
      .then((r) => {
        setData(r);
        setCheck({ report: r.report, diagnostics: r.diagnostics, grids: r.grids });
      })
      .catch((e: unknown) => e instanceof ApiError && setLoadError(e));
  }, [year, agencyId]);

  // the form is filled when a year/agency is loaded, not when the agency list arrives later
  // biome-ignore lint/correctness/useExhaustiveDependencies: agencyName is only a fallback
  useEffect(() => {
    if (data) form.setFieldsValue(toValues(data, agencyName));
  }, [data, form]);

  const runCheck = useCallback(() => {
    inflight.current?.abort();
    const ctl = new AbortController();
    inflight.current = ctl;
    setChecking(true);
    api
      .checkDraft(year, toDraft(form.getFieldsValue(true)), agencyId, ctl.signal)
      .then((r) => {
        if (ctl.signal.aborted) return;
        setCheck({ report: r.report, diagnostics: r.diagnostics, grids: r.grids });
        setCheckError(null);
      })
      .catch((e: unknown) => {
        if (!ctl.signal.aborted && e instanceof ApiError) setCheckError(e.message);
      })
      .finally(() => {
        if (inflight.current === ctl) setChecking(false);
      });
  }, [year, agencyId, form]);

  const onChange = () => {
    setDirty(true);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(runCheck, 500);
  };
  useEffect(() => () => window.clearTimeout(timer.current), []);

  async function save() {
    setSaving(true);
    try {
      const r = await api.saveDraft(year, toDraft(form.getFieldsValue(true)), agencyId);
      setCheck({ report: r.report, diagnostics: r.diagnostics, grids: r.grids });
      setDirty(false);
      message.success('草稿已保存。');
    } catch {
      /* shown by the client */
    } finally {
      setSaving(false);
    }
  }

  const diagnostics = check?.diagnostics ?? [];
  const grids = check?.grids ?? [];
  const report = check?.report ?? data?.report ?? null;
  const sel = useSelection({ diagnostics, grids, report });
  const index = useMemo(() => indexDiagnostics(diagnostics), [diagnostics]);
  const marks = useMemo<CellMarks>(() => ({ diagnostics: index }), [index]);
  const [tab, setTab] = useState<string>('applications');
  useEffect(() => {
    const table = sel.path?.split('.')[0];
    if (table && grids.some((g) => g.table === table)) setTab(table);
  }, [sel.path, grids]);
  /** the worst severity of the problems in one table (the dot on its tab) */
  const tableSeverity = (table: string): Diagnostic['severity'] | null => {
    let worst: Diagnostic['severity'] | null = null;
    for (const [path, ds] of index) {
      if (!path.startsWith(`${table}.`)) continue;
      for (const d of ds) {
        if (d.severity === 'error') return 'error';
        if (d.severity === 'warning' || worst === null) worst = d.severity;
      }
    }
    return worst;
  };
  const sectionDiag = (key: string) => sevStatus(index.get(`sections.${key}`));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;

  const years = useMemo(() => {
    const now = new Date().getFullYear();
    return Array.from({ length: now - 2019 + 1 }, (_, i) => now - i);
  }, []);

  return (
    <div className="nb-page">
      <PageHeader
        title="年报编制"
        subtitle="表二、表三由依申请登记簿自动生成；填写表一、发布机关、日期和正文后，每次修改都会即时检查。"
        extra={
          <Space wrap>
            <Select
              value={year}
              onChange={(y) => choose('year', String(y))}
              options={years.map((y) => ({ value: y, label: `${y} 年度` }))}
              style={{ width: 120 }}
              aria-label="年度"
              data-testid="compile-year"
            />
            {pickAgency && (
              <Select
                value={agencyId === undefined ? undefined : (agencies.find((a) => String(a.id) === String(agencyId))?.id ?? agencyId)}
                placeholder={me?.agency?.name ?? '本机关'}
                allowClear
                aria-label="机关"
                onChange={(v) => choose('agencyId', v === undefined || v === null ? undefined : String(v))}
                options={agencies.map((a) => ({ value: a.id, label: a.name }))}
                style={{ width: 240 }}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="compile-agency"
              />
            )}
          </Space>
        }
      />
      {loadError && <Alert type="error" showIcon title="无法加载" description={loadError.message} className="nb-gap-bottom" />}
      {data?.registerProblems && data.registerProblems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="nb-gap-bottom"
          title={`登记簿中有 ${data.registerProblems.length} 件申请未计入表二、表三，请核对：`}
          description={
            <ul>
              {data.registerProblems.map((p) => (
                <li key={p.caseId}>{p.zh}</li>
              ))}
            </ul>
          }
        />
      )}
      {!data && !loadError && <Loading />}
      {data && readOnly && (
        <Alert
          type="info"
          showIcon
          className="nb-gap-bottom"
          title={`你的角色（${me ? (ROLE_LABELS[me.user.role] ?? '当前角色') : '当前角色'}）只能查看年报编制，不能修改或保存草稿。`}
          description="表单中的内容为只读；需要修改时，请联系本机关的经办人或管理员。检查结果和下载不受影响。"
          data-testid="compile-readonly"
        />
      )}
      {data && (
        <>
          <Card size="small" className="nb-toolbar" ref={toolbar}>
            <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
              <Space size="middle" data-testid="compile-status">
                {checking ? (
                  <Tag icon={<LoadingOutlined />} color="processing">
                    正在检查……
                  </Tag>
                ) : errors > 0 ? (
                  <Tag icon={<WarningFilled />} color="error">
                    {errors} 个错误
                  </Tag>
                ) : (
                  <Tag icon={<CheckCircleFilled />} color="success">
                    没有错误
                  </Tag>
                )}
                {warnings > 0 && <Tag color="warning">{warnings} 个警告</Tag>}
                {canSave && <Typography.Text type="secondary">{dirty ? '有未保存的修改' : '已是保存的内容'}</Typography.Text>}
              </Space>
              <Space wrap>
                {canSave && (
                  <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={save} data-testid="compile-save">
                    保存草稿
                  </Button>
                )}
                {report && <DownloadButtons report={report} fetchFile={(format, force) => api.render(report, format, force)} />}
              </Space>
            </Space>
          </Card>
          {checkError && <Alert type="error" showIcon title={`检查失败：${checkError}`} className="nb-gap" />}
          <Row gutter={16} className="nb-gap">
            <Col xs={24} xl={11}>
              <Form<FormValues> form={form} layout="vertical" onValuesChange={readOnly ? undefined : onChange} data-testid="compile-form">
                <Card title="基本信息" size="small" className="nb-compile-basic">
                  <Row gutter={12}>
                    <Col span={15}>
                      <Form.Item name="agency" label="发布机关" {...sevStatus(index.get('agency'))}>
                        <Input placeholder="例如：某某市某某区人民政府" readOnly={readOnly} data-testid="compile-agency-name" />
                      </Form.Item>
                    </Col>
                    <Col span={9}>
                      <Form.Item name="publishedOn" label="发布日期" {...sevStatus(index.get('publishedOn'))}>
                        <DatePicker
                          style={{ width: '100%' }}
                          inputReadOnly={readOnly}
                          open={readOnly ? false : undefined}
                          allowClear={!readOnly}
                          data-testid="compile-published-on"
                        />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
                <Card title="表一　二、主动公开政府信息情况" size="small" className="nb-gap">
                  <table className="nb-form-table" data-testid="compile-proactive">
                    <tbody>
                      {PROACTIVE_ROWS_2021.map((row, i) => {
                        const prev = PROACTIVE_ROWS_2021[i - 1];
                        const header = !prev || prev.item !== row.item;
                        return [
                          header && (
                            <tr key={`${row.key}-h`} className="nb-form-table-head">
                              <th>{row.item}</th>
                              {row.fields.map((f) => (
                                <th key={f.key} colSpan={row.fields.length === 1 ? 3 : 1}>
                                  {f.label}
                                </th>
                              ))}
                            </tr>
                          ),
                          <tr key={row.key}>
                            <th className="nb-form-table-label">{row.label}</th>
                            {row.fields.map((f) => {
                              const path = `proactive.${row.key}.${f.key}`;
                              // the row and the column name each field (the table's header is not its label)
                              const name = row.fields.length === 1 ? `${row.label}（${f.label}）` : `${row.label}·${f.label}`;
                              return (
                                <td key={f.key} colSpan={row.fields.length === 1 ? 3 : 1} title={sevStatus(index.get(path)).help}>
                                  <Form.Item
                                    name={['proactive', row.key, f.key]}
                                    validateStatus={sevStatus(index.get(path)).validateStatus}
                                    className="nb-cell-item"
                                  >
                                    {f.type === 'money' ? (
                                      <Input
                                        placeholder="万元，如 12.5"
                                        aria-label={name}
                                        readOnly={readOnly}
                                        data-testid={`field-${path}`}
                                        data-path={path}
                                        inputMode="decimal"
                                      />
                                    ) : (
                                      <InputNumber
                                        min={0}
                                        precision={0}
                                        style={{ width: '100%' }}
                                        aria-label={name}
                                        readOnly={readOnly}
                                        data-testid={`field-${path}`}
                                        data-path={path}
                                      />
                                    )}
                                  </Form.Item>
                                </td>
                              );
                            })}
                          </tr>,
                        ];
                      })}
                    </tbody>
                  </table>
                </Card>
                <Card title="正文" size="small" className="nb-gap">
                  <Form.Item name="overview" label="一、总体情况" {...sectionDiag('overview')}>
                    <Input.TextArea autoSize={{ minRows: 5, maxRows: 16 }} readOnly={readOnly} data-testid="compile-overview" showCount />
                  </Form.Item>
                  <Form.Item name="problems" label="五、存在的主要问题及改进情况" {...sectionDiag('problems')}>
                    <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} readOnly={readOnly} data-testid="compile-problems" showCount />
                  </Form.Item>
                  <Form.Item name="other" label="六、其他需要报告的事项" {...sectionDiag('other')}>
                    <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} readOnly={readOnly} data-testid="compile-other" showCount />
                  </Form.Item>
                </Card>
              </Form>
            </Col>
            <Col xs={24} xl={13}>
              <Card
                size="small"
                title={
                  <Space>
                    检查结果
                    <Tag data-testid="compile-problems-count">共 {diagnostics.length} 个问题</Tag>
                    {checking && <LoadingOutlined />}
                  </Space>
                }
              >
                <DiagnosticsTable diagnostics={diagnostics} selected={sel.diag} onSelect={sel.selectDiagnostic} pageSize={20} compact />
              </Card>
              <Card size="small" className="nb-gap" title="报告表格预览">
                <div ref={sel.tables}>
                  {grids.length === 0 ? (
                    <Empty />
                  ) : (
                    <Tabs
                      activeKey={tab}
                      onChange={setTab}
                      // the tabs stay in view (and can be clicked) below the sticky toolbar while a long table is scrolled
                      styles={{ header: { position: 'sticky', top: stickyBottom, zIndex: 5, background: '#fff' } }}
                      items={grids.map((g) => ({
                        key: g.table,
                        label: (
                          <Badge
                            dot={tableSeverity(g.table) !== null}
                            color={
                              tableSeverity(g.table) === 'error' ? '#cf1322' : tableSeverity(g.table) === 'warning' ? '#d46b08' : '#1f6feb'
                            }
                            offset={[6, 2]}
                          >
                            {{ proactive: '表一', applications: '表二', reviewLitigation: '表三' }[g.table]}
                            {g.table === 'proactive' ? '' : '（登记簿）'}
                          </Badge>
                        ),
                        forceRender: true,
                        children: <ReportGrid grid={g} marks={marks} selected={sel.path} onSelect={sel.selectCell} />,
                      }))}
                    />
                  )}
                </div>
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
