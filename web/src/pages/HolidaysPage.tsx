/**
 * 放假安排: where each year's days off come from (随软件提供, 管理员录入, 暂定), and for administrators
 * the entry of a year's 国务院办公厅 notice or of local extra days off: paste the text, check what was
 * read (识别), then enter it (确认录入), after which the open cases it affects are recomputed.
 */
import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Form, Input, InputNumber, Row, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api, issuesOf } from '../api';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { PROVISIONAL_HINT } from '../components/ProvisionalTag';
import { holidaySourceLabel } from '../labels';
import type { HolidayDay, HolidayImportResult, HolidayPreview, HolidayText, HolidayYear } from '../types';

const KIND_CLASS: Record<HolidayYear['kind'], string> = {
  shipped: 'nb-source-shipped',
  entered: 'nb-source-entered',
  provisional: 'nb-provisional-tag',
};

function SourceTag({ year }: { year: HolidayYear }) {
  return <Tag className={KIND_CLASS[year.kind]}>{holidaySourceLabel(year)}</Tag>;
}

function Notices({ year }: { year: HolidayYear }) {
  if (year.kind === 'provisional') {
    return (
      <Typography.Text type="secondary">
        尚未录入该年通知，按{year.statute ?? '《全国年节及纪念日放假办法》'}规定的法定节假日计算（不含调休）。
      </Typography.Text>
    );
  }
  return (
    <div>
      {year.notices.map((n) => (
        <div key={n.title + (n.note ?? '')}>
          {n.url ? (
            <a href={n.url} target="_blank" rel="noreferrer">
              {n.title}
            </a>
          ) : (
            n.title
          )}
          {n.date ? <Typography.Text type="secondary">（{n.date}）</Typography.Text> : null}
          {n.note ? <div className="nb-small nb-muted">{n.note}</div> : null}
        </div>
      ))}
    </div>
  );
}

function YearsTable({ years, loading }: { years: HolidayYear[]; loading: boolean }) {
  return (
    <Table<HolidayYear>
      size="small"
      rowKey="year"
      dataSource={years}
      loading={loading}
      pagination={false}
      scroll={{ x: 560 }}
      data-testid="holiday-years"
      onRow={(r) => ({ 'data-testid': `holiday-year-${r.year}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        { title: '年份', dataIndex: 'year', width: 80, defaultSortOrder: 'descend', sorter: (a, b) => a.year - b.year },
        { title: '来源', key: 'kind', width: 230, render: (_, r) => <SourceTag year={r} /> },
        { title: '通知', key: 'notices', render: (_, r) => <Notices year={r} /> },
        {
          title: '本地放假',
          dataIndex: 'localDays',
          width: 100,
          render: (n: number) => (n > 0 ? `${n} 天` : '—'),
        },
      ]}
    />
  );
}

/** 星期五 from 五 (the server's weekday) */
const weekdayOf = (w: string) => (/^[日一二三四五六]$/.test(w) ? `星期${w}` : w);

function DaysTable({ title, days, testId }: { title: string; days: HolidayDay[]; testId: string }) {
  return (
    <Table<HolidayDay>
      size="small"
      rowKey="date"
      title={() => <b>{title}</b>}
      dataSource={days}
      pagination={false}
      data-testid={testId}
      locale={{ emptyText: '无' }}
      columns={[
        {
          title: '日期',
          dataIndex: 'date',
          render: (date: string, r) => (
            <>
              <span className="nb-nowrap">{date}</span> <span className="nb-nowrap">{weekdayOf(r.weekday)}</span>
            </>
          ),
        },
        { title: '节日', dataIndex: 'name', width: '40%' },
      ]}
    />
  );
}

interface EntryValues {
  text: string;
  year?: number | null;
  local?: boolean;
}

function PreviewCard({
  preview,
  saving,
  onConfirm,
  onCancel,
}: {
  preview: HolidayPreview;
  saving: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Card className="nb-gap" title="识别结果（尚未录入）" data-testid="holiday-preview">
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'title', label: '通知', span: 2, children: preview.title },
          { key: 'year', label: '年份', children: `${preview.year} 年` },
          { key: 'scope', label: '范围', children: preview.local ? '本地放假安排' : '全国（国务院办公厅通知）' },
          {
            key: 'current',
            label: '该年现在',
            span: 2,
            children: (
              <span data-testid="holiday-preview-current">
                <SourceTag year={preview.current} />
                {preview.current.kind === 'provisional' && <Typography.Text type="secondary">{PROVISIONAL_HINT}。</Typography.Text>}
              </span>
            ),
          },
        ]}
      />
      {preview.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="nb-gap-sm"
          title="请核对以下问题"
          description={
            <ul className="nb-plain-list">
              {preview.warnings.map((w) => (
                <li key={w.zh}>{w.zh}</li>
              ))}
            </ul>
          }
          data-testid="holiday-preview-warnings"
        />
      )}
      <Row gutter={16} className="nb-gap-sm">
        <Col xs={24} lg={12}>
          <DaysTable title={`放假日（${preview.daysOff.length} 天）`} days={preview.daysOff} testId="holiday-days-off" />
        </Col>
        <Col xs={24} lg={12}>
          <DaysTable title={`调休上班日（${preview.makeUpWorkdays.length} 天）`} days={preview.makeUpWorkdays} testId="holiday-makeup" />
        </Col>
      </Row>
      <div className="nb-form-actions">
        <Button type="primary" loading={saving} onClick={onConfirm} data-testid="holiday-import">
          确认录入
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </div>
      <Typography.Paragraph type="secondary" className="nb-gap-sm nb-small">
        录入后，该年的期限按本通知计算，受影响的办理中申请自动重新计算，变化记入各申请的办理过程。
      </Typography.Paragraph>
    </Card>
  );
}

function ImportResult({ result }: { result: HolidayImportResult }) {
  const n = result.recalculated.length;
  return (
    <Card className="nb-gap" title="录入结果" data-testid="holiday-result">
      <Alert
        type="success"
        showIcon
        title={`已录入：${result.notice.title}`}
        description={n > 0 ? `重新计算了 ${n} 件办理中的申请，期限变化如下。` : '没有办理中的申请因此改变期限。'}
        data-testid="holiday-result-summary"
      />
      {n > 0 && (
        <ul className="nb-plain-list nb-gap-sm" data-testid="holiday-recalculated">
          {result.recalculated.map((r) => (
            <li key={`${r.agencyId}/${r.caseId}`}>
              <Link to={`/cases/${encodeURIComponent(r.caseId)}?agencyId=${encodeURIComponent(r.agencyId)}`}>申请 {r.caseId}</Link>：
              {r.changes.join('；')}
            </li>
          ))}
        </ul>
      )}
      {result.problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="nb-gap-sm"
          title={`${result.problems.length} 件申请未能重新计算，仍保留原期限`}
          description={
            <ul className="nb-plain-list">
              {result.problems.map((p) => (
                <li key={`${p.agencyId}/${p.caseId}`}>
                  <Link to={`/cases/${encodeURIComponent(p.caseId)}?agencyId=${encodeURIComponent(p.agencyId)}`}>申请 {p.caseId}</Link>：
                  {p.zh}
                </li>
              ))}
            </ul>
          }
          data-testid="holiday-result-problems"
        />
      )}
    </Card>
  );
}

function EntryCard({ onEntered }: { onEntered: () => void }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<EntryValues>();
  const [preview, setPreview] = useState<{ body: HolidayText; result: HolidayPreview } | null>(null);
  const [result, setResult] = useState<HolidayImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  // a national notice: only an administrator of the whole tree (the top agency)
  const national = me?.user.agencyId === null || me?.user.agencyId === undefined || me?.agency?.parentId === null;
  const agencyName = me?.agency?.name ?? '本机关';

  const bodyOf = (v: EntryValues): HolidayText => ({
    text: v.text,
    ...(v.year ? { year: v.year } : {}),
    ...(v.local && me?.user.agencyId !== null && me?.user.agencyId !== undefined ? { agencyId: me.user.agencyId } : {}),
  });

  const fail = (e: unknown) => {
    if (e instanceof ApiError) setError([e.message, issuesOf(e)].filter(Boolean).join('\n'));
  };

  async function read(v: EntryValues) {
    const body = bodyOf(v);
    setBusy('preview');
    setError(null);
    setResult(null);
    try {
      setPreview({ body, result: await api.holidayPreview(body) });
    } catch (e) {
      setPreview(null);
      fail(e);
    } finally {
      setBusy(null);
    }
  }

  async function enter() {
    if (!preview) return;
    setBusy('import');
    setError(null);
    try {
      const r = await api.holidayImport(preview.body);
      setResult(r);
      setPreview(null);
      form.resetFields();
      message.success(`已录入 ${r.notice.year} 年放假安排`);
      onEntered();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <Card title="录入放假通知" className="nb-gap" data-testid="holiday-entry">
        <Typography.Paragraph type="secondary">
          国务院办公厅每年发布下一年的部分节假日安排通知后，将通知全文粘贴在下面，点“识别”核对放假日和调休上班日，无误后“确认录入”。
          {national ? '' : '全国通知由全系统管理员录入；您可以录入本地另行放假的安排。'}
        </Typography.Paragraph>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 16, whiteSpace: 'pre-line' }}
            closable={{ onClose: () => setError(null) }}
            data-testid="holiday-error"
          />
        )}
        <Form<EntryValues>
          form={form}
          layout="vertical"
          initialValues={{ local: !national }}
          onFinish={read}
          onValuesChange={() => {
            setPreview(null);
            setResult(null);
          }}
          data-testid="holiday-form"
        >
          <Form.Item name="text" label="通知全文" rules={[{ required: true, whitespace: true, message: '请粘贴通知全文' }]}>
            <Input.TextArea
              autoSize={{ minRows: 6, maxRows: 16 }}
              maxLength={20_000}
              placeholder={'国务院办公厅关于2027年部分节假日安排的通知\n……\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n……'}
              data-testid="holiday-text"
            />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} sm={10} md={6}>
              <Form.Item name="year" label="年份（通知中没有写明时填写）">
                <InputNumber
                  min={2019}
                  max={2100}
                  precision={0}
                  style={{ width: '100%' }}
                  placeholder="如 2027"
                  data-testid="holiday-year"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={14} md={18}>
              <Form.Item
                name="local"
                label="范围"
                valuePropName="checked"
                tooltip={national ? '不勾选为全国通知（国务院办公厅）' : '全国通知只能由全系统管理员录入'}
              >
                <Checkbox disabled={!national} data-testid="holiday-local">
                  本地另行放假（{agencyName}及下属机关）
                </Checkbox>
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" htmlType="submit" loading={busy === 'preview'} data-testid="holiday-preview-button">
            识别
          </Button>
        </Form>
      </Card>
      {preview && <PreviewCard preview={preview.result} saving={busy === 'import'} onConfirm={enter} onCancel={() => setPreview(null)} />}
      {result && <ImportResult result={result} />}
    </>
  );
}

export default function HolidaysPage() {
  const { can } = useAuth();
  const [years, setYears] = useState<HolidayYear[]>([]);
  const [today, setToday] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    api
      .holidays()
      .then((r) => {
        setYears(r.years);
        setToday(r.today);
      })
      .catch(() => {})
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);

  return (
    <div className="nb-page" data-testid="holidays-page">
      <PageHeader
        title="放假安排"
        subtitle={`答复期限按工作日计算，依据国务院办公厅每年的部分节假日安排通知；尚未录入通知的年份按《全国年节及纪念日放假办法》暂定计算，相关期限标为“暂定”。${today ? `今天：${today}` : ''}`}
      />
      <Card title="各年份的放假安排">
        <YearsTable years={years} loading={loading} />
      </Card>
      {can('admin') && <EntryCard onEntered={load} />}
    </div>
  );
}
