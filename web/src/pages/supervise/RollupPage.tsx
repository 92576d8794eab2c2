/**
 * 区域汇总: every cell of 表一, 表二 and 表三 added up over a region (a body and every body under it)
 * for a year, grouped by table with the tables' own row and column names. Clicking a total lists the
 * bodies directly under it with their share; a body with bodies under it opens in its turn (the path
 * back is above). For a people's government, its own report beside the sum of the bodies under it
 * where they differ. Below, chosen cells year over year, and the download of the roll-up (Excel).
 */
import { ApartmentOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Card, Col, Empty, Row, Segmented, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Chart, type ChartOption, PALETTE } from '../../components/Chart';
import { PageHeader } from '../../components/PageHeader';
import type { CellInfo, RollupAnswer, SeriesAnswer } from '../../supervise-types';
import { DownloadButton, figure, KeyboardScroll, sapi, TABLE_TITLES, useDirectory, useSuperviseYear, YearSelect } from './common';

const DEFAULT_SERIES = ['applications.newReceived.total', 'reviewLitigation.review.total'];

/** 表二 · 一、本年新收政府信息公开申请数量 · 总计 */
function shortLabel(c: CellInfo): string {
  const t = TABLE_TITLES[c.table]?.slice(0, 2) ?? c.table;
  return `${t} · ${c.row} · ${c.column}`;
}

interface Grid {
  table: string;
  rows: string[];
  columns: string[];
  cell: Map<string, CellInfo>;
}

/** the cells of each table as a grid of its rows and columns, in the tables' order */
function gridsOf(cells: CellInfo[]): Grid[] {
  const out: Grid[] = [];
  for (const c of cells) {
    let g = out.find((x) => x.table === c.table);
    if (!g) {
      g = { table: c.table, rows: [], columns: [], cell: new Map() };
      out.push(g);
    }
    if (!g.rows.includes(c.row)) g.rows.push(c.row);
    if (!g.columns.includes(c.column)) g.columns.push(c.column);
    g.cell.set(`${c.row}\u0000${c.column}`, c);
  }
  return out;
}

const CELL_BUTTON = {
  all: 'unset',
  display: 'block',
  width: '100%',
  minWidth: 40,
  textAlign: 'center',
  cursor: 'pointer',
  color: '#003eb3',
  textDecoration: 'underline',
} as const;

function TableGrid({
  grid,
  value,
  money,
  selected,
  onPick,
}: {
  grid: Grid;
  value: (key: string) => number | null;
  money: (key: string) => boolean;
  selected: string | null;
  onPick: (c: CellInfo) => void;
}) {
  const title = TABLE_TITLES[grid.table] ?? grid.table;
  return (
    <section className="nb-grid" data-testid="rollup-grid">
      <h2 className="nb-grid-heading">{title}</h2>
      <div className="nb-grid-scroll">
        <table className="nb-table">
          <thead>
            <tr>
              <th scope="col">项目</th>
              {grid.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((r) => (
              <tr key={r}>
                <th scope="row" style={{ textAlign: 'left', minWidth: 180 }}>
                  {r}
                </th>
                {grid.columns.map((col) => {
                  const c = grid.cell.get(`${r}\u0000${col}`);
                  if (!c) return <td key={col} style={{ background: '#f5f5f5' }} />;
                  const v = value(c.key);
                  return (
                    <td key={col} className={`nb-cell-value${selected === c.key ? ' nb-selected' : ''}`}>
                      <button
                        type="button"
                        style={CELL_BUTTON}
                        onClick={() => onPick(c)}
                        aria-label={`${r} ${col}：${figure(v, money(c.key))}，查看下级机关`}
                        data-testid="rollup-cell"
                        data-cell={c.key}
                      >
                        {figure(v, money(c.key))}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface DrillRow {
  bodyId: number;
  name: string;
  own: number | null;
  region: number;
  reports: number;
  bodies: number;
}

function seriesOption(s: SeriesAnswer, labels: Map<string, string>, kind: 'line' | 'bar'): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll', textStyle: { color: '#595959' } },
    grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: s.years.map((y) => `${y}年`), axisLabel: { color: '#595959' } },
    yAxis: { type: 'value', axisLabel: { color: '#595959' }, splitLine: { lineStyle: { color: '#f0f0f0' } } },
    series: s.series.map((x, i) => ({
      name: labels.get(x.key) ?? x.label,
      type: kind,
      data: x.values,
      connectNulls: false,
      symbolSize: 8,
      barMaxWidth: 28,
      itemStyle: { color: PALETTE[i % PALETTE.length] },
    })),
  };
}

function SeriesCard({ year, body, cells }: { year: number; body: number | undefined; cells: CellInfo[] }) {
  const keys = useMemo(() => new Set(cells.map((c) => c.key)), [cells]);
  const [chosen, setChosen] = useState<string[]>(DEFAULT_SERIES);
  const [span, setSpan] = useState(5);
  const [kind, setKind] = useState<'line' | 'bar'>('line');
  const [data, setData] = useState<SeriesAnswer | null>(null);
  const picked = chosen.filter((k) => keys.has(k));
  const labels = useMemo(() => new Map(cells.map((c) => [c.key, shortLabel(c)])), [cells]);
  const options = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const c of cells) {
      const title = TABLE_TITLES[c.table] ?? c.table;
      const list = groups.get(title) ?? [];
      list.push({ value: c.key, label: `${c.row} · ${c.column}` });
      groups.set(title, list);
    }
    return [...groups.entries()].map(([label, options]) => ({ label, options }));
  }, [cells]);
  const pickedKey = picked.join(',');

  useEffect(() => {
    if (!pickedKey) {
      setData(null);
      return;
    }
    let live = true;
    sapi
      .series(year - span + 1, year, pickedKey.split(','), body)
      .then((r) => {
        if (live) setData(r);
      })
      .catch(() => {
        if (live) setData(null);
      });
    return () => {
      live = false;
    };
  }, [year, span, body, pickedKey]);

  const empty = !data || data.series.every((s) => s.values.every((v) => v === null));
  return (
    <Card title="逐年变化" className="nb-gap" data-testid="rollup-series">
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Select
          mode="multiple"
          aria-label="选择单元格"
          placeholder="选择要比较的单元格"
          value={picked}
          onChange={(v) => setChosen(v.slice(0, 8))}
          options={options}
          style={{ flex: '1 1 260px', minWidth: 0, maxWidth: 640 }}
          showSearch={{ optionFilterProp: 'label' }}
          maxTagTextLength={18}
          data-testid="series-cells"
        />
        <Segmented
          aria-label="年数"
          value={span}
          onChange={(v) => setSpan(Number(v))}
          options={[
            { value: 5, label: '近 5 年' },
            { value: 10, label: '近 10 年' },
          ]}
        />
        <Segmented
          aria-label="图形"
          value={kind}
          onChange={(v) => setKind(v as 'line' | 'bar')}
          options={[
            { value: 'line', label: '折线' },
            { value: 'bar', label: '柱状' },
          ]}
        />
      </div>
      {empty ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={picked.length ? '这些年度没有已导入的报告' : '请选择单元格'} />
      ) : (
        data && (
          <>
            <Chart option={seriesOption(data, labels, kind)} height={340} testId="series-chart" />
            <Typography.Paragraph type="secondary" className="nb-small nb-gap-sm">
              各年度纳入汇总的报告：{data.years.map((y, i) => `${y} 年 ${data.reports[i]} 份`).join('，')}。
            </Typography.Paragraph>
          </>
        )
      )}
    </Card>
  );
}

export default function RollupPage() {
  const [year, setYear] = useSuperviseYear();
  const [params, setParams] = useSearchParams();
  const body = Number(params.get('body')) || undefined;
  const cell = params.get('cell') ?? undefined;
  const dir = useDirectory();
  const [data, setData] = useState<RollupAnswer | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [mode, setMode] = useState<'region' | 'own'>('region');

  const setParam = (k: 'body' | 'cell', v: string | number | undefined, also?: Record<string, string | undefined>) => {
    setParams((p) => {
      const n = new URLSearchParams(p);
      for (const [key, val] of Object.entries({ [k]: v === undefined ? undefined : String(v), ...also })) {
        if (val === undefined) n.delete(key);
        else n.set(key, val);
      }
      return n;
    });
  };

  useEffect(() => {
    let live = true;
    setLoading(true);
    setFailed(false);
    sapi
      .rollup(year, body, cell)
      .then((r) => {
        if (live) setData(r);
      })
      .catch(() => {
        if (live) {
          setData(null);
          setFailed(true);
        }
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [year, body, cell]);

  const cells = data?.cells ?? [];
  const grids = useMemo(() => gridsOf(cells), [cells]);
  const byKey = useMemo(() => new Map(cells.map((c) => [c.key, c])), [cells]);
  const t = data?.totals;
  const value = (key: string): number | null => {
    if (!t) return null;
    if (mode === 'own') return t.own ? (t.own[key] ?? null) : null;
    return t.reports > 0 ? (t.region[key] ?? 0) : null;
  };
  const money = (key: string) => byKey.get(key)?.money ?? false;

  // the path from the scope's root to the body shown
  const trail = useMemo(() => {
    if (!data) return [];
    const out: { id: number; name: string }[] = [];
    const seen = new Set<number>();
    for (let b = dir.byId.get(data.body.id); b && !seen.has(b.id); b = b.parentId === null ? undefined : dir.byId.get(b.parentId)) {
      seen.add(b.id);
      out.unshift({ id: b.id, name: b.name });
    }
    return out.length ? out : [{ id: data.body.id, name: data.body.name }];
  }, [data, dir.byId]);

  const childCount = useMemo(() => new Map((data?.children ?? []).map((c) => [c.bodyId, c.bodies])), [data]);
  const drillRows: DrillRow[] = (data?.drill?.rows ?? []).map((r) => ({ ...r, bodies: childCount.get(r.bodyId) ?? 1 }));
  const drillCell = cell ? byKey.get(cell) : undefined;
  const drillMoney = drillCell?.money ?? false;
  const open = (id: number) => setParam('body', id);

  const drillColumns: ColumnsType<DrillRow> = [
    {
      title: '下级机关',
      key: 'name',
      render: (_, r) =>
        r.bodies > 1 ? (
          <Button
            type="link"
            style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
            onClick={() => open(r.bodyId)}
            data-testid={`drill-open-${r.bodyId}`}
          >
            {r.name}
          </Button>
        ) : (
          r.name
        ),
    },
    { title: '本级报告', key: 'own', width: 110, render: (_, r) => figure(r.own, drillMoney) },
    { title: '区域合计', key: 'region', width: 110, render: (_, r) => (r.reports > 0 ? figure(r.region, drillMoney) : '—') },
    { title: '纳入的报告', key: 'reports', width: 110, render: (_, r) => `${r.reports} / ${r.bodies} 个机关` },
  ];

  const ovb = (data?.ownVersusBelow ?? []).map((r) => ({ ...r, label: byKey.get(r.key) ? shortLabel(byKey.get(r.key) as CellInfo) : '' }));

  return (
    <div className="nb-page" data-testid="rollup-page">
      <PageHeader
        title="区域汇总"
        subtitle="本机关及其下属机关年度报告表格各项数字的合计。点击合计数，查看直接下属各机关的数字；有下属机关的，可以继续向下查看。"
        extra={
          <Space wrap>
            <YearSelect year={year} onChange={setYear} />
            <DownloadButton
              fetchFile={() => sapi.rollupFile(year, body)}
              fallbackName={`${year}年度区域汇总.xlsx`}
              icon={<FileExcelOutlined />}
              testId="rollup-export"
            >
              导出 Excel
            </DownloadButton>
          </Space>
        }
      />
      {trail.length > 0 && (
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={trail.map((b, i) =>
            i === trail.length - 1
              ? { key: b.id, title: <span aria-current="page">{b.name}</span> }
              : {
                  key: b.id,
                  title: (
                    <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => open(b.id)}>
                      {b.name}
                    </Button>
                  ),
                },
          )}
          data-testid="rollup-trail"
        />
      )}
      {failed && <Alert type="error" showIcon title="无法取得这个机关的汇总。" />}
      <Card
        loading={loading && !data}
        title={
          data ? (
            <span>
              <ApartmentOutlined /> {data.body.name} · {data.year} 年度
            </span>
          ) : (
            '汇总'
          )
        }
        extra={
          <Segmented
            aria-label="显示的数字"
            value={mode}
            onChange={(v) => setMode(v as 'region' | 'own')}
            options={[
              { value: 'region', label: '区域合计' },
              { value: 'own', label: '本级报告' },
            ]}
            data-testid="rollup-mode"
          />
        }
        data-testid="rollup-card"
      >
        {t && (
          <Typography.Paragraph type="secondary" data-testid="rollup-summary">
            纳入汇总的报告 {t.reports} 份（区域内共 {t.bodies} 个机关）
            {mode === 'own' && !t.own ? '；本机关没有本年度的报告。' : '。'}
            {t.reports < t.bodies ? '未发布报告的机关不计入合计。' : ''}
          </Typography.Paragraph>
        )}
        {grids.map((g) => (
          <TableGrid
            key={g.table}
            grid={g}
            value={value}
            money={money}
            selected={cell ?? null}
            onPick={(c) => setParam('cell', c.key === cell ? undefined : c.key)}
          />
        ))}
      </Card>
      {data?.drill && (
        <Card
          className="nb-gap"
          title={`下级机关：${drillCell ? shortLabel(drillCell) : data.drill.label}`}
          extra={
            <Button size="small" onClick={() => setParam('cell', undefined)}>
              关闭
            </Button>
          }
          data-testid="rollup-drill"
        >
          <KeyboardScroll>
            <Table<DrillRow>
              rowKey="bodyId"
              size="small"
              columns={drillColumns}
              dataSource={drillRows}
              pagination={drillRows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              scroll={{ x: 560 }}
              locale={{ emptyText: '这个机关没有下级机关' }}
            />
          </KeyboardScroll>
        </Card>
      )}
      {!data?.drill && data && data.children.length > 0 && (
        <Card className="nb-gap" title="下级机关" data-testid="rollup-children">
          <Row gutter={[8, 8]}>
            {data.children.map((c) => (
              <Col key={c.bodyId} xs={24} sm={12} lg={8}>
                {c.bodies > 1 ? (
                  <Button
                    type="link"
                    style={{ padding: 0, whiteSpace: 'normal', textAlign: 'left', height: 'auto' }}
                    onClick={() => open(c.bodyId)}
                  >
                    {c.name}
                  </Button>
                ) : (
                  <span>{c.name}</span>
                )}{' '}
                <Typography.Text type="secondary" className="nb-small">
                  已报 {c.reports} / {c.bodies}
                </Typography.Text>
              </Col>
            ))}
          </Row>
        </Card>
      )}
      {ovb.length > 0 && (
        <Card className="nb-gap" title="本级报告与下级机关合计不一致的项目" data-testid="rollup-own-vs-below">
          <Typography.Paragraph type="secondary">
            人民政府本级报告中的数字，与其下属机关报告数字之和不同。本级报告只含本级的，差额属正常；本级报告写的是全区合计的，应核对。
          </Typography.Paragraph>
          <KeyboardScroll>
            <Table
              rowKey="key"
              size="small"
              dataSource={ovb}
              pagination={ovb.length > 30 ? { pageSize: 30, showSizeChanger: false } : false}
              scroll={{ x: 620 }}
              columns={[
                { title: '项目', dataIndex: 'label' },
                { title: '本级报告', key: 'own', width: 100, render: (_, r) => figure(r.own, money(r.key)) },
                { title: '下级合计', key: 'below', width: 100, render: (_, r) => figure(r.below, money(r.key)) },
                {
                  title: '差额',
                  key: 'difference',
                  width: 100,
                  render: (_, r) => <span className="nb-text-danger">{figure(r.difference, money(r.key))}</span>,
                },
              ]}
            />
          </KeyboardScroll>
        </Card>
      )}
      {cells.length > 0 && <SeriesCard year={year} body={data?.body.id} cells={cells} />}
    </div>
  );
}
