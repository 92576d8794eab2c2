/**
 * `nianbao register notice…`: the notices (文书) of the register.
 *
 *   notices CASE_ID [--json]             the notices the case calls for, and those issued
 *   notice CASE_ID [--kind K] [--step N] [--to docx|pdf|text] [-o FILE] [--set 名称=文本 …]
 *          [--on YYYY-MM-DD] [--draft] [--reissue]
 *                                        issue the notice of a step (numbered, stored unchanged) and
 *                                        write it; a notice already issued is written as issued (no
 *                                        new number) unless --reissue; --draft writes a draft only
 *   notice-settings [--set 名称=值 …] [--json]
 *                                        show or change the settings (发文机关名称, 发文字号格式,
 *                                        行政复议机关, 管辖法院, 联系方式, 缴费方式, 印章位置文字)
 *   notice-template KEY [--file T.json | --reset] [--json]
 *                                        show, replace (validated) or reset a template; KEY is the
 *                                        notice's Chinese name (补正告知书) or its key
 *
 * Exit status: 0 done; 1 the notice cannot be issued yet (the problems are listed); 2 bad input.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { chineseDate, type NoticeDocument } from '../model/notice.js';
import { availableNotices, NOTICE_SPECS, type NoticeSettings, type NoticeSpec, noticeText, SETTING_ZH } from '../register/notices.js';
import { type NoticeFormat, noticeFileName, renderNotice } from '../render/notice.js';
import type { Db } from '../store/db.js';
import {
  draftFor,
  getNoticeSettings,
  getTemplates,
  type IssuedNotice,
  issueNotice,
  listNotices,
  putNoticeSettings,
  putTemplate,
  resetTemplate,
} from '../store/notices.js';
import { requireCase } from '../store/register.js';
import { fsReason, InputError, out, writeOutputFile } from './errors.js';

export interface NoticeCli {
  common: (c: Command) => Command;
  open: (o: NoticeCommon) => Promise<Db>;
  user: (o: NoticeCommon) => string;
  agency: (o: NoticeCommon) => string;
  readJson: (file: string | undefined) => Promise<unknown>;
  /** today in China Standard Time (NIANBAO_TODAY fixes it) */
  today: () => string;
  /** sets the exit status */
  exit: (code: number) => void;
}

export interface NoticeCommon {
  db?: string;
  user?: string;
  agencyId?: string;
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/** 名称=文本 pairs */
function pairs(list: string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const i = item.indexOf('=');
    if (i <= 0) throw new InputError(`${what}“${item}”应写作 名称=文本。`, `${what} "${item}" must be NAME=TEXT.`);
    out[item.slice(0, i).trim()] = item.slice(i + 1).replace(/\\n/g, '\n');
  }
  return out;
}

/** the notices a name may mean: its key, its Chinese name or title, or the start of its name (答复告知书) */
function specsNamed(name: string): NoticeSpec[] {
  const n = name.trim();
  const exact = NOTICE_SPECS.filter((s) => s.key === n || s.label === n);
  if (exact.length > 0) return exact;
  const loose = NOTICE_SPECS.filter((s) => s.template.title === n || s.label.startsWith(n) || s.template.title.endsWith(n));
  if (loose.length > 0) return loose;
  throw new InputError(
    `没有名为“${name}”的文书。可用的有：${NOTICE_SPECS.map((s) => s.label).join('、')}。`,
    `No notice "${name}". Known: ${NOTICE_SPECS.map((s) => s.key).join(', ')}.`,
  );
}

/** exactly one notice named */
function specNamed(name: string): NoticeSpec {
  const specs = specsNamed(name);
  if (specs.length > 1) {
    throw new InputError(
      `“${name}”可指多种文书：${specs.map((s) => s.label).join('、')}。请写全名称。`,
      `"${name}" may mean several notices: ${specs.map((s) => s.key).join(', ')}.`,
    );
  }
  return specs[0];
}

function format(to: string | undefined): NoticeFormat | 'text' {
  const f = (to ?? 'docx').toLowerCase();
  if (f !== 'docx' && f !== 'pdf' && f !== 'text') {
    throw new InputError(`--to 应为 docx、pdf 或 text，而不是“${to}”。`, `--to must be docx, pdf or text, not "${to}".`);
  }
  return f;
}

function issuedLine(n: IssuedNotice): string {
  return `${n.number}\t${n.issuedOn}\t${n.label}${n.supersededBy !== null ? '（已重新发文，被取代）' : ''}\t发文人 ${n.issuedBy}`;
}

export function noticeCommands(program: Command, cli: NoticeCli): void {
  const { common, open, user, agency, today } = cli;

  common(program.command('notices').description('申请的文书 / the notices of a case'))
    .argument('<caseId>', '申请编号 / case id')
    .option('--json', '输出 JSON / as JSON')
    .action(async (caseId: string, o: NoticeCommon & { json?: boolean }) => {
      const d = await open(o);
      const c = await requireCase(d, caseId, agency(o));
      const issued = await listNotices(d, caseId, agency(o));
      const available = availableNotices(c);
      if (o.json) {
        await out(`${JSON.stringify({ available, notices: issued }, null, 2)}\n`);
        return;
      }
      const lines = [`申请 ${caseId} 的文书：`];
      for (const a of available) {
        const current = issued.find((n) => n.seq === a.seq && n.supersededBy === null);
        lines.push(`  第${a.seq}步  ${a.on}  ${a.label}  ${current ? `已发文 ${current.number}（${current.issuedOn}）` : '未发文'}`);
      }
      if (issued.length > 0) lines.push('', '已发文书：', ...issued.map((n) => `  ${issuedLine(n)}`));
      await out(`${lines.join('\n')}\n`);
    });

  common(program.command('notice').description('生成并发出文书 / issue and write a notice'))
    .argument('<caseId>', '申请编号 / case id')
    .option('--kind <kind>', '文书（中文名称，如 补正告知书；缺省为该步应发的文书） / the notice')
    .option('--step <n>', '第几步（0 为登记回执；缺省为该文书最近的一步） / the step (0 = receipt)')
    .option('--to <format>', 'docx（缺省）、pdf 或 text / the output format', 'docx')
    .option('-o, --output <file>', '输出文件（缺省为当前目录下的文书名称；- 为标准输出） / output file')
    .option('--set <名称=文本>', '可编辑部分，如 --set 补正内容=请写明文号（可重复） / a free part (repeatable)', collect)
    .option('--on <date>', '发文日期（缺省为今天） / date of issue')
    .option('--draft', '只生成草稿，不编号、不保存 / a draft only: no number, nothing stored')
    .option('--reissue', '重新发文：新的文号，原文书保留 / reissue: a new number, the old one kept')
    .action(
      async (
        caseId: string,
        o: NoticeCommon & {
          kind?: string;
          step?: string;
          to?: string;
          output?: string;
          set?: string[];
          on?: string;
          draft?: boolean;
          reissue?: boolean;
        },
      ) => {
        const to = format(o.to);
        const d = await open(o);
        const reg = agency(o);
        const c = await requireCase(d, caseId, reg);
        const available = availableNotices(c);
        let step: number;
        let key: string | undefined;
        if (o.step !== undefined) {
          step = Number(o.step);
          if (!Number.isInteger(step) || step < 0)
            throw new InputError(`--step “${o.step}”不是步骤序号。`, `--step "${o.step}" is not a step number.`);
          if (o.kind) key = specNamed(o.kind).key;
        } else if (o.kind) {
          const specs = specsNamed(o.kind);
          const fits = (k: string, a: (typeof available)[number]) => a.key === k || a.alternatives.includes(k as never);
          const match = [...available].reverse().find((a) => specs.some((sp) => fits(sp.key, a)));
          if (!match) {
            throw new InputError(
              `申请“${caseId}”没有需要发出“${o.kind}”的步骤。该申请的文书：${available.map((a) => a.label).join('、')}。`,
              `Case "${caseId}" has no step calling for "${o.kind}".`,
            );
          }
          step = match.seq;
          // the step's own notice when the name fits it, else the alternative named
          key = specs.some((sp) => sp.key === match.key) ? match.key : specs.find((sp) => fits(sp.key, match))!.key;
        } else {
          step = available[available.length - 1].seq;
        }
        const on = o.on ?? today();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(on))
          throw new InputError(`--on “${on}”不是 YYYY-MM-DD 日期。`, `--on "${on}" is not a YYYY-MM-DD date.`);
        if (on > today()) throw new InputError(`发文日期 ${on} 晚于今天（${today()}）。`, `The date of issue ${on} is after today.`);
        const free = pairs(o.set, '--set');
        let doc: NoticeDocument;
        if (o.draft) {
          const draft = await draftFor(d, caseId, { seq: step, key, free, issuedOn: on }, reg);
          for (const p of draft.problems) process.stderr.write(`提示：发文前须处理：${p.zh}\nNote: before issuing: ${p.en}\n`);
          doc = draft.document;
        } else {
          const existing = (await listNotices(d, caseId, reg)).find((n) => n.seq === step && n.supersededBy === null);
          if (existing && !o.reissue) {
            if (Object.keys(free).length > 0) {
              throw new InputError(
                `第 ${step} 步的文书已发文（${existing.number}），内容不能再改。如需更正，请加 --reissue 重新发文。`,
                `The notice of step ${step} was already issued (${existing.number}); use --reissue to change it.`,
              );
            }
            process.stderr.write(`第 ${step} 步的文书已于 ${existing.issuedOn} 发文（${existing.number}），输出存档的文书。\n`);
            doc = existing.document;
          } else {
            try {
              const n = await issueNotice(
                d,
                caseId,
                { seq: step, key, free, issuedOn: on, supersedes: o.reissue ? existing?.id : undefined },
                user(o),
                reg,
              );
              process.stderr.write(`已发文：${n.number}（${n.label}，${chineseDate(n.issuedOn)}）\nIssued: ${n.number}\n`);
              doc = n.document;
            } catch (e) {
              const problems = (e as { details?: { problems?: { zh: string; en: string }[] } }).details?.problems;
              if (problems) {
                process.stderr.write('不能发文：\n');
                for (const p of problems) process.stderr.write(`  ${p.zh}\n  ${p.en}\n`);
                cli.exit(1);
                return;
              }
              throw e;
            }
          }
        }
        if (to === 'text') {
          const text = noticeText(doc);
          if (!o.output || o.output === '-') await out(text);
          else await writeOutputFile(o.output, text);
          return;
        }
        const bytes = await renderNotice(doc, to);
        const file = o.output ?? noticeFileName(doc, to);
        if (file === '-') {
          await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (e) => (e ? reject(e) : resolve())));
          return;
        }
        try {
          await writeFile(file, bytes);
        } catch (e) {
          throw new InputError(`无法写入 ${file}：${fsReason(e).zh}。`, `cannot write ${file}: ${fsReason(e).en}.`);
        }
        process.stderr.write(`已写入 ${file}\n`);
      },
    );

  const settingKey = (name: string): keyof NoticeSettings => {
    const n = name.trim();
    const k = (Object.keys(SETTING_ZH) as (keyof NoticeSettings)[]).find((x) => x === n || SETTING_ZH[x] === n);
    if (!k) {
      throw new InputError(
        `没有名为“${name}”的设置。可用的有：${Object.values(SETTING_ZH).join('、')}。`,
        `No setting "${name}". Known: ${Object.keys(SETTING_ZH).join(', ')}.`,
      );
    }
    return k;
  };

  common(program.command('notice-settings').description('文书设置 / the notice settings'))
    .option('--set <名称=值>', '修改设置，如 --set 行政复议机关=某市人民政府（可重复） / change a setting (repeatable)', collect)
    .option('--json', '输出 JSON / as JSON')
    .action(async (o: NoticeCommon & { set?: string[]; json?: boolean }) => {
      const d = await open(o);
      const changes: Partial<NoticeSettings> = {};
      for (const [k, v] of Object.entries(pairs(o.set, '--set'))) changes[settingKey(k)] = v;
      const s =
        Object.keys(changes).length > 0 ? await putNoticeSettings(d, agency(o), changes, user(o)) : await getNoticeSettings(d, agency(o));
      if (o.json) {
        await out(`${JSON.stringify(s, null, 2)}\n`);
        return;
      }
      const lines = (Object.keys(SETTING_ZH) as (keyof NoticeSettings)[]).map((k) => `${SETTING_ZH[k]}：${s[k] || '（未设置）'}`);
      await out(`${lines.join('\n')}\n`);
    });

  common(program.command('notice-template').description('文书模板 / a notice template'))
    .argument('<kind>', '文书（中文名称或键） / the notice')
    .option('--file <file>', '新模板 JSON：{"title": …, "paragraphs": […]} / the new template')
    .option('--reset', '恢复默认模板 / back to the shipped template')
    .option('--json', '输出 JSON / as JSON')
    .action(async (kind: string, o: NoticeCommon & { file?: string; reset?: boolean; json?: boolean }) => {
      const spec = specNamed(kind);
      const d = await open(o);
      if (o.file && o.reset) throw new InputError('--file 和 --reset 不能同时使用。', '--file and --reset exclude each other.');
      if (o.file) {
        const t = (await cli.readJson(o.file)) as { title: string; paragraphs: string[] };
        await putTemplate(d, agency(o), spec.key, t, user(o));
        process.stderr.write(`已保存“${spec.label}”的模板。\n`);
      }
      if (o.reset) {
        await resetTemplate(d, agency(o), spec.key, user(o));
        process.stderr.write(`“${spec.label}”已恢复默认模板。\n`);
      }
      const e = (await getTemplates(d, agency(o))).get(spec.key)!;
      if (o.json) {
        await out(
          `${JSON.stringify({ key: spec.key, label: spec.label, custom: e.custom, ...e.template, required: spec.required, cite: spec.cite }, null, 2)}\n`,
        );
        return;
      }
      await out(
        `${[
          `${spec.label}（${e.custom ? '本机关模板' : '默认模板'}）`,
          `标题：${e.template.title}`,
          ...e.template.paragraphs.map((p, i) => `第${i + 1}段：${p}`),
          `必须保留：${spec.required.map((r) => `{{${r}}}`).join('、')}；须引用：${spec.cite.join('或')}`,
        ].join('\n')}\n`,
      );
    });
}
