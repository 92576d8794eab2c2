/**
 * Supervision from the command line (issue 15): the directory of bodies, bulk intake, the
 * reporting year's status, roll-ups, scores and 雷同 across bodies. Every command works on the
 * database of `serve` (SQLite file or postgres:// URL) and its reading and checking run on a worker
 * pool (the server's jobs).
 *
 *   nianbao bodies import FILE [--dry-run]     机关名录导入（先列出每行的问题，有错误则不导入）
 *   nianbao bodies export FILE                 导出名录（.xlsx / .csv）
 *   nianbao bodies list
 *   nianbao import DIR|ZIP|FILE…               批量导入年报（按内容去重，自动匹配机关）
 *   nianbao pending | confirm ID --body B | reject ID
 *   nianbao status YEAR [--out F.xlsx|.csv]    发布情况
 *   nianbao rollup YEAR [--cell KEY]           区域汇总
 *   nianbao score YEAR [--rubric F] [--out F.xlsx|.docx]
 *   nianbao copies YEAR                        跨机关雷同
 *   nianbao review BODY YEAR                   标记已复核
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, CommanderError } from 'commander';
import { NianbaoError } from '../model/errors.js';
import { registerToday } from '../register/clock.js';
import { type JobsWithPool, pooledJobs } from '../server/jobs.js';
import { type AppDb, openAppDb, subtreeIds } from '../store/app.js';
import { applyDirectory, listBodies, listPending, saveSettings, setReview, settingsFor } from '../store/supervise.js';
import { filesFromPaths } from '../supervise/bundle.js';
import { DirectoryIndex } from '../supervise/directory.js';
import { exportDirectory, parseDirectoryFile, planDirectory } from '../supervise/directory-file.js';
import { cellDefs, cellLabel } from '../supervise/rollup.js';
import { parseRubric, type Rubric } from '../supervise/rubric.js';
import {
  confirmPending,
  defaultRubric,
  intakeFiles,
  versionsWithDiff,
  yearCopies,
  yearRollup,
  yearScores,
  yearStatus,
} from '../supervise/service.js';
import { validMonthDay } from '../supervise/status.js';
import { BODY_KIND_ZH, type Body, type Deadlines, FILING_STATE_ZH, STATUTORY_DEADLINES, TIER_ZH } from '../supervise/types.js';
import { fsReason, InputError, out, writeOutputFile } from './errors.js';
import { cliProgram, exitStatusOf, positiveInteger } from './usage.js';

interface Common {
  db?: string;
  user?: string;
  under?: string;
}

function yearOf(s: string): number {
  if (!/^\d{4}$/.test(s)) throw new InputError(`年度应为四位数字（收到“${s}”）。`, `The year must be four digits (got "${s}").`);
  return Number(s);
}

/** a body by id or name (exact, or a confident match) */
export function resolveBody(bodies: readonly Body[], ref: string): Body {
  if (/^\d+$/.test(ref)) {
    const b = bodies.find((x) => x.id === Number(ref));
    if (b) return b;
  }
  const exact = bodies.filter((b) => b.name === ref);
  if (exact.length === 1) return exact[0];
  const candidates = new DirectoryIndex(bodies).match(ref);
  if (candidates[0] && candidates[0].confidence >= 0.9 && (!candidates[1] || candidates[1].confidence < 0.9)) {
    return bodies.find((b) => b.id === candidates[0].bodyId) as Body;
  }
  const hint = candidates.length
    ? `相近的有：${candidates.map((c) => `${c.name}（编号 ${c.bodyId}）`).join('、')}`
    : '名录中没有相近的机关';
  throw new InputError(
    `找不到机关“${ref}”，${hint}。`,
    `No body "${ref}" in the directory${candidates.length ? ' (see the similar names above)' : ''}.`,
  );
}

function table(rows: (string | number | null)[][]): string {
  return `${rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join('\t')).join('\n')}\n`;
}

export async function runSupervise(argv: string[]): Promise<number> {
  let code = 0;
  const program = cliProgram('nianbao').description('监督检查 / supervision');
  let db: AppDb | undefined;
  let jobs: JobsWithPool | undefined;
  const common = (c: Command) =>
    c
      .option('--db <file>', '数据库文件或 postgres:// 地址（缺省为 NIANBAO_DB 或 ./nianbao.db） / database file or URL')
      .option('--user <name>', '操作人（缺省为 USER） / the user recorded in the audit trail')
      .option('--under <body>', '只看该机关及其下级（名称或编号） / only this body and those under it (name or id)');
  const open = async (o: Common) => {
    db = await openAppDb(o.db);
    return db;
  };
  const pool = (threads?: number) => {
    jobs ??= pooledJobs(threads ? { size: threads } : {});
    return jobs;
  };
  const user = (o: Common) => o.user || process.env.USER || process.env.USERNAME || 'unknown';
  const scope = async (d: AppDb, o: Common): Promise<{ scopeId: number | null; scopeName: string; bodies: Body[] }> => {
    const bodies = await listBodies(d);
    if (!o.under) return { scopeId: null, scopeName: '全部机关', bodies };
    const b = resolveBody(bodies, o.under);
    return { scopeId: b.id, scopeName: b.name, bodies };
  };
  const today = () => registerToday();

  // ---------------------------------------------------------------- bodies
  const bodiesCmd = program.command('bodies').description('机关名录：import | export | list / the directory of bodies');
  common(bodiesCmd.command('import').description('导入名录（XLSX/CSV） / import the directory'))
    .argument('<file>', '名录文件（.xlsx 或 .csv） / the directory file')
    .option('--dry-run', '只检查并列出问题，不导入 / check and list the problems, store nothing')
    .option('--json', '输出 JSON / print JSON')
    .action(async (file: string, o: Common & { dryRun?: boolean; json?: boolean }) => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(file));
      } catch (e) {
        throw new InputError(`无法读取文件 ${file}：${fsReason(e).zh}。`, `Cannot read ${file}: ${fsReason(e).en}.`);
      }
      const parsed = await parseDirectoryFile(bytes, file);
      const d = await open(o);
      const existing = await listBodies(d);
      const plan = planDirectory(parsed.rows, existing);
      const problems = [...parsed.problems, ...plan.problems];
      const errors = problems.filter((p) => p.severity === 'error');
      if (o.json) {
        await out(
          `${JSON.stringify({ rows: parsed.rows.length, creates: plan.creates.length, updates: plan.updates.length, problems, stored: !o.dryRun && errors.length === 0 }, null, 2)}\n`,
        );
      } else {
        // each problem where it is (the file, or its row and column, unless the message says so), then in English
        const where = (p: (typeof problems)[number]) => {
          if (p.row === null) return `${file}：`;
          const row = p.message.includes(`第${p.row}行`) ? '' : `第 ${p.row} 行`;
          const col = p.column && !p.message.includes(p.column) ? `“${p.column}”列` : '';
          return row || col ? `${row}${col}：` : '';
        };
        const lines = problems.map((p) => `${p.severity === 'error' ? '错误' : '注意'}：${where(p)}${p.message}\n  ${p.messageEn}`);
        lines.push(
          `共 ${parsed.rows.length} 行：新增 ${plan.creates.length} 个机关，更新 ${plan.updates.length} 个；错误 ${errors.length} 处，注意 ${problems.length - errors.length} 处。`,
        );
        await out(`${lines.join('\n')}\n`);
      }
      if (errors.length > 0) {
        process.stderr.write('错误：名录有错误，未导入任何内容；改正后重新导入。\nError: the directory has errors; nothing was stored.\n');
        code = 1;
        return;
      }
      if (o.dryRun) return;
      await applyDirectory(d, plan, user(o), null);
      if (!o.json) await out('已导入。\n');
    });
  common(bodiesCmd.command('export').description('导出名录 / export the directory'))
    .argument('<file>', '输出文件（.xlsx 或 .csv） / output file')
    .action(async (file: string, o: Common) => {
      const d = await open(o);
      const { scopeId, bodies } = await scope(d, o);
      const ids = scopeId === null ? null : new Set(subtreeIds(bodies, scopeId));
      const list = ids ? bodies.filter((b) => ids.has(b.id)) : bodies;
      const kind = extname(file).toLowerCase() === '.csv' ? 'csv' : 'xlsx';
      await writeOutputFile(file, await exportDirectory(list, kind));
      await out(`已导出 ${list.length} 个机关到 ${file}。\n`);
    });
  common(bodiesCmd.command('list').description('列出名录 / list the directory'))
    .option('--json', '输出 JSON / print JSON')
    .action(async (o: Common & { json?: boolean }) => {
      const d = await open(o);
      const { scopeId, bodies } = await scope(d, o);
      const ids = scopeId === null ? null : new Set(subtreeIds(bodies, scopeId));
      const list = ids ? bodies.filter((b) => ids.has(b.id)) : bodies;
      if (o.json) return out(`${JSON.stringify(list, null, 2)}\n`);
      const byId = new Map(bodies.map((b) => [b.id, b]));
      await out(
        table([
          ['编号', '名称', '层级', '类型', '上级', '行政区划代码', '统一社会信用代码'],
          ...list.map((b) => [
            b.id,
            b.name,
            TIER_ZH[b.tier],
            BODY_KIND_ZH[b.kind],
            b.parentId === null ? '' : (byId.get(b.parentId)?.name ?? ''),
            b.regionCode,
            b.creditCode,
          ]),
        ]),
      );
    });

  // ---------------------------------------------------------------- intake
  common(program.command('import').description('批量导入年报（文件夹、ZIP 或文件） / import reports in bulk'))
    .argument('<paths...>', '文件夹、ZIP 压缩包或报告文件 / folders, ZIP archives or report files')
    .option('--threads <n>', '并行读取的线程数 / reader threads', positiveInteger)
    .option('--json', '输出 JSON / print JSON')
    .option('--quiet', '不显示进度 / no progress bar')
    .action(async (paths: string[], o: Common & { threads?: number; json?: boolean; quiet?: boolean }) => {
      const d = await open(o);
      const { scopeId } = await scope(d, o);
      let bundle: Awaited<ReturnType<typeof filesFromPaths>>;
      try {
        bundle = await filesFromPaths(paths);
      } catch (e) {
        if (e instanceof NianbaoError) throw new InputError(e.zh, e.en);
        throw e;
      }
      const j = pool(o.threads);
      const bar =
        !o.quiet && process.stderr.isTTY && bundle.files.length > 0
          ? new SingleBar({
              format: '导入 {bar} {value}/{total} 份 | 已存 {stored} 待确认 {pending} 重复 {duplicates} 失败 {failed}',
              stream: process.stderr,
            })
          : null;
      bar?.start(bundle.files.length, 0, { stored: 0, pending: 0, duplicates: 0, failed: 0 });
      const result = await intakeFiles(d, bundle.files, {
        scopeId,
        user: user(o),
        jobs: j,
        concurrency: Math.max(2, (o.threads ?? j.pool.size) * 2),
        onProgress: (c) =>
          bar?.update(c.done, { stored: c.stored + c.versions, pending: c.pending, duplicates: c.duplicates, failed: c.failed }),
      });
      bar?.stop();
      if (o.json) return out(`${JSON.stringify({ ...result, skipped: bundle.skipped }, null, 2)}\n`);
      const c = result.counts;
      const lines = [
        `共 ${bundle.files.length} 份：已存 ${c.stored} 份，新版本 ${c.versions} 份，待确认 ${c.pending} 份，重复 ${c.duplicates} 份，无法读取 ${c.failed} 份。`,
      ];
      for (const r of result.outcomes) {
        if (r.outcome === 'pending') lines.push(`待确认（编号 ${r.intakeId}）：${r.file}：${r.reason}`);
        else if (r.outcome === 'failed') lines.push(`无法读取：${r.message}\n  ${r.messageEn}`);
        else if (r.outcome === 'stored' && r.version > 1) {
          const same = r.sameContent ? '（内容与上一版相同：同一报告的另一种格式或另一份文件）' : '（内容有改动，nianbao versions 查看）';
          lines.push(`新版本：${r.file} → ${r.bodyName} ${r.year} 年第 ${r.version} 版${same}`);
        }
      }
      if (bundle.skipped.length)
        lines.push(
          `跳过 ${bundle.skipped.length} 个非报告文件：${bundle.skipped.slice(0, 10).join('、')}${bundle.skipped.length > 10 ? '……' : ''}`,
        );
      if (c.pending > 0) lines.push('待确认的文件：nianbao pending 查看，nianbao confirm 编号 --body 机关 确认。');
      await out(`${lines.join('\n')}\n`);
      if (c.failed > 0) code = 1;
    });

  common(program.command('pending').description('待确认机关的文件 / files waiting for their body'))
    .option('--json', '输出 JSON / print JSON')
    .action(async (o: Common & { json?: boolean }) => {
      const d = await open(o);
      const { scopeId, bodies } = await scope(d, o);
      const scopes = scopeId === null ? bodies.map((b) => b.id).concat(0) : subtreeIds(bodies, scopeId);
      const list = await listPending(d, scopes);
      if (o.json) return out(`${JSON.stringify(list, null, 2)}\n`);
      if (list.length === 0) return out('没有待确认的文件。\n');
      await out(
        table([
          ['编号', '文件', '报告中的机关', '年度', '候选'],
          ...list.map((p) => [
            p.id,
            p.fileName,
            p.agency,
            p.year,
            p.candidates.map((c) => `${c.name}（编号 ${c.bodyId}，${Math.round(c.confidence * 100)}%，${c.reason}）`).join('；'),
          ]),
        ]),
      );
    });
  common(program.command('confirm').description('确认文件所属机关 / confirm the body of a waiting file'))
    .argument('<id>', '待确认文件的编号 / the waiting file’s id')
    .requiredOption('--body <body>', '机关（名称或编号） / the body (name or id)')
    .option('--year <year>', '报告年度（报告中没有时） / the year, when the report has none')
    .action(async (id: string, o: Common & { body: string; year?: string }) => {
      const d = await open(o);
      const body = resolveBody(await listBodies(d), o.body);
      const r = await confirmPending(d, Number(id), { bodyId: body.id, year: o.year ? yearOf(o.year) : null }, user(o), pool());
      await out(`已确认：归入 ${body.name}（报告编号 ${r.reportId}，第 ${r.version} 版）。\n`);
    });
  common(program.command('reject').description('不予导入 / reject a waiting file'))
    .argument('<id>', '待确认文件的编号 / the waiting file’s id')
    .action(async (id: string, o: Common) => {
      const d = await open(o);
      const { decidePending } = await import('../store/supervise.js');
      await decidePending(d, Number(id), { reportId: null }, user(o));
      await out('已不予导入。\n');
    });

  // ---------------------------------------------------------------- the year
  common(program.command('status').description('年报发布情况 / who has reported for a year'))
    .argument('<year>', '报告年度 / the year reported on')
    .option('--state <state>', '只列：unpublished | overdue | late | published | errors | unreviewed')
    .option('--today <date>', '以该日为今天 YYYY-MM-DD / take this day as today')
    .option('--out <file>', '导出到 .xlsx 或 .csv / export to .xlsx or .csv')
    .option('--json', '输出 JSON / print JSON')
    .action(async (y: string, o: Common & { state?: string; today?: string; out?: string; json?: boolean }) => {
      const year = yearOf(y);
      const d = await open(o);
      const { scopeId, scopeName } = await scope(d, o);
      const t = o.today ?? today();
      const s = await yearStatus(d, scopeId, year, t);
      const keep = (r: (typeof s.rows)[number]) => {
        switch (o.state) {
          case undefined:
            return true;
          case 'unpublished':
            return r.status.state === 'unpublished';
          case 'overdue':
            return r.status.state === 'unpublished' && r.status.overdue;
          case 'late':
            return r.status.state === 'late';
          case 'published':
            return r.status.state !== 'unpublished';
          case 'errors':
            return r.status.errors > 0;
          case 'unreviewed':
            return r.status.state !== 'unpublished' && !r.status.reviewedBy;
          default:
            throw new InputError(
              `--state 应为 unpublished、overdue、late、published、errors 或 unreviewed（收到“${o.state}”）。`,
              `--state must be unpublished, overdue, late, published, errors or unreviewed (got "${o.state}").`,
            );
        }
      };
      const rows = s.rows.filter(keep);
      if (o.out) {
        const { statusCsv, statusXlsx } = await import('../supervise/export.js');
        const meta = { scopeName, year, today: t };
        const bytes =
          extname(o.out).toLowerCase() === '.csv' ? await statusCsv(rows, s.counts, meta) : await statusXlsx(rows, s.counts, meta);
        await writeOutputFile(o.out, bytes);
      }
      if (o.json) return out(`${JSON.stringify({ year, today: t, deadlines: s.deadlines, counts: s.counts, rows }, null, 2)}\n`);
      const c = s.counts;
      const lines = [
        `${scopeName} ${year} 年度：应发布 ${c.bodies} 家，已发布 ${c.published + c.late} 家（其中逾期 ${c.late} 家），未发布 ${c.unpublished} 家（已过期限 ${c.overdue} 家），有错误 ${c.withErrors} 家，已复核 ${c.reviewed} 家。`,
      ];
      lines.push(
        table([
          ['机关', '截止日期', '状态', '发布日期', '逾期天数', '错误', '复核'],
          ...rows.map((r) => [
            r.body.name,
            r.status.deadline,
            r.status.state === 'unpublished' && r.status.overdue ? '逾期未发布' : FILING_STATE_ZH[r.status.state],
            r.status.publishedOn ?? (r.status.state === 'unpublished' ? '' : '日期不明'),
            r.status.daysLate,
            r.status.errors || '',
            r.status.reviewedBy ?? '',
          ]),
        ]).trimEnd(),
      );
      if (o.out) lines.push(`已导出到 ${o.out}。`);
      await out(`${lines.join('\n')}\n`);
    });

  common(program.command('rollup').description('区域汇总 / the region’s totals'))
    .argument('<year>', '报告年度 / the year reported on')
    .option('--cell <key>', '只看一个单元格（如 applications.newReceived.total），列出下级 / one cell, with the bodies under')
    .option('--out <file>', '导出到 .xlsx / export to .xlsx')
    .option('--json', '输出 JSON / print JSON')
    .action(async (y: string, o: Common & { cell?: string; out?: string; json?: boolean }) => {
      const year = yearOf(y);
      const d = await open(o);
      const { scopeId, scopeName } = await scope(d, o);
      const { bodies, totals } = await yearRollup(d, scopeId, year);
      const rootId = scopeId ?? bodies.find((b) => b.parentId === null)?.id;
      if (rootId === undefined) return out('名录为空。\n');
      if (o.out) {
        const { rollupXlsx } = await import('../supervise/export.js');
        await writeOutputFile(o.out, await rollupXlsx(bodies, totals, { scopeName, year, rootId }));
      }
      const root = totals.get(rootId);
      if (o.json) {
        const list = bodies.map((b) => totals.get(b.id)).filter(Boolean);
        return out(`${JSON.stringify({ year, root: rootId, totals: list }, null, 2)}\n`);
      }
      const format = year >= 2021 ? '2021' : '2019';
      if (o.cell) {
        if (!cellDefs(format).some((c) => c.key === o.cell)) {
          throw new InputError(`没有单元格“${o.cell}”（见 nianbao rollup ${year} 的输出）。`, `No cell "${o.cell}".`);
        }
        const { drillDown } = await import('../supervise/rollup.js');
        const rows = drillDown(bodies, totals, rootId, o.cell);
        return out(
          `${cellLabel(o.cell)}：${root?.region[o.cell] ?? 0}（本级 ${root?.own?.[o.cell] ?? '无报告'}）\n${table([['下级机关', '区域合计', '本级', '报告数'], ...rows.map((r) => [r.name, r.region, r.own, r.reports])])}`,
        );
      }
      const lines = [
        `${bodies.find((b) => b.id === rootId)?.name ?? ''} ${year} 年度区域汇总（${root?.reports ?? 0} 份报告 / ${root?.bodies ?? 0} 个机关）：`,
      ];
      for (const c of cellDefs(format)) lines.push(`${c.tableName} / ${c.row} / ${c.column}\t${root?.region[c.key] ?? 0}\t${c.key}`);
      if (o.out) lines.push(`已导出到 ${o.out}。`);
      await out(`${lines.join('\n')}\n`);
    });

  const loadRubric = async (file?: string): Promise<Rubric> => {
    if (!file) return defaultRubric();
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new InputError(`无法读取评分细则 ${file}：${fsReason(e).zh}。`, `Cannot read the rubric ${file}: ${fsReason(e).en}.`);
    }
    return parseRubric(text, file);
  };

  common(program.command('score').description('评分和排名 / scores and the ranking'))
    .argument('<year>', '报告年度 / the year reported on')
    .option('--rubric <file>', '评分细则（JSON/YAML；缺省为示例细则） / the rubric (default: the example)')
    .option('--group <by>', '排名分组：tier（层级，缺省）| parent（上级）| all', 'tier')
    .option('--today <date>', '以该日为今天 YYYY-MM-DD / take this day as today')
    .option('--out <file>', '导出到 .xlsx（排名和扣分明细）或 .docx（通报草稿） / export')
    .option('--json', '输出 JSON / print JSON')
    .action(async (y: string, o: Common & { rubric?: string; group: string; today?: string; out?: string; json?: boolean }) => {
      const year = yearOf(y);
      if (!['tier', 'parent', 'all'].includes(o.group)) {
        throw new InputError(
          `--group 应为 tier、parent 或 all（收到“${o.group}”）。`,
          `--group must be tier, parent or all (got "${o.group}").`,
        );
      }
      const rubric = await loadRubric(o.rubric);
      const d = await open(o);
      const { scopeId, scopeName } = await scope(d, o);
      const t = o.today ?? today();
      const s = await yearScores(d, scopeId, year, rubric, pool(), t, o.group as 'tier');
      if (o.out) {
        const ex = await import('../supervise/export.js');
        if (extname(o.out).toLowerCase() === '.docx') {
          const st = await yearStatus(d, scopeId, year, t);
          await writeOutputFile(
            o.out,
            await ex.bulletinDocx({
              scopeName,
              year,
              today: t,
              counts: st.counts,
              ranking: s.ranking,
              scores: s.scores,
              bodies: s.bodies,
              statuses: s.statuses,
              copies: s.copies,
              rubricName: rubric.name,
            }),
          );
        } else
          await writeOutputFile(
            o.out,
            await ex.rankingXlsx({ ranking: s.ranking, scores: s.scores, bodies: s.bodies }, { scopeName, year, rubricName: rubric.name }),
          );
      }
      if (o.json) return out(`${JSON.stringify({ year, rubric: rubric.name, ranking: s.ranking, scores: s.scores }, null, 2)}\n`);
      const names = new Map(s.bodies.map((b) => [b.id, b.name]));
      const byBody = new Map(s.scores.map((x) => [x.bodyId, x]));
      const lines = [`${scopeName} ${year} 年度评分（${rubric.name}）：`];
      lines.push(
        table([
          ['名次', '机关', '得分', '等次', '扣分项'],
          ...s.ranking.map((r) => {
            const sc = byBody.get(r.bodyId);
            return [
              r.rank,
              names.get(r.bodyId) ?? '',
              r.score,
              sc?.failed ? '否决' : (sc?.grade ?? ''),
              (sc?.deductions ?? [])
                .filter((x) => x.points > 0)
                .map((x) => `${x.itemName} −${x.points}`)
                .join('；'),
            ];
          }),
        ]).trimEnd(),
      );
      if (o.out) lines.push(`已导出到 ${o.out}。`);
      await out(`${lines.join('\n')}\n`);
    });

  common(program.command('copies').description('跨机关雷同 / text copied between bodies'))
    .argument('<year>', '报告年度 / the year reported on')
    .option('--threshold <ratio>', '相似度阈值 0～1（缺省 0.5） / the similarity threshold', '0.5')
    .option('--json', '输出 JSON / print JSON')
    .action(async (y: string, o: Common & { threshold: string; json?: boolean }) => {
      const year = yearOf(y);
      const threshold = Number(o.threshold);
      if (!(threshold > 0 && threshold <= 1)) {
        throw new InputError(
          `--threshold 应为 0 到 1 之间的数（收到“${o.threshold}”）。`,
          `--threshold must be a number in (0, 1] (got "${o.threshold}").`,
        );
      }
      const d = await open(o);
      const { scopeId, bodies } = await scope(d, o);
      const pairs = await yearCopies(d, scopeId, year, pool(), threshold);
      if (o.json) return out(`${JSON.stringify(pairs, null, 2)}\n`);
      const names = new Map(bodies.map((b) => [b.id, b.name]));
      if (pairs.length === 0) return out(`${year} 年度没有相似度达到 ${threshold} 的机关。\n`);
      const lines: string[] = [];
      for (const p of pairs) {
        lines.push(
          `${names.get(p.a)} ↔ ${names.get(p.b)}：${p.section === 'overview' ? '总体情况' : '存在的主要问题及改进情况'}相似 ${Math.round(p.ratio * 100)}%`,
        );
        for (const x of p.passages.slice(0, 2)) lines.push(`  “${x.a}”\n  “${x.b}”`);
      }
      await out(`${lines.join('\n')}\n`);
    });

  common(program.command('versions').description('报告的各个版本及其差异 / the versions of a report and what changed'))
    .argument('<body>', '机关（名称或编号） / the body')
    .argument('<year>', '报告年度 / the year')
    .option('--json', '输出 JSON / print JSON')
    .action(async (ref: string, y: string, o: Common & { json?: boolean }) => {
      const year = yearOf(y);
      const d = await open(o);
      const body = resolveBody(await listBodies(d), ref);
      const versions = await versionsWithDiff(d, body.id, year);
      if (o.json) return out(`${JSON.stringify(versions, null, 2)}\n`);
      if (versions.length === 0) return out(`${body.name} ${year} 年度没有报告。\n`);
      const lines = [`${body.name} ${year} 年度报告共 ${versions.length} 版：`];
      for (const v of versions) {
        lines.push(`第 ${v.version} 版：${v.fileName}（导入于 ${v.uploadedAt.slice(0, 10)}，发布日期 ${v.publishedOn ?? '不明'}）`);
        if (!v.diff) continue;
        if (v.diff.same) lines.push('  内容与上一版相同（另一种格式或另一份文件）。');
        for (const c of v.diff.cells) lines.push(`  ${c.label}：${c.before ?? '空'} → ${c.after ?? '空'}`);
        for (const sct of v.diff.sections) {
          for (const x of sct.removed) lines.push(`  ${sct.label} 删去：${x}`);
          for (const x of sct.added) lines.push(`  ${sct.label} 新增：${x}`);
        }
        for (const m of v.diff.meta)
          lines.push(
            `  ${m.field === 'publishedOn' ? '发布日期' : m.field === 'format' ? '格式' : '发布机关'}：${m.before ?? '空'} → ${m.after ?? '空'}`,
          );
      }
      await out(`${lines.join('\n')}\n`);
    });

  common(program.command('settings').description('本辖区的年报期限和评分细则 / the jurisdiction’s deadlines and rubric'))
    .option('--government <MM-DD>', '人民政府的期限（次年月日，法定 03-31） / governments’ deadline')
    .option('--department <MM-DD>', '政府部门的期限（次年月日，法定 01-31） / departments’ deadline')
    .option('--statutory', '恢复法定期限 / back to the statutory deadlines')
    .option('--rubric <file>', '评分细则（JSON/YAML） / the rubric')
    .option('--example-rubric', '恢复示例评分细则 / back to the example rubric')
    .option('--json', '输出 JSON / print JSON')
    .action(
      async (
        o: Common & {
          government?: string;
          department?: string;
          statutory?: boolean;
          rubric?: string;
          exampleRubric?: boolean;
          json?: boolean;
        },
      ) => {
        const d = await open(o);
        const { scopeId, scopeName, bodies } = await scope(d, o);
        if (scopeId === null) throw new InputError('请用 --under 指定辖区（机关）。', 'Give the jurisdiction with --under.');
        const changes: { deadlines?: Deadlines | null; rubric?: Rubric | null } = {};
        if (o.statutory) changes.deadlines = null;
        else if (o.government || o.department) {
          const current = (await settingsFor(d, scopeId, bodies)).deadlines ?? STATUTORY_DEADLINES;
          const next = { government: o.government ?? current.government, department: o.department ?? current.department };
          for (const [k, v] of Object.entries(next)) {
            if (!validMonthDay(v))
              throw new InputError(
                `期限应为“MM-DD”格式的月日，如 03-31（${k}：“${v}”）。`,
                `Deadlines are month-days "MM-DD" (${k}: "${v}").`,
              );
          }
          changes.deadlines = next;
        }
        if (o.exampleRubric) changes.rubric = null;
        else if (o.rubric) changes.rubric = await loadRubric(o.rubric);
        if (Object.keys(changes).length > 0) await saveSettings(d, scopeId, changes, user(o));
        const now = await settingsFor(d, scopeId, bodies);
        const deadlines = now.deadlines ?? STATUTORY_DEADLINES;
        const rubricName = now.rubric ? ((now.rubric as { name?: string }).name ?? '自定义') : `${defaultRubric().name}（示例）`;
        if (o.json)
          return out(`${JSON.stringify({ scope: scopeName, deadlines, statutory: STATUTORY_DEADLINES, rubric: rubricName }, null, 2)}\n`);
        await out(
          `${scopeName}：人民政府 次年 ${deadlines.government}，政府部门 次年 ${deadlines.department}（法定 ${STATUTORY_DEADLINES.government} / ${STATUTORY_DEADLINES.department}）；评分细则：${rubricName}。\n`,
        );
      },
    );

  common(program.command('review').description('标记已复核 / mark a body’s report as reviewed'))
    .argument('<body>', '机关（名称或编号） / the body')
    .argument('<year>', '报告年度 / the year')
    .option('--note <text>', '复核意见 / a note', '')
    .action(async (ref: string, y: string, o: Common & { note: string }) => {
      const year = yearOf(y);
      const d = await open(o);
      const body = resolveBody(await listBodies(d), ref);
      await setReview(d, body.id, year, user(o), o.note);
      await out(`已标记 ${body.name} ${year} 年度报告为已复核。\n`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) code = exitStatusOf(e);
    else if (e instanceof NianbaoError) {
      process.stderr.write(`错误：${e.zh}\nError: ${e.en}\n`);
      code = 2;
    } else {
      const m = e instanceof Error ? e.message : String(e);
      process.stderr.write(`错误：${m}\nError: ${m}\n`);
      code = 2;
    }
  } finally {
    await jobs?.close();
    await db?.destroy();
  }
  return code;
}
