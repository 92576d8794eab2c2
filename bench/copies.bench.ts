/**
 * 雷同 across the bodies of a province (`findCopies`, src/supervise/copies.ts): N bodies (default
 * 1,000 and 3,000), each with a “一、总体情况” and a “五、存在的主要问题及改进情况” of about 1,500–
 * 3,000 characters, written from a vocabulary whose words are drawn with Zipf's law (a few
 * hundred real words of the reports at the top ranks, then thousands of others), so that
 * unrelated bodies share the common phrases as real reports do. Every body carries the province's
 * template sentences (boilerplate) and its county's paragraph (40 bodies per county: shared, but
 * not by enough bodies to be boilerplate at 1,000 or more bodies, so those pairs are counted, and
 * they make the costliest posting lists); it names itself a few times; and 2 % of the bodies
 * copy 60–90 % of another body's overview (each body in one such pair at most).
 *
 * Columns: fingerprints of every section (once per report, on fresh report objects); findCopies
 * on fingerprints already made (the index, the pair counts and the passages of the pairs found),
 * the median of 3 runs and the mean CPU time of the process over them (steadier than the time on
 * a machine shared with other work);
 * the steps it counts (`work`); the steps of comparing every pair instead (the merges of
 * N(N − 1)/2 pairs of sections, estimated from the sections' sizes); the pairs found (per
 * section), the copied pairs built that were found, and the boilerplate shingles.
 * Run: npx tsx bench/copies.bench.ts [sizes…]
 */

import { Bench } from 'tinybench';
import { sectionPrint } from '../src/check/similarity.js';
import type { Report } from '../src/model/report.js';
import { mulberry32 } from '../src/register/generate.js';
import { type CopiesEntry, findCopies } from '../src/supervise/copies.js';
import { sampleReport2021 } from '../test/helpers/arbitrary.js';

/* ------------------------------------------------------------------- input */

/** mulberry32 (src/register/generate.ts): every run builds the same texts */
const random = mulberry32;

const REAL = `政务公开 信息公开 政府信息 进一步 加强 完善 健全 机制 工作 群众 推进 落实 规范 平台 门户网站 政策解读 依申请公开 办理 答复
培训 考核 监督 保障 制度 重点领域 民生 公示 专栏 政务新媒体 栏目 更新 及时 准确 全面 深入 持续 提升 水平 质量 效率 服务 企业
基层 标准化 规范化 目录 指南 保密审查 主动公开 决策 会议 文件 解读 回应 关切 舆情 便民 办事 事项 清单 领导 责任 单位 部门 乡镇
街道 社区 年度 统计 数据 的 和 了 在 对 以 为 将 与 是 等 及 并 中 上 下 不断 有效 积极 重要 明确 严格 做好 开展 组织 实施 发布
公开 信息 政策 文件 审核 发布 网站 公众 社会 经济 发展 建设 管理 改革 项目 资金 安全 环境 教育 医疗 就业 住房 养老 救助 补贴
农村 城市 交通 水利 农业 生态 应急 防汛 疫情 防控 营商环境 优化 创新 数字 政府 行政 执法 许可 处罚 复议 诉讼 权力 运行 透明
规范性文件 清理 备案 听证 征求意见 意见建议 采纳 反馈 热线 留言 咨询 投诉 满意度 评价 第三方 评估 通报 整改 问题 不足 短板 差距
形式 单一 滞后 不够 有待 提高 能力 队伍 人员 兼职 业务 知识 学习 宣传 引导 参与 互动 交流 意识 理念 要求 部署 上级 区委 区政府`
  .split(/\s+/)
  .filter((w) => w.length > 0);

/** the words, by rank: the real ones first, then 8,000 others of 2–3 ideographs */
const WORDS = (() => {
  const next = random(11);
  const words = [...REAL];
  while (words.length < REAL.length + 8000) {
    let w = '';
    const len = 2 + Math.floor(next() * 2);
    for (let k = 0; k < len; k++) w += String.fromCodePoint(0x4e00 + Math.floor(next() * 20902));
    words.push(w);
  }
  return words;
})();

/** cumulative Zipf weights (exponent 1) of the ranks */
const CUMULATIVE = (() => {
  const c = new Float64Array(WORDS.length);
  let s = 0;
  for (let r = 0; r < WORDS.length; r++) c[r] = s += 1 / (r + 1);
  for (let r = 0; r < c.length; r++) c[r] /= s;
  return c;
})();

function word(next: () => number): string {
  const x = next();
  let lo = 0;
  let hi = CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (CUMULATIVE[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return WORDS[lo];
}

/** a sentence of 14–24 words (about 30–60 characters), a number in it */
function sentence(next: () => number, self: string | null): string {
  const n = 14 + Math.floor(next() * 11);
  const w = Array.from({ length: n }, () => word(next));
  w.splice(6, 0, `${1 + Math.floor(next() * 500)}件`);
  const cut = 5 + Math.floor(next() * 6);
  return `${self ?? ''}${w.slice(0, cut).join('')}，${w.slice(cut).join('')}。`;
}

/** sentences until about `chars` characters, the body's name starting one in eight */
function narrative(next: () => number, chars: number, self: string): string[] {
  const out: string[] = [];
  let len = 0;
  while (len < chars) {
    const s = sentence(next, next() < 0.125 ? self : null);
    out.push(s);
    len += s.length;
  }
  return out;
}

const PROVINCE = [
  '坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，认真落实党中央、国务院关于全面推进政务公开工作的决策部署。',
  '严格执行政府信息公开保密审查制度，坚持先审查、后公开，一事一审，全年未发生泄密事件。',
  '进一步加强政务公开平台建设，优化政府门户网站信息公开专栏设置，提升政务公开标准化规范化水平。',
];
const COUNTY_SIZE = 40;
const PLACES = '东西南北中上下前后左右新老安平永宁兴和丰泰昌盛华明光清河山川江湖海林松竹梅兰';
const DEPTS = [
  '教育局',
  '财政局',
  '民政局',
  '人力资源和社会保障局',
  '自然资源局',
  '住房和城乡建设局',
  '交通运输局',
  '水利局',
  '农业农村局',
  '商务局',
  '文化和旅游局',
  '卫生健康委员会',
  '应急管理局',
  '市场监督管理局',
  '统计局',
  '医疗保障局',
  '司法局',
  '发展和改革局',
  '生态环境分局',
  '人民政府办公室',
];

const nameOf = (id: number) => {
  const county = Math.floor(id / COUNTY_SIZE);
  const place = PLACES[county % PLACES.length] + PLACES[Math.floor(county / PLACES.length) % PLACES.length];
  return `${place}县${DEPTS[id % DEPTS.length]}`;
};

interface Built {
  entries: CopiesEntry[];
  copied: Set<string>;
  characters: number;
}

function build(n: number): Built {
  const base = sampleReport2021();
  const countyParagraph = (c: number) => narrative(random(900_000 + c), 120, '');
  const texts: { overview: string[]; problems: string[] }[] = [];
  for (let id = 0; id < n; id++) {
    const next = random(id + 1);
    const self = nameOf(id);
    const overview = [...PROVINCE, ...countyParagraph(Math.floor(id / COUNTY_SIZE)), ...narrative(next, 1500 + next() * 1500, self)];
    texts.push({ overview, problems: narrative(next, 1500 + next() * 1500, self) });
  }
  // 2 % of the bodies copy 60–90 % of another's overview (its own sentences), the numbers changed
  const copied = new Set<string>();
  const used = new Set<number>();
  const pick = random(n);
  while (copied.size < Math.floor(n / 50)) {
    const from = Math.floor(pick() * n);
    const to = Math.floor(pick() * n);
    if (used.has(from) || used.has(to) || from === to) continue;
    used.add(from);
    used.add(to);
    const share = 0.6 + pick() * 0.3;
    const theirs = texts[from].overview
      .slice(PROVINCE.length)
      .map((s) => s.replaceAll(nameOf(from), nameOf(to)).replace(/\d+/g, (d) => `${Number(d) + 3}`));
    const mine = texts[to].overview.slice(PROVINCE.length);
    const take = Math.round(theirs.length * share);
    texts[to].overview = [...PROVINCE, ...theirs.slice(0, take), ...mine.slice(0, Math.max(0, theirs.length - take))];
    copied.add(`${Math.min(from, to)}-${Math.max(from, to)}`);
  }
  let characters = 0;
  const entries = texts.map((t, id): CopiesEntry => {
    const r: Report = structuredClone(base);
    r.agency = nameOf(id);
    r.year = 2024;
    r.sections = { ...r.sections, overview: t.overview.join(''), problems: t.problems.join('') };
    characters += r.sections.overview?.length ?? 0;
    characters += r.sections.problems?.length ?? 0;
    return { bodyId: id, name: nameOf(id), report: r };
  });
  return { entries, copied, characters };
}

/* --------------------------------------------------------------------- run */

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((x) => x > 1);
const ms = (t: number) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(0)} ms`);
const fmt = (x: number) => x.toLocaleString('en');

async function time(fn: () => void, iterations: number): Promise<number> {
  const bench = new Bench({ time: 0, iterations, warmup: false });
  bench.add('x', fn);
  await bench.run();
  const r = bench.tasks[0].result;
  if (r?.state !== 'completed') throw new Error('benchmark failed');
  return r.latency.p50 ?? r.latency.mean;
}

console.log(
  '| bodies | characters per body | fingerprints | findCopies (median) | findCopies CPU (mean) | work | all pairs would merge | pairs (overview + problems) | copies built found | boilerplate shingles | heap after |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const n of sizes.length > 0 ? sizes : [1000, 3000]) {
  const { entries, copied, characters } = build(n);
  const fingerprints = await time(() => {
    for (const e of entries) {
      const fresh = { ...e.report };
      sectionPrint(fresh, 'overview');
      sectionPrint(fresh, 'problems');
    }
  }, 1);
  let shingles = 0;
  for (const e of entries) {
    shingles += sectionPrint(e.report, 'overview')?.shingles.length ?? 0;
    shingles += sectionPrint(e.report, 'problems')?.shingles.length ?? 0;
  }
  let result = findCopies(entries);
  const cpu0 = process.cpuUsage();
  const elapsed = await time(() => {
    result = findCopies(entries);
  }, 3);
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1000 / 3;
  const found = new Set(result.pairs.filter((p) => p.section === 'overview').map((p) => `${p.a}-${p.b}`));
  const hit = [...copied].filter((k) => found.has(k)).length;
  const bySection = (s: string) => result.pairs.filter((p) => p.section === s).length;
  // every pair of the N sections of each kind merged: about the two sections' shingles per pair
  const allPairs = ((n - 1) / 2) * 2 * shingles;
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  console.log(
    `| ${fmt(n)} | ${fmt(Math.round(characters / n))} | ${ms(fingerprints)} | ${ms(elapsed)} | ${ms(cpu)} | ${fmt(result.work)} | ${fmt(Math.round(allPairs))} | ${fmt(result.pairs.length)} (${bySection('overview')} + ${bySection('problems')}) | ${hit} / ${copied.size} | ${fmt(result.boilerplate)} | ${heap.toFixed(0)} MB |`,
  );
}
