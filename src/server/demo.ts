/**
 * Demo data for `nianbao serve --demo`: an agency tree, one user of each role, the real reports
 * of examples/ in the report library (read and checked by the pipeline), two years of generated
 * register cases for the clerk's agency (so that statistics and the overdue / due-soon lists have
 * something to show) and a saved 年报编制 draft with 表一 figures.
 *
 * Loaded only into a database without agencies: loading twice does nothing the second time.
 */

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sql } from 'kysely';
import type { Report } from '../model/report.js';
import { addCalendarDays, addWorkingDays, isWorkingDay } from '../register/calendar.js';
import { type Case, type CaseEvent, createCase, DUE_SOON_DAYS, type NewCase, REPLY_DAYS, type ReplyOutcome } from '../register/case.js';
import { daysBetween, mulberry32, randomCase } from '../register/generate.js';
import {
  type Agency,
  type AgencyLevel,
  type AppDb,
  countAgencies,
  createAgency,
  createUser,
  ensureAppSchema,
  insertReport,
  type Role,
  regDb,
  saveDraft,
} from '../store/app.js';
import { dbKind } from '../store/db.js';
import { putNoticeSettings } from '../store/notices.js';
import { addCase, addEvent } from '../store/register.js';
import { cellVector } from '../supervise/rollup.js';
import { PACKAGE_ROOT } from './context.js';
import { checkReport, figuresOf, readInput } from './pipeline.js';

export interface DemoAccount {
  username: string;
  password: string;
  name: string;
  role: Role;
  /** the agency's name */
  agency: string;
  /** what the account shows, in Chinese */
  note: string;
}

const PROVINCE = '示范省人民政府';
const CITY = '示范市人民政府';
const COUNTY = '示范市东区人民政府';
const COUNTY2 = '示范市西县人民政府';
const NEIGHBOUR = '邻市人民政府';

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    username: 'admin',
    password: 'admin-demo',
    name: '系统管理员',
    role: 'admin',
    agency: PROVINCE,
    note: '管理员：全省所有机关、用户管理',
  },
  {
    username: 'clerk',
    password: 'clerk-demo',
    name: '张三',
    role: 'clerk',
    agency: COUNTY,
    note: '经办人：东区的登记簿、年报编制、报告上传',
  },
  { username: 'clerk2', password: 'clerk2-demo', name: '李四', role: 'clerk', agency: COUNTY2, note: '经办人：西县（看不到东区的数据）' },
  {
    username: 'reviewer',
    password: 'reviewer-demo',
    name: '王五',
    role: 'reviewer',
    agency: CITY,
    note: '审核人：示范市及其下属机关，只读登记簿',
  },
  { username: 'readonly', password: 'readonly-demo', name: '赵六', role: 'readonly', agency: COUNTY, note: '只读：东区' },
];

export interface DemoResult {
  loaded: boolean;
  accounts: readonly DemoAccount[];
  agencies: number;
  reports: number;
  cases: number;
  /** files that could not be loaded, and why (Chinese) */
  notes: string[];
}

function levelOf(name: string): AgencyLevel {
  if (/街道办事处|乡人民政府|镇人民政府/.test(name)) return 'township';
  if (/省人民政府/.test(name)) return 'province';
  if (/[区县]人民政府/.test(name)) return 'county';
  if (/市人民政府/.test(name)) return 'city';
  return 'department';
}

const PEOPLE = ['王建国', '李秀英', '张伟', '刘洋', '陈静', '杨磊', '赵敏', '黄海', '周婷', '吴强', '徐明', '孙丽', '马超', '朱红', '胡军'];
const COMPANIES = ['示范市宏达建设有限公司', '东区瑞丰商贸有限公司', '示范新能源科技有限公司', '东区安居物业服务有限公司'];
const ORGS: Record<string, string[]> = {
  research: ['示范大学公共管理学院', '示范市社会科学院'],
  publicInterest: ['示范市环保志愿者协会', '东区助残服务中心'],
  legalService: ['示范明德律师事务所', '东区法律援助工作站'],
  other: ['东区某业主委员会', '某村村民委员会'],
};
const REQUESTS = [
  '东区2024年度财政预算执行情况及决算报告',
  '某小区建设工程规划许可证及附图',
  '本区老旧小区改造项目清单及资金安排',
  '某路段道路拓宽工程征收补偿方案',
  '东区中小学学区划分方案',
  '某企业环境影响评价批复文件',
  '本区最低生活保障对象审核标准',
  '某地块国有土地使用权出让合同',
  '区政府常务会议纪要中涉及本村土地征收的内容',
  '本区2025年重大行政决策事项目录',
  '某建设项目竣工验收备案材料',
  '东区城市更新专项规划',
];

function demoApplicant(id: string, receivedOn: string, drawn: NewCase['applicantType'], i: number, by: string): NewCase {
  // most applicants are natural persons
  const applicantType = i % 10 < 7 ? 'naturalPerson' : drawn;
  const name =
    applicantType === 'naturalPerson'
      ? PEOPLE[i % PEOPLE.length]
      : applicantType === 'commercial'
        ? COMPANIES[i % COMPANIES.length]
        : ORGS[applicantType][i % ORGS[applicantType].length];
  const person = applicantType === 'naturalPerson';
  return {
    id,
    applicant: {
      name,
      identity: person
        ? {
            type: '居民身份证',
            number: `41010219${String(70 + (i % 30))}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(1000 + ((i * 37) % 9000))}`,
          }
        : { type: '统一社会信用代码', number: `91410100MA${String(10_000_000 + i * 7919).slice(-8)}` },
      contact: { phone: `1380371${String(1000 + ((i * 53) % 9000))}`, address: '示范市东区人民路1号' },
    },
    applicantType,
    request: { description: REQUESTS[(i * 7) % REQUESTS.length] },
    delivery: { form: i % 3 === 0 ? '纸质' : '电子', channel: i % 3 === 0 ? '邮寄' : '电子邮件' },
    receipt:
      i % 4 === 0
        ? { channel: 'inPerson', arrivedOn: receivedOn }
        : i % 4 === 1
          ? { channel: 'post', arrivedOn: receivedOn }
          : { channel: 'internet', arrivedOn: receivedOn, confirmedOn: receivedOn },
    registeredBy: by,
  };
}

/** replies as a 政府信息公开办 sees them: mostly 予以公开 and 本机关不掌握 */
const OUTCOME_WEIGHTS: [ReplyOutcome, number][] = [
  ['granted', 38],
  ['partlyGranted', 12],
  ['withheldStateSecret', 1],
  ['withheldLawProhibited', 1],
  ['withheldSecurityStability', 1],
  ['withheldThirdParty', 3],
  ['withheldInternalAffairs', 2],
  ['withheldProcessInfo', 3],
  ['withheldEnforcementFile', 1],
  ['withheldQueryMatter', 2],
  ['unableNotHeld', 20],
  ['unableNeedsCreation', 5],
  ['notProcessedComplaint', 4],
  ['notProcessedDuplicate', 3],
  ['notProcessedPublication', 1],
  ['notProcessedExcessive', 1],
  ['notProcessedConfirmation', 1],
  ['otherOther', 1],
];

function demoOutcome(u: number): ReplyOutcome {
  const total = OUTCOME_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let x = u * total;
  for (const [o, w] of OUTCOME_WEIGHTS) {
    if (x < w) return o;
    x -= w;
  }
  return 'granted';
}

/** about 130 applications a year from 1 January of last year to `today`, each as it stood on `today` */
export function demoCases(today: string, seed = 2026): Case[] {
  const year = Number(today.slice(0, 4));
  const from = `${year - 1}-01-01`;
  const days = daysBetween(from, today) + 1;
  const n = Math.round((days * 130) / 365);
  const rand = mulberry32(seed);
  const by = '张三';
  const raw: Case[] = [];
  for (let i = 0; i < n; i++) {
    raw.push(
      randomCase(rand, i, from, days, {
        until: today,
        by,
        outcome: demoOutcome,
        make: (id, on, type) => demoApplicant(id, on, type, i, by),
      }),
    );
  }
  // an office keeps up with its register: of the applications still open after two months, only
  // the two latest stay (the “已逾期” list); the generator's other stragglers are left out
  const recent = addCalendarDays(today, -60);
  const stale = raw.filter((c) => c.state.closed === null && c.receivedOn < recent).sort((a, b) => (a.receivedOn < b.receivedOn ? 1 : -1));
  const dropped = new Set(stale.slice(2));
  for (let i = raw.length - 1; i >= 0; i--) if (dropped.has(raw[i])) raw.splice(i, 1);
  // two applications due within the next 3 working days, still open (the “即将到期” list)
  const soon = addWorkingDays(today, DUE_SOON_DAYS).due;
  for (let back = 20, k = 0; back < 60 && k < 2; back++) {
    const d = addCalendarDays(today, -back);
    if (!isWorkingDay(d)) continue;
    const due = addWorkingDays(d, REPLY_DAYS).due;
    if (due > today && due <= soon) raw.push(createCase(demoApplicant(`S${k}`, d, 'naturalPerson', n + k++, by)));
  }
  // numbered per year of receipt, in order of receipt: 2025-001, 2025-002, …
  raw.sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : 0));
  const seq = new Map<string, number>();
  return raw.map((c) => {
    const y = c.receivedOn.slice(0, 4);
    const k = (seq.get(y) ?? 0) + 1;
    seq.set(y, k);
    const id = `${y}-${String(k).padStart(3, '0')}`;
    // at most one 行政复议/行政诉讼 per generated case
    const events = c.events.map((e) => (e.type === 'proceedingFiled' || e.type === 'proceedingDecided' ? { ...e, id: `${id}-1` } : e));
    return { ...c, id, events };
  });
}

function draftFor(agency: string, year: number, today: string) {
  const publishedOn = `${year + 1}-01-20`;
  return {
    agency,
    publishedOn: publishedOn <= today ? publishedOn : null,
    proactive: {
      regulations: { issued: 0, repealed: 0, inForce: 0 },
      normativeDocuments: { issued: 6, repealed: 2, inForce: 35 },
      licensing: { decisions: 1520 },
      punishment: { decisions: 318 },
      enforcement: { decisions: 12 },
      fees: { amount: '0' },
    },
    sections: {
      overview: `${year}年，东区人民政府坚持以公开为常态、不公开为例外，认真贯彻落实《中华人民共和国政府信息公开条例》，围绕全区中心工作，深化重点领域信息公开，规范依申请公开办理，加强政府信息管理和平台建设，政府信息公开工作取得新进展。（一）主动公开方面，及时公开财政预决算、重大建设项目、民生保障等信息。（二）依申请公开方面，严格按照法定期限和程序办理，做到件件有登记、事事有回音。（三）政府信息管理方面，落实公开属性源头认定和保密审查制度。（四）平台建设方面，优化政府网站信息公开专栏。（五）监督保障方面，将政务公开纳入年度绩效考核。`,
      problems: `${year}年，我区政府信息公开工作仍存在一些不足：一是部分单位主动公开的及时性有待提高；二是依申请公开答复的规范性还需加强。针对上述问题，下一步将重点做好以下工作：一是建立信息发布提醒机制，确保应公开尽公开；二是加强业务培训，规范答复文书。上年度报告所列“政策解读形式单一”的问题，已通过增加图解、视频解读等方式整改落实。`,
      other: `${year}年，本机关未收取政府信息公开信息处理费。全区政务公开工作要点落实情况已在区政府门户网站公开。`,
    },
  };
}

async function exampleFiles(): Promise<string[]> {
  const dir = join(PACKAGE_ROOT, 'examples');
  const files: string[] = [];
  try {
    for (const f of (await readdir(join(dir, 'demo'))).sort())
      if (/\.(txt|pdf|docx|xlsx|html?|md)$/i.test(f)) files.push(join(dir, 'demo', f));
  } catch {
    // no examples/demo in this installation
  }
  files.push(join(dir, 'huaian-hongze-2024.pdf'));
  return files;
}

/** loads the demo data into a database without agencies; `today` (YYYY-MM-DD) dates the register */
export async function loadDemo(db: AppDb, opts: { today: string; log?: (line: string) => void }): Promise<DemoResult> {
  await ensureAppSchema(db);
  const empty: DemoResult = { loaded: false, accounts: DEMO_ACCOUNTS, agencies: 0, reports: 0, cases: 0, notes: [] };
  if ((await countAgencies(db)) > 0) return empty;
  const today = demoToday(opts.today);
  const who = 'demo';
  const notes: string[] = [];
  const rdb = regDb(db);
  const sqlite = dbKind(rdb) === 'sqlite';
  // one transaction per register change as always, but no fsync for each while the demo loads
  if (sqlite) await sql`PRAGMA synchronous = OFF`.execute(rdb);
  try {
    const agencies = new Map<string, Agency>();
    const add = async (name: string, parent: string | null, level: AgencyLevel) => {
      const a = await createAgency(db, { name, parentId: parent === null ? null : agencies.get(parent)!.id, level }, who);
      agencies.set(name, a);
      return a;
    };
    await add(PROVINCE, null, 'province');
    await add(CITY, PROVINCE, 'city');
    await add(COUNTY, CITY, 'county');
    await add('示范市东区教育局', COUNTY, 'department');
    await add('示范市东区城关街道办事处', COUNTY, 'township');
    await add(COUNTY2, CITY, 'county');
    await add(NEIGHBOUR, PROVINCE, 'city');
    // scrypt runs on the thread pool: hash the passwords side by side
    await Promise.all(
      DEMO_ACCOUNTS.map((u) =>
        createUser(
          db,
          { username: u.username, name: u.name, password: u.password, role: u.role, agencyId: agencies.get(u.agency)!.id },
          who,
        ),
      ),
    );

    // the report library: agencies named after each report's publisher, under the city
    const read: {
      file: string;
      bytes: Uint8Array;
      report: Report;
      kind: string;
      source: Awaited<ReturnType<typeof readInput>>['source'];
    }[] = [];
    for (const file of await exampleFiles()) {
      try {
        const bytes = new Uint8Array(await readFile(file));
        const { report, kind, source } = await readInput(bytes, basename(file));
        read.push({ file, bytes, report, kind, source });
      } catch (e) {
        notes.push(`${basename(file)}：${e instanceof Error ? e.message : String(e)}`);
      }
    }
    read.sort((a, b) => (a.report.year ?? 0) - (b.report.year ?? 0) || (a.file < b.file ? -1 : 1));
    const byAgency = new Map<number, Map<number, Report>>();
    for (const r of read) {
      const name = (r.report.agency ?? '').replace(/\s+/g, '') || '未识别机关';
      // 洪泽区人民政府 and 淮安市洪泽区人民政府 are one agency
      let agency = [...agencies.values()].find((a) => a.name === name || a.name.endsWith(name) || name.endsWith(a.name));
      if (!agency || [PROVINCE, CITY, COUNTY, COUNTY2, NEIGHBOUR].includes(agency.name)) {
        agency = agencies.get(name) ?? (await add(name, CITY, levelOf(name)));
      }
      const previous = r.report.year !== null ? (byAgency.get(agency.id)?.get(r.report.year - 1) ?? null) : null;
      const result = checkReport(r.report, r.source, previous);
      await insertReport(
        db,
        {
          agencyId: agency.id,
          year: r.report.year,
          format: r.report.format,
          fileName: basename(r.file),
          kind: r.kind,
          uploadedBy: 'admin',
          original: r.bytes,
          report: r.report,
          diagnostics: result.diagnostics,
          source: r.source,
          figures: figuresOf(r.report, result.diagnostics),
          ...result.summary,
          // what supervision reads: the file's hash, the publication date, the cells for the roll-ups
          contentHash: createHash('sha256').update(r.bytes).digest('hex'),
          publishedOn: r.report.publishedOn,
          cells: cellVector(r.report).values,
        },
        'admin',
      );
      if (r.report.year !== null) {
        const years = byAgency.get(agency.id) ?? new Map<number, Report>();
        years.set(r.report.year, r.report);
        byAgency.set(agency.id, years);
      }
    }

    // the register of the clerk's agency
    const county = agencies.get(COUNTY)!;
    const reg = String(county.id);
    const cases = demoCases(today);
    for (const c of cases) {
      const { receivedOn: _r, events, state: _s, ...input } = c;
      await addCase(rdb, input as NewCase, 'clerk', reg);
      for (const e of events) await addEvent(rdb, c.id, e as CaseEvent, 'clerk', {}, reg);
    }

    // the settings of its notices (文书): who reviews, which court, how to reach the office
    await putNoticeSettings(
      rdb,
      reg,
      {
        agencyName: COUNTY,
        numberPattern: '东政依申〔{year}〕第{n}号',
        reviewBody: CITY,
        court: '示范市中级人民法院',
        contact: '联系人：政务公开办公室　联系电话：0000-12345678\n地址：东区人民路1号',
        payMethod: '通过非税收入统一缴款平台缴纳（缴款码随本通知书送达）',
      },
      'admin',
    );

    const year = Number(today.slice(0, 4)) - 1;
    await saveDraft(db, county.id, year, draftFor(COUNTY, year, today), 'clerk');
    opts.log?.(`已载入演示数据：${agencies.size} 个机关、${DEMO_ACCOUNTS.length} 个用户、${read.length} 份报告、${cases.length} 件申请。`);
    return { loaded: true, accounts: DEMO_ACCOUNTS, agencies: agencies.size, reports: read.length, cases: cases.length, notes };
  } finally {
    if (sqlite) await sql`PRAGMA synchronous = FULL`.execute(rdb);
  }
}

/** the demo's “today”: today (the calendar covers every day, provisionally where no notice is known) */
export function demoToday(date: string): string {
  return date;
}
