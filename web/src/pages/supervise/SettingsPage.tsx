/**
 * 期限和细则: the jurisdiction's deadlines for the annual reports of 人民政府 and 政府部门 (month-day of
 * the year after, the statutory 03-31 and 01-31 beside them, 恢复法定期限), and the scoring rubric in
 * force — its name, total, mode, grades and every item with its points, veto and bonus marks and
 * each deduction rule in words (the indicators by their Chinese names, never their ids). An
 * administrator uploads a rubric file (JSON or YAML, read in the browser and sent as text): a file
 * that cannot be used has every problem listed in Chinese, its place in the file in words
 * (“第 3 项 第 1 条扣分规则 的分值”). 恢复示例细则, and the rubric in force downloaded as JSON.
 * Reviewers, and an administrator without an agency, see it all read-only.
 */
import { CheckCircleOutlined, DownloadOutlined, InboxOutlined, RollbackOutlined, SaveOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Popconfirm, Space, Tag, Typography, Upload } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, request } from '../../api';
import { useAuth } from '../../auth';
import { PageHeader } from '../../components/PageHeader';
import type {
  Deadlines,
  Rubric,
  RubricCondition,
  RubricDeductionRule,
  RubricItem,
  RubricProblem,
  SettingsAnswer,
  SettingsChange,
} from '../../supervise-types';

// ---------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------

const settingsApi = {
  get: () => request<SettingsAnswer>('/api/supervision/settings'),
  put: (change: SettingsChange) =>
    request<{ ok: boolean }>('/api/supervision/settings', {
      method: 'PUT',
      body: change,
      quiet: (e) => e.code === 'bad-rubric' || e.code === 'bad-deadline',
    }),
};

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

/** 12 → "12", 2.5 → "2.5" */
const pts = (n: number) => String(Math.round(n * 100) / 100);

/** 0.5 → "50%" */
const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

/** "03-31" → "3 月 31 日" */
function monthDay(md: string): string {
  const [m, d] = md.split('-').map(Number);
  return m && d ? `${m} 月 ${d} 日` : md;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** a month-day "MM-DD" (02-29 allowed: 02-28 in a common year) */
function validMonthDay(s: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1];
}

/** "3-5", "3月5日", "0305" → "03-05" when it can be read as a month-day, else as typed */
function normalizeMonthDay(s: string): string {
  const t = s.trim();
  const m = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t) ?? /^(\d{2})(\d{2})$/.exec(t);
  return m ? `${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}` : t;
}

/** the labels of the descriptions keep to one line, the values wrap (360 px) */
const LABELS = { label: { whiteSpace: 'nowrap', width: '1%' } } as const;

const KIND_ZH = { government: '人民政府', department: '政府部门' } as const;

const MODE_ZH: Record<Rubric['mode'], { name: string; explain: string }> = {
  strict: {
    name: '严格',
    explain: '涉及无法确定的内容（如无法辨认的单元格、不明的发布日期）的发现也照常扣分。',
  },
  lenient: {
    name: '宽松',
    explain: '涉及无法确定的内容（如无法辨认的单元格、不明的发布日期）的发现只列出，不扣分。',
  },
};

const SEVERITY_ZH: Record<string, string> = { error: '错误', warning: '警告', info: '提示' };

/** the checker's rules by their Chinese names (the rubric's `diagnostic` indicator names them by id) */
const RULE_ZH: Record<string, string> = {
  'ambiguous-cell': '无法唯一确定的单元格',
  'applications-balance': '表二勾稽关系',
  'applications-outcome-total': '表二办理结果总计',
  'applications-row-total': '表二各行总计',
  'arithmetic-fix': '合计的修正建议',
  'blank-cells': '应填数字的单元格空白',
  'carry-over': '上年结转与上年报告衔接',
  'cell-values': '单元格数值不规范',
  'fee-amount-format': '收费金额格式',
  'fee-consistency': '收费情况前后一致',
  'fee-statement': '说明信息处理费收取情况',
  'in-force-continuity': '现行有效件数与上年衔接',
  'outdated-template': '使用旧版格式',
  'problems-section': '问题与改进情况具体',
  'prose-figures': '正文数字与表格一致',
  'publication-deadline': '按期公布',
  'regulations-authority': '规章制定权',
  'review-litigation-total': '表三总计',
  'sections-present': '六个部分齐全',
  'sharp-change': '数字与上年相比变化异常',
  similarity: '正文雷同',
  'table-labels': '表格行列名称与模板一致',
};

const ruleName = (id: string) => RULE_ZH[id] ?? '其他检查规则';

type Indicators = SettingsAnswer['indicators'];

const indicatorName = (id: string, indicators: Indicators) => indicators[id]?.name ?? '未知的指标';

/** a condition in words */
function conditionText(c: RubricCondition, indicators: Indicators): string {
  const name = indicatorName(c.indicator, indicators);
  switch (c.indicator) {
    case 'late': {
      const d = c.days ?? 0;
      const base = d > 0 ? `逾期发布超过 ${d} 天` : d < 0 ? `未在期限前 ${-d} 天以上发布` : name;
      return base;
    }
    case 'previous-similarity':
    case 'copied':
      return c.above === undefined ? name : `${name}（相似度超过 ${pct(c.above)}）`;
    case 'diagnostic': {
      const sev = c.severity === undefined ? [] : Array.isArray(c.severity) ? c.severity : [c.severity];
      const parts = [
        c.rules?.length ? `检查规则：${c.rules.map((r) => `“${ruleName(r)}”`).join('、')}` : '',
        sev.length ? `严重程度：${sev.map((s) => SEVERITY_ZH[s] ?? s).join('、')}` : '',
      ].filter(Boolean);
      return parts.length ? `${name}（${parts.join('；')}）` : name;
    }
    default:
      return name;
  }
}

/** a deduction rule in words: “逾期发布超过 30 天：扣 5 分（逾期超过 30 天再扣）” */
function deductionText(d: RubricDeductionRule, indicators: Indicators): string {
  const perDay = d.when.indicator === 'late' && d.when.perDay;
  const amount = perDay ? `每超过 1 天扣 ${pts(d.points)} 分` : d.each ? `每处扣 ${pts(d.points)} 分` : `扣 ${pts(d.points)} 分`;
  const max = d.max !== undefined ? `，最多扣 ${pts(d.max)} 分` : '';
  const note = d.note ? `（${d.note}）` : '';
  return `${conditionText(d.when, indicators)}：${amount}${max}${note}`;
}

// ---------------------------------------------------------------------------
// Problems of a rubric file, in words
// ---------------------------------------------------------------------------

const FIELD_ZH: Record<string, string> = {
  name: '名称',
  version: '版本',
  description: '说明',
  total: '总分',
  mode: '评分模式',
  grades: '等次',
  failedGrade: '否决时的等次',
  deadlines: '期限',
  government: '人民政府的期限',
  department: '政府部门的期限',
  unpublishedScoresZero: '未发布报告是否各项均不得分',
  items: '评分项',
  id: '编号',
  points: '分值',
  veto: '否决标记',
  cap: '扣分上限',
  bonus: '加分标记',
  note: '备注',
  deductions: '扣分规则',
  when: '扣分条件',
  indicator: '指标',
  days: '天数',
  perDay: '按天扣分标记',
  above: '相似度阈值',
  rules: '检查规则',
  severity: '严重程度',
  each: '逐处扣分标记',
  max: '最多扣分',
  min: '分数线',
};

/** what an array's n-th element is called, by the array's field */
const ELEMENT_ZH: Record<string, (n: number) => string> = {
  items: (n) => `第 ${n} 项`,
  deductions: (n) => `第 ${n} 条扣分规则`,
  grades: (n) => `第 ${n} 档等次`,
  rules: (n) => `第 ${n} 个检查规则`,
  severity: (n) => `第 ${n} 个严重程度`,
};

interface PathStep {
  key: string | number;
}

function parsePath(path: string): PathStep[] | null {
  const out: PathStep[] = [];
  const re = /\[(\d+)\]|\.?([^.[\]]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < path.length) {
    re.lastIndex = at;
    m = re.exec(path);
    if (!m || m.index !== at) return null;
    out.push({ key: m[1] !== undefined ? Number(m[1]) : m[2] });
    at = re.lastIndex;
  }
  return out;
}

/**
 * a path inside the rubric file in words: items[2].deductions[0].points → “第 3 项（按期发布） 第 1 条扣分规则 的分值”;
 * a field the format does not know is quoted as the file wrote it (“第 1 项 中的“pionts””)
 */
export function placeInFile(path: string, itemNames: string[] = []): string {
  if (path === '' || path === '(根)') return '整个文件';
  const steps = parsePath(path);
  if (!steps) return '文件中的某处';
  const parts: string[] = [];
  let field = '';
  steps.forEach(({ key }, i) => {
    const next = steps[i + 1]?.key;
    if (typeof key === 'number') {
      const name = ELEMENT_ZH[field] ? ELEMENT_ZH[field](key + 1) : `第 ${key + 1} 个`;
      parts.push(field === 'items' && itemNames[key] ? `${name}（${itemNames[key]}）` : name);
      field = '';
      return;
    }
    field = key;
    // an array's element is named by its number alone; the condition and the deadlines by what is inside
    if ((ELEMENT_ZH[key] && typeof next === 'number') || ((key === 'when' || key === 'deadlines') && next !== undefined)) return;
    const zh = FIELD_ZH[key];
    if (zh) parts.push(parts.length ? `的${zh}` : zh);
    else parts.push(parts.length ? `中的“${key}”` : `“${key}”`);
  });
  return parts.join(' ') || '整个文件';
}

/** the line and column of a character of the text, 1-based */
function lineColumn(text: string, position: number): [number, number] {
  const before = text.slice(0, position).split('\n');
  return [before.length, before[before.length - 1].length + 1];
}

/** references to places and to identifiers inside a problem's sentence, in words */
function problemText(p: RubricProblem, indicators: Indicators, itemNames: string[], text = ''): string {
  let t = p.zh;
  // a file that is not JSON or YAML: the parser's English is left out, the line and column kept
  const syntax = /^不是有效的 (JSON|YAML)(（[^）]*）)?：(.*)$/.exec(t);
  if (syntax && !/[\u4e00-\u9fff]/.test(syntax[3])) {
    const line = /line (\d+),? column (\d+)/.exec(syntax[3]);
    const position = /position (\d+)/.exec(syntax[3]);
    const at = line ? [Number(line[1]), Number(line[2])] : position ? lineColumn(text, Number(position[1])) : null;
    const where = syntax[2] ?? (at ? `（第 ${at[0]} 行第 ${at[1]} 列附近）` : '');
    return `不是有效的 ${syntax[1]} 文件${where}，请检查括号、引号、逗号、冒号和缩进`;
  }
  // the list of the indicators that can be used: by their Chinese names
  t = t.replace(
    /（可用：[^）]*）/,
    `（可用的指标：${Object.values(indicators)
      .map((i) => i.name)
      .join('、')}）`,
  );
  // places named inside the sentence
  t = t.replace(/\b(?:items|grades)(?:\[\d+\])(?:\.[A-Za-z]+|\[\d+\])*/g, (m) => placeInFile(m, itemNames));
  // identifiers of the format
  t = t
    .replace(/缺少指标 indicator/g, '缺少指标')
    .replace(/指标 diagnostic/g, `指标“${indicatorName('diagnostic', indicators)}”`)
    .replace(/rules（规则编号）/g, '检查规则')
    .replace(/severity（严重程度）/g, '严重程度')
    .replace(/不在 grades 中/g, '不在等次列表中')
    .replace(/没有 grades 时不能设 failedGrade/g, '没有设等次时不能设否决时的等次')
    .replace(/（见规则目录 docs\/rules\.md）/g, '（见检查规则目录）');
  // the words of the format (its values): by their meaning, the way to write them in the documentation
  const words = t;
  t = t
    .replace(/"strict"/g, '严格模式')
    .replace(/"lenient"/g, '宽松模式')
    .replace(/"error"/g, '错误')
    .replace(/"warning"/g, '警告')
    .replace(/"info"/g, '提示');
  if (t !== words || /未知的指标|缺少指标/.test(t)) t += '（写法见评分细则说明）';
  return t;
}

/** the names of the items of a JSON file, to name the items its problems are in (YAML: by number only) */
function itemNamesOf(text: string): string[] {
  try {
    const raw = JSON.parse(text.replace(/^\uFEFF/, '')) as { items?: { name?: unknown }[] };
    return Array.isArray(raw.items) ? raw.items.map((i) => (typeof i?.name === 'string' ? i.name.trim() : '')) : [];
  } catch {
    return [];
  }
}

function problemsOf(e: ApiError): RubricProblem[] {
  const list = e.details?.problems;
  return Array.isArray(list) ? (list as RubricProblem[]) : [];
}

// ---------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------

function DeadlinesCard({ data, editable, onSaved }: { data: SettingsAnswer; editable: boolean; onSaved: () => Promise<void> }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Deadlines>();
  const [busy, setBusy] = useState<'save' | 'restore' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const statutory = data.statutory;
  const isStatutory = data.deadlines.government === statutory.government && data.deadlines.department === statutory.department;

  useEffect(() => {
    form.setFieldsValue(data.deadlines);
  }, [data.deadlines, form]);

  async function save(deadlines: Deadlines | null) {
    setBusy(deadlines ? 'save' : 'restore');
    setError(null);
    try {
      await settingsApi.put({ deadlines });
      message.success(deadlines ? '期限已保存。' : '已恢复法定期限。');
      await onSaved();
    } catch (e) {
      if (e instanceof ApiError) setError(e.message);
    } finally {
      setBusy(null);
    }
  }

  const rubricDeadlines = data.rubric.deadlines;
  /** the kinds whose lateness the rubric scores against a deadline of its own */
  const scoredOtherwise = (['government', 'department'] as const).filter(
    (k) => rubricDeadlines?.[k] && rubricDeadlines[k] !== data.deadlines[k],
  );
  return (
    <Card title="报告期限" className="nb-gap-bottom" data-testid="deadlines-card">
      <Typography.Paragraph type="secondary">
        某一年度的年度报告应在次年的这一天之前发布；发布情况据此判断“逾期发布”“逾期未发布”。《政府信息公开条例》第四十九条规定：政府部门 1
        月 31 日前，人民政府 3 月 31 日前。
      </Typography.Paragraph>
      <Descriptions
        size="small"
        column={1}
        bordered
        styles={LABELS}
        data-testid="deadlines-current"
        items={(['government', 'department'] as const).map((k) => ({
          key: k,
          label: KIND_ZH[k],
          children: (
            <span data-testid={`deadline-current-${k}`}>
              次年 {data.deadlines[k]}（{monthDay(data.deadlines[k])}）
              {data.deadlines[k] === statutory[k] ? (
                <Tag color="green" style={{ marginLeft: 8 }}>
                  法定期限
                </Tag>
              ) : (
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  法定：次年 {statutory[k]}
                </Typography.Text>
              )}
            </span>
          ),
        }))}
      />
      {scoredOtherwise.length > 0 && (
        <Typography.Paragraph
          type="secondary"
          className="nb-small"
          style={{ marginTop: 8, marginBottom: 0 }}
          data-testid="rubric-deadlines"
        >
          评分时，{scoredOtherwise.map((k) => `${KIND_ZH[k]}按评分细则自定的期限次年 ${rubricDeadlines?.[k]}`).join('，')}
          计算是否逾期（发布情况仍按上面的期限）。
        </Typography.Paragraph>
      )}
      {editable && (
        <Form<Deadlines>
          form={form}
          layout="vertical"
          className="nb-gap"
          initialValues={data.deadlines}
          onFinish={(v) => save({ government: normalizeMonthDay(v.government), department: normalizeMonthDay(v.department) })}
          requiredMark={false}
          data-testid="deadlines-form"
        >
          <Space wrap size={[24, 0]} align="start">
            {(['government', 'department'] as const).map((k) => (
              <Form.Item
                key={k}
                name={k}
                label={`${KIND_ZH[k]}的期限（次年 月-日）`}
                extra={`法定：次年 ${statutory[k]}（${monthDay(statutory[k])}）`}
                rules={[
                  { required: true, message: '请填写月-日，如 03-31' },
                  {
                    validator: (_, v: string | undefined) =>
                      !v || validMonthDay(normalizeMonthDay(v))
                        ? Promise.resolve()
                        : Promise.reject(new Error('应为“月-日”，如 03-31（月份 01–12，日期在该月之内）')),
                  },
                ]}
              >
                <Input
                  prefix="次年"
                  placeholder="如 03-31"
                  maxLength={6}
                  style={{ width: 170 }}
                  autoComplete="off"
                  data-testid={`deadline-${k}`}
                />
              </Form.Item>
            ))}
          </Space>
          {error && <Alert type="error" showIcon title={error} className="nb-gap-bottom" />}
          <Space wrap>
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy === 'save'} data-testid="deadlines-save">
              保存期限
            </Button>
            <Button
              icon={<RollbackOutlined />}
              loading={busy === 'restore'}
              disabled={isStatutory && busy === null}
              onClick={() => save(null)}
              data-testid="deadlines-restore"
            >
              恢复法定期限
            </Button>
          </Space>
        </Form>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------------------
// The rubric
// ---------------------------------------------------------------------------

function ItemView({ item, indicators }: { item: RubricItem; indicators: Indicators }) {
  return (
    <li style={{ padding: '12px 0', borderBottom: '1px solid #f0f0f0' }} data-testid="rubric-item">
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: 8 }}>
        <span className="nb-list-title">{item.name}</span>
        <Tag color={item.bonus ? 'green' : 'blue'}>{item.bonus ? `加 ${pts(item.points)} 分` : `${pts(item.points)} 分`}</Tag>
        {item.veto && <Tag color="red">否决项：扣分即判为不合格</Tag>}
        {item.bonus && <Tag color="green">加分项：不计入总分，得分另加（总分封顶）</Tag>}
        {item.cap !== undefined && item.cap < item.points && <Tag>本项最多扣 {pts(item.cap)} 分</Tag>}
      </div>
      <ul className="nb-plain-list" style={{ margin: '6px 0 0', paddingLeft: 18, listStyle: 'disc' }}>
        {item.deductions.map((d, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
          <li key={i} data-testid="rubric-deduction">
            {deductionText(d, indicators)}
          </li>
        ))}
      </ul>
      {item.note && (
        <div className="nb-small nb-muted" style={{ marginTop: 4 }}>
          依据：{item.note}
        </div>
      )}
    </li>
  );
}

function RubricView({ rubric, custom, indicators }: { rubric: Rubric; custom: boolean; indicators: Indicators }) {
  const bonus = rubric.items.filter((i) => i.bonus).reduce((s, i) => s + i.points, 0);
  const grades = rubric.grades ?? [];
  return (
    <div data-testid="rubric-view">
      <Descriptions
        size="small"
        column={1}
        bordered
        styles={LABELS}
        items={[
          {
            key: 'name',
            label: '名称',
            children: (
              <span>
                <b data-testid="rubric-name">{rubric.name}</b>
                {rubric.version && <span className="nb-muted">（版本 {rubric.version}）</span>}
                <Tag color={custom ? 'blue' : 'default'} style={{ marginLeft: 8 }} data-testid="rubric-kind">
                  {custom ? '本地区细则' : '示例细则'}
                </Tag>
              </span>
            ),
          },
          ...(rubric.description ? [{ key: 'description', label: '说明', children: rubric.description }] : []),
          {
            key: 'total',
            label: '满分',
            children: `${pts(rubric.total)} 分${bonus > 0 ? `（另有加分项共 ${pts(bonus)} 分，加分后不超过满分）` : ''}`,
          },
          {
            key: 'mode',
            label: '评分模式',
            children: (
              <span data-testid="rubric-mode">
                <b>{MODE_ZH[rubric.mode].name}</b>：{MODE_ZH[rubric.mode].explain}
              </span>
            ),
          },
          {
            key: 'grades',
            label: '等次',
            children:
              grades.length === 0 ? (
                '不评等次'
              ) : (
                <span data-testid="rubric-grades">
                  {grades.map((g) => `${g.name}（${pts(g.min)} 分及以上）`).join('、')}
                  {rubric.items.some((i) => i.veto) && `；有否决项的报告定为“${rubric.failedGrade ?? grades[grades.length - 1].name}”`}
                </span>
              ),
          },
          {
            key: 'unpublished',
            label: '未发布报告',
            children: rubric.unpublishedScoresZero ? '各项均不得分' : `只按“${indicatorName('unpublished', indicators)}”的扣分规则扣分`,
          },
        ]}
      />
      <h2 className="nb-subheading">评分项目（{rubric.items.length} 项）</h2>
      <ul className="nb-list" data-testid="rubric-items">
        {rubric.items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the ids are the file's, the order is fixed
          <ItemView key={i} item={item} indicators={indicators} />
        ))}
      </ul>
    </div>
  );
}

/** a link saving the rubric in force as JSON */
function RubricDownload({ rubric }: { rubric: Rubric }) {
  const href = useMemo(
    () => URL.createObjectURL(new Blob([`${JSON.stringify(rubric, null, 2)}\n`], { type: 'application/json' })),
    [rubric],
  );
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  const name = `${rubric.name.replace(/[\\/:*?"<>|]/g, '_')}.json`;
  return (
    <a href={href} download={name} className="ant-btn ant-btn-default" data-testid="rubric-download" style={LINK_BUTTON}>
      <DownloadOutlined aria-hidden /> 下载当前细则（JSON）
    </a>
  );
}

const LINK_BUTTON = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 6,
  padding: '4px 15px',
  border: '1px solid #d9d9d9',
  borderRadius: 6,
  color: 'rgba(0, 0, 0, 0.88)',
  background: '#fff',
  lineHeight: 1.5715,
} as const;

interface Rejected {
  file: string;
  message: string;
  problems: { place: string; text: string }[];
}

function UploadRubric({ data, onSaved }: { data: SettingsAnswer; onSaved: () => Promise<void> }) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'upload' | 'restore' | null>(null);
  const [rejected, setRejected] = useState<Rejected | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function upload() {
    if (!file) return;
    setBusy('upload');
    setRejected(null);
    setError(null);
    try {
      const text = await file.text();
      try {
        await settingsApi.put({ rubric: text, rubricFileName: file.name });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const problems = problemsOf(e);
        if (e.code === 'bad-rubric' && problems.length > 0) {
          const names = itemNamesOf(text);
          setRejected({
            file: file.name,
            message: `评分细则“${file.name}”有 ${problems.length} 处问题，未启用：`,
            problems: problems.map((p) => ({ place: placeInFile(p.path, names), text: problemText(p, data.indicators, names, text) })),
          });
        } else setError(e.message);
        return;
      }
      setFile(null);
      message.success(`已启用评分细则：${file.name}`);
      await onSaved();
    } catch {
      setError('无法读取这个文件。');
    } finally {
      setBusy(null);
    }
  }

  async function restore() {
    setBusy('restore');
    setRejected(null);
    setError(null);
    try {
      await settingsApi.put({ rubric: null });
      message.success('已恢复示例细则。');
      await onSaved();
    } catch (e) {
      if (e instanceof ApiError) setError(e.message);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="nb-gap" data-testid="rubric-upload-card">
      <h2 className="nb-subheading nb-subheading-first">上传评分细则</h2>
      <Typography.Paragraph type="secondary">
        评分细则是一个 JSON 或 YAML
        文件，写法见随本系统提供的评分细则说明，可先下载当前细则，修改后上传。上传后立即用于本地区的评分；有问题的文件不会启用，并列出每一处问题。
      </Typography.Paragraph>
      <div data-testid="rubric-upload">
        <Upload.Dragger
          accept=".json,.yaml,.yml"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setRejected(null);
            setError(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setRejected(null);
          }}
          fileList={
            file ? [{ uid: file.name, name: file.name, size: file.size, status: 'done' as const, originFileObj: file as never }] : []
          }
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或将评分细则文件拖到此处</p>
          <p className="ant-upload-hint">支持 .json、.yaml、.yml</p>
        </Upload.Dragger>
      </div>
      <div className="nb-form-actions">
        <Button
          type="primary"
          icon={<UploadOutlined />}
          disabled={!file || busy !== null}
          loading={busy === 'upload'}
          onClick={upload}
          data-testid="rubric-apply"
        >
          上传并启用
        </Button>
        <Popconfirm
          title="恢复示例细则？"
          description="本地区的评分细则将停用，评分改按示例细则计算。"
          okText="恢复示例细则"
          cancelText="取消"
          onConfirm={restore}
          disabled={!data.customRubric || busy !== null}
        >
          <Button
            icon={<RollbackOutlined />}
            disabled={!data.customRubric || busy !== null}
            loading={busy === 'restore'}
            data-testid="rubric-restore"
          >
            恢复示例细则
          </Button>
        </Popconfirm>
      </div>
      {error && <Alert type="error" showIcon title={error} className="nb-gap" data-testid="rubric-error" />}
      {rejected && (
        <Alert
          type="error"
          showIcon
          className="nb-gap"
          title={rejected.message}
          data-testid="rubric-problems"
          description={
            <ol style={{ margin: '4px 0 0', paddingLeft: 20 }}>
              {rejected.problems.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
                <li key={i} data-testid="rubric-problem">
                  <b>{p.place}</b>：{p.text}
                </li>
              ))}
            </ol>
          }
        />
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------

export default function SettingsPage() {
  const { me, can } = useAuth();
  const [data, setData] = useState<SettingsAnswer | null>(null);
  const [loading, setLoading] = useState(true);
  const admin = can('admin');
  /** settings belong to an agency: an administrator of none cannot set them */
  const editable = admin && !!me?.agency;

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await settingsApi.get());
    } catch {
      setData(null);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="nb-page" data-testid="settings-page">
      <PageHeader
        title="期限和评分细则"
        subtitle={`${me?.agency ? `${me.agency.name}及下属机关` : '全部机关'}的年度报告发布期限，以及评分排名所用的评分细则。${
          editable ? '' : admin ? '' : '仅管理员可以修改。'
        }`}
      />
      {admin && !me?.agency && (
        <Alert type="info" showIcon className="nb-gap-bottom" title="期限和评分细则按机关设置：请以某一机关的管理员身份登录后修改。" />
      )}
      {loading && !data && <Card loading />}
      {!loading && !data && (
        <Card>
          <Empty description="无法读取期限和评分细则" />
        </Card>
      )}
      {data && (
        <>
          <DeadlinesCard data={data} editable={editable} onSaved={load} />
          <Card title="评分细则" className="nb-gap-bottom" data-testid="rubric-card">
            <div
              style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 12 }}
            >
              <Typography.Text type="secondary">
                {data.customRubric ? (
                  <>
                    <CheckCircleOutlined style={{ color: '#389e0d' }} aria-hidden /> 评分排名按本地区上传的评分细则计算。
                  </>
                ) : (
                  '尚未上传本地区的评分细则，评分排名按示例细则计算。'
                )}
              </Typography.Text>
              <RubricDownload rubric={data.rubric} />
            </div>
            <RubricView rubric={data.rubric} custom={data.customRubric} indicators={data.indicators} />
            {editable && <UploadRubric data={data} onSaved={load} />}
          </Card>
        </>
      )}
    </div>
  );
}
