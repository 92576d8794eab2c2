import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { rule } from '../src/check/rules/similarity.js';
import {
  agencyNames,
  MAX_PASSAGES,
  MAX_POSTINGS,
  MAX_SENTENCES,
  normaliseSentence,
  type Passages,
  type SectionPrint,
  sectionPrint,
  sharedPassages,
  similarityWork,
  statutoryBasis,
} from '../src/check/similarity.js';
import type { Report } from '../src/model/report.js';
import { parseFile } from '../src/parse.js';
import { mulberry32 } from '../src/register/generate.js';
import { SEEDS } from './helpers/paths.js';

/* --------------------------------------------------------------- fixtures */

const SEED = {
  qianjin: '000_1dfa6bf3088a5125.txt', // 三门峡市湖滨区前进街道办事处 2021
  baguazhou: '001_bafcd2ea084bb138.txt', // 八卦洲街道办事处 2021
  gangwan: '002_abb086b87d47b285.txt', // 前进区港湾街道办事处 2023
  muluan: '003_f8437f9aaea28a39.txt', // 武陟县木栾街道办事处 2023
  nanguan: '004_65c3f6a324d2e98b.txt', // 文峰区南关街道办事处 2024
} as const;

const seeds = {} as Record<keyof typeof SEED, Report>;

beforeAll(async () => {
  for (const [k, f] of Object.entries(SEED)) seeds[k as keyof typeof SEED] = await parseFile(join(SEEDS, f));
});

/** a fresh copy of a seed report (fingerprints are cached per object) with some fields replaced */
function variant(
  base: Report,
  change: { agency?: string | null; year?: number | null; overview?: string | null; problems?: string | null; other?: string | null },
): Report {
  const r = structuredClone(base);
  if (change.agency !== undefined) r.agency = change.agency;
  if (change.year !== undefined) r.year = change.year;
  for (const k of ['overview', 'problems', 'other'] as const) if (change[k] !== undefined) r.sections[k] = change[k];
  return r;
}

const run = (report: Report, previous: Report | null, peers: { file: string; report: Report }[] = [], threshold?: number) =>
  check({
    report,
    previous,
    peers,
    only: ['similarity'],
    options: threshold === undefined ? undefined : { similarityThreshold: threshold },
  });

const percentOf = (message: string) => Number(/相似度为 (\d+)%/.exec(message)?.[1] ?? Number.NaN);

/** last year's 港湾 overview: the 2023 text with only the years and the numbers changed */
function yearEarlier(text: string): string {
  const numbers: Record<string, string> = { '2023': '2022', '170': '152', '147': '131', '23': '21', '0': '0' };
  return text.replace(/\d+/g, (d) => numbers[d] ?? String(Number(d) - 1));
}

/* ------------------------------------------------------------------ texts */

/** 前进街道 2022, written afresh (same agency, same themes, new text) */
const QIANJIN_2022_REWRITTEN = `2022年，前进街道以提升政务公开质效为目标，围绕疫情防控、老旧小区改造、营商环境优化等群众关注的重点事项，及时准确发布政府信息，全年通过区政府网站街道专栏发布信息86条，通过微信公众号推送信息112篇。
（一）调整领导小组，压实公开责任。因人员变动，街道年初及时调整政务公开工作领导小组，由党工委副书记任组长，党政办配备一名专职信息员，负责信息收集、审核和发布，各社区明确一名兼职联络员。
（二）聚焦重点领域，丰富公开内容。围绕低保、临时救助、残疾人补贴等民生政策，在社区公示栏和便民服务大厅同步公开办理条件、流程和结果，全年公示救助对象名单12批次。针对老旧小区改造项目，在施工现场公开工程概况、施工单位和监督电话，接受居民监督。
（三）规范依申请公开办理。全年未收到政府信息公开申请，街道对照区里下发的办理流程图，完善了登记、审核、答复各环节的台账模板。
（四）加强保密审查。坚持“先审查、后公开”，对拟公开信息实行经办人初审、党政办复审、分管领导终审的三级审核，全年未发生泄密和错发信息的情况。`;

/** 五 of 港湾街道 2023, naming itself; copied by 南关街道 with the name swapped */
const GANGWAN_PROBLEMS = `一是信息公开内容还不够全面、及时，部分涉及群众切身利益的信息更新滞后；二是信息公开干部队伍建设有待加强，港湾街道从事信息公开工作的人员多为兼职，业务能力参差不齐；三是政策解读形式较为单一，图解、视频等解读方式运用不多。
针对上述问题，港湾街道将继续按照上级要求，进一步完善机制，持续改进，扎实做好政务信息公开工作。一是完善政务公开信息发布工作机制，确保政务公开工作机制完善、发布及时、公开有效，同时加强内容审核，提高信息公开质量。二是加强培训，提升信息写作能力，组织干部做好政府信息公开业务知识的日常学习更新，培养干部处理复杂问题的能力。三是丰富解读形式，港湾街道将结合群众关心的热点问题，通过图文解读、短视频等方式解读政策，提高政策知晓率。`;

/** what every report may carry: the statutory preamble and notes on the report, template headings */
const PREAMBLE = (agency: string, year: number) =>
  `本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，由${agency}编制。根据《条例》要求，结合本单位工作实际，编制本报告。本报告中所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。本报告电子版可在区人民政府门户网站查阅或下载。如对本报告有疑问，请与${agency}党政办联系（电话：0398-28${year % 100}123）。
（一）主动公开情况。
`;

/** a paragraph the county asks every township to include, word for word */
const COUNTY_PARAGRAPH = `按照县政务公开办公室统一部署，对照年度政务公开工作要点逐项梳理任务清单，围绕基层政务公开标准化规范化建设，完善主动公开目录，规范公开平台栏目设置，做好重大决策预公开、政策解读和回应关切等工作。严格执行公文公开属性源头认定机制，把公开属性审查作为发文前置环节，做到应公开尽公开。坚持以公开为常态、不公开为例外，落实政府信息公开保密审查制度，确保公开内容准确规范，切实保障人民群众的知情权、参与权、表达权和监督权。每季度向县政务公开办公室报送工作进展情况，年底对照考核细则开展自查自评，对发现的问题建立整改台账，明确责任人和整改时限，确保按期整改到位。`;

/** each township's own, genuinely different sentences */
const OWN_PARAGRAPHS: [string, string][] = [
  [
    '城关镇人民政府',
    '城关镇今年重点公开了农村人居环境整治和高标准农田建设项目，在各村公示栏张贴项目名称、资金来源和施工单位，接受群众监督。',
  ],
  ['南关街道办事处', '南关街道结合老旧小区改造，在小区出入口公示改造内容、工期和投诉电话，收集居民意见四十余条并逐条答复。'],
  ['东城街道办事处', '东城街道把低保、特困供养和临时救助对象名单按季度在社区公开，公示期内接到反映问题两件，核实后已作调整。'],
  ['河口乡人民政府', '河口乡围绕防汛救灾，通过村村通广播和微信群及时发布雨情水情和转移避险信息，汛期累计发布预警信息三十余次。'],
  ['北山镇人民政府', '北山镇在便民服务中心设置政务公开专区，摆放办事指南和政策汇编，安排工作人员现场解答群众咨询，方便老年人查阅。'],
  ['西湖街道办事处', '西湖街道对辖区十二个社区的居务公开栏进行统一更换，规范公开内容和更新时限，社区财务收支每季度公开一次。'],
  ['石桥镇人民政府', '石桥镇重点做好土地征收信息公开，在征收范围内张贴征收公告和补偿安置方案，召开听证会一次，未发生相关信访。'],
];

/* ------------------------------------------------------------------ tests */

describe('similarity: the rule', () => {
  it('is in the catalogue, a warning, runs without last year, documented in Chinese', () => {
    expect(rule.id).toBe('similarity');
    expect(rule.severity).toBe('warning');
    expect(rule.crossYear).toBeFalsy();
    expect(rule.docs).toContain('相似度');
    expect(rule.docs).toContain('80%');
    expect(check({ report: seeds.qianjin }).some((d) => d.rule === 'similarity')).toBe(false);
  });
});

describe('similarity: valid reports', () => {
  it('says nothing about different agencies’ genuinely different reports', () => {
    const all = Object.entries(seeds).map(([k, r]) => ({ file: `${k}.txt`, report: r }));
    for (const me of all) {
      const peers = all.filter((p) => p !== me);
      expect(run(me.report, null, peers)).toEqual([]);
    }
  });

  it('says nothing when the same agency rewrote its overview', () => {
    const last = variant(seeds.qianjin, { year: 2021 });
    const current = variant(seeds.qianjin, { year: 2022, overview: QIANJIN_2022_REWRITTEN, problems: GANGWAN_PROBLEMS });
    expect(run(current, last)).toEqual([]);
  });

  it('says nothing about another file of the same report (same agency and year)', () => {
    const docx = variant(seeds.muluan, {});
    expect(run(seeds.muluan, null, [{ file: '木栾街道2023年报.docx', report: docx }])).toEqual([]);
    // a different year of the same agency is compared
    const older = variant(seeds.muluan, { year: 2022 });
    expect(run(seeds.muluan, null, [{ file: '木栾街道2022年报.docx', report: older }]).map((d) => d.path)).toEqual([
      'sections.overview',
      'sections.problems',
    ]);
  });

  it('says nothing when the overlap is only the statutory preamble and template headings', () => {
    const a = variant(seeds.nanguan, {
      agency: '文峰区南关街道办事处',
      year: 2023,
      overview: `${PREAMBLE('文峰区南关街道办事处', 2023)}全年主动公开信息95条，均通过区政府网站发布。`,
    });
    const b = variant(seeds.muluan, {
      agency: '武陟县木栾街道办事处',
      year: 2023,
      overview: `${PREAMBLE('武陟县木栾街道办事处', 2023)}全年主动公开信息259条，未收到公开申请。`,
    });
    const last = variant(a, {
      year: 2022,
      overview: `${PREAMBLE('文峰区南关街道办事处', 2022)}全年主动公开信息80条，均通过区政府网站发布。`,
      problems: seeds.baguazhou.sections.problems,
    });
    expect(run(a, last, [{ file: 'muluan.docx', report: b }])).toEqual([]);
  });

  it('discounts language that most agencies of the run share (a run of ≥ 6 agencies)', () => {
    const reports = OWN_PARAGRAPHS.map(([agency, own], i) =>
      variant(seeds.muluan, { agency, year: 2023, overview: `${COUNTY_PARAGRAPH}\n${own}`, problems: i === 0 ? null : undefined }),
    );
    const peersOf = (r: Report) => reports.filter((o) => o !== r).map((o) => ({ file: `${o.agency}.docx`, report: o }));
    for (const r of reports) expect(run(r, null, peersOf(r))).toEqual([]);
    // with only one other report the shared paragraph cannot be told from copying: it is reported
    const [first, second] = reports;
    const d = run(variant(first, {}), null, [{ file: 'second.docx', report: variant(second, {}) }]);
    expect(d).toHaveLength(1);
    expect(d[0].path).toBe('sections.overview');
  });
});

describe('similarity: copied reports', () => {
  it('reports last year’s text with only the year and numbers changed, with a percentage and the passages', () => {
    const current = seeds.gangwan;
    const last = variant(current, {
      year: 2022,
      overview: yearEarlier(current.sections.overview ?? ''),
      problems: yearEarlier(current.sections.problems ?? ''),
    });
    expect(last.sections.overview).toContain('全年主动公开信息152条');
    const d = run(current, last);
    expect(d.map((x) => x.path)).toEqual(['sections.overview', 'sections.problems']);
    expect(d[1].message).toMatch(/^“五、存在的主要问题及改进情况”与上一年度（2022 年）报告的相似度为 100%/);
    expect(d[0]).toMatchObject({ rule: 'similarity', severity: 'warning', path: 'sections.overview' });
    expect(d[0].message).toMatch(/^“一、总体情况”与上一年度（2022 年）报告的相似度为 \d+%，最相似的段落：“[^”]+”（本年）≈“[^”]+”（上年）/);
    expect(percentOf(d[0].message)).toBeGreaterThanOrEqual(90);
    // at most two passages, each cut to about 60 characters
    const quotes = [...d[0].message.matchAll(/“([^”]*)”（(?:本年|上年)）/g)].map((m) => m[1]);
    expect(quotes.length).toBeGreaterThanOrEqual(2);
    expect(quotes.length).toBeLessThanOrEqual(4);
    for (const q of quotes) expect(Array.from(q).length).toBeLessThanOrEqual(62);
  });

  it('reports a peer agency’s 五 copied with the agency name swapped, naming the peer and its file', () => {
    const peer = variant(seeds.gangwan, { agency: '前进区港湾街道办事处', year: 2023, problems: GANGWAN_PROBLEMS });
    const current = variant(seeds.nanguan, {
      agency: '文峰区南关街道办事处',
      year: 2023,
      problems: GANGWAN_PROBLEMS.replaceAll('港湾街道', '南关街道'),
    });
    const peers = [
      { file: 'reports/muluan-2023.pdf', report: seeds.muluan },
      { file: 'reports/gangwan-2023.docx', report: peer },
      { file: 'reports/baguazhou-2021.txt', report: seeds.baguazhou },
    ];
    const d = run(current, null, peers);
    expect(d).toHaveLength(1);
    expect(d[0].path).toBe('sections.problems');
    expect(d[0].message).toContain('“五、存在的主要问题及改进情况”与前进区港湾街道办事处 2023 年度报告（gangwan-2023.docx）的相似度为');
    expect(d[0].message).toContain('（本报告）≈');
    expect(d[0].message).toContain('（gangwan-2023.docx）');
    expect(percentOf(d[0].message)).toBeGreaterThanOrEqual(95);
    // the other side of the pair is reported too: the checker does not decide who copied whom
    const back = run(peer, null, [{ file: 'nanguan-2023.pdf', report: current }]);
    expect(back.map((x) => x.path)).toEqual(['sections.problems']);
  });

  it('respects the threshold', () => {
    const current = seeds.gangwan;
    const overview = current.sections.overview ?? '';
    // last year: the same text, but the platform paragraph was different
    const platform = /（四）政府信息公开平台建设情况。[^\n]*/.exec(overview)?.[0] ?? '';
    expect(platform.length).toBeGreaterThan(40);
    const lastText = yearEarlier(overview).replace(
      platform,
      '（四）政府信息公开平台建设情况。街道在区政府网站开设信息公开专栏，安排专人每周检查栏目更新情况，对空白栏目和过期信息及时清理，全年整改问题栏目三个。',
    );
    const last = variant(current, { year: 2022, overview: lastText, problems: seeds.qianjin.sections.problems });
    const d = run(current, last);
    expect(d).toHaveLength(1);
    const p = percentOf(d[0].message);
    expect(p).toBeGreaterThanOrEqual(80);
    expect(p).toBeLessThan(99);
    expect(run(current, last, [], 0.99)).toEqual([]);
    expect(run(current, last, [], p / 100 + 0.01)).toEqual([]);
    expect(run(current, last, [], p / 100)).toHaveLength(1);
  });

  it('reports each compared report at most once per section, also when last year’s report is among the peers', () => {
    const current = seeds.gangwan;
    const last = variant(current, {
      year: 2022,
      overview: yearEarlier(current.sections.overview ?? ''),
      problems: seeds.qianjin.sections.problems,
    });
    const d = run(current, last, [
      { file: 'gangwan-2022.docx', report: last },
      { file: 'gangwan-2022.docx', report: last },
      { file: 'self.docx', report: current },
    ]);
    expect(d).toHaveLength(1);
    expect(d[0].message).toContain('上一年度（2022 年）');
  });
});

describe('similarity: normalising', () => {
  it('names an agency in its long and short forms', () => {
    expect(agencyNames('三门峡市湖滨区前进街道办事处')).toEqual(expect.arrayContaining(['前进街道办事处', '前进街道', '前进']));
    expect(agencyNames('武陟县木栾街道办事处')).toEqual(expect.arrayContaining(['木栾街道', '木栾']));
    expect(agencyNames(null)).toEqual([]);
  });

  it('treats digits and years alike, drops punctuation, the agency name and boilerplate', () => {
    const names = agencyNames('前进区港湾街道办事处');
    expect(normaliseSentence('2023年，港湾街道主动公开信息170条。', names)).toBe(
      normaliseSentence('２０２２年, 港湾街道主动公开信息 95 条', names),
    );
    expect(normaliseSentence('二〇二三年全年', [])).toBe(normaliseSentence('2021年全年', []));
    expect(normaliseSentence('根据《中华人民共和国政府信息公开条例》规定，编制本报告。')).toBe('');
    expect(normaliseSentence('（一）主动公开情况。')).toBe('');
  });

  it('skips short sections', () => {
    expect(sectionPrint(variant(seeds.gangwan, { overview: '全年主动公开信息170条，未收到政府信息公开申请。' }), 'overview')).toBeNull();
    expect(sectionPrint(variant(seeds.gangwan, { problems: null }), 'problems')).toBeNull();
  });
});

describe('similarity: scale', () => {
  const pick = <T>(rnd: () => number, xs: T[], n: number): T[] => {
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]);
    return out;
  };
  const PLACES = '东南西北城关新河桥山湖港林园安平丰泰和兴华盛';
  const TOPICS = [
    '农村人居环境整治',
    '高标准农田建设',
    '老旧小区改造',
    '防汛救灾',
    '低保和临时救助',
    '义务教育招生入学',
    '城乡居民医疗保险',
    '就业创业补贴',
    '安全生产检查',
    '食品安全抽检',
    '河湖长制',
    '秸秆禁烧',
    '征地补偿安置',
    '乡村振兴衔接资金项目',
    '垃圾分类',
    '居家养老服务',
    '退役军人优待',
    '残疾人两项补贴',
    '耕地地力保护补贴',
    '农村危房改造',
  ];
  const CHANNELS = [
    '村务公开栏',
    '区政府网站乡镇专栏',
    '微信公众号',
    '村村通广播',
    '便民服务中心电子屏',
    '社区宣传栏',
    '村民微信群',
    '政务服务网',
  ];
  const ACTIONS = [
    '公示了项目名称、资金安排和施工单位',
    '公开了申请条件、办理流程和办结时限',
    '发布了政策解读和常见问题答复',
    '公布了受理结果和监督举报电话',
    '发布了工作进展和验收情况',
    '公示了享受对象名单和补贴标准',
  ];
  const VILLAGE = '甲乙丙丁戊己庚辛壬癸春夏秋冬梅兰竹菊松柏杨柳桃李杏枣青石龙凤金银';
  const village = (rnd: () => number) => `${pick(rnd, [...VILLAGE], 2).join('')}村`;
  /** a report's own account of its year: three sentences from villages and topic, channel and action lists */
  const ownWork = (rnd: () => number) =>
    pick(rnd, TOPICS, 3)
      .map(
        (t) =>
          `${t}方面，在${village(rnd)}和${village(rnd)}通过${pick(rnd, CHANNELS, 1)[0]}${pick(rnd, ACTIONS, 1)[0]}，全年更新${Math.floor(rnd() * 90) + 5}次。`,
      )
      .join('');

  it('checks 100 reports against each other: only the planted copies are reported, each at most once', () => {
    const rnd = mulberry32(20240331);
    const base = seeds.muluan;
    const split = (t: string | null) => (t ?? '').split(/(?<=[。；])/).filter((x) => x.length > 12 && x.length <= 70);
    // sentences of the other seeds, shared at random among the unrelated reports
    const others = [seeds.qianjin, seeds.baguazhou, seeds.gangwan, seeds.nanguan];
    const overviewPool = others.flatMap((r) => split(r.sections.overview)).concat(split(QIANJIN_2022_REWRITTEN));
    const problemsPool = others.flatMap((r) => split(r.sections.problems)).concat(split(GANGWAN_PROBLEMS));

    const reports: { file: string; report: Report }[] = [];
    const copies = new Set<Report>();
    for (let i = 0; i < 100; i++) {
      const agency = `${PLACES[i % PLACES.length]}${PLACES[Math.floor(i / PLACES.length) + 3]}镇人民政府`;
      const file = `r${String(i).padStart(3, '0')}.txt`;
      const [weak, next] = [pick(rnd, TOPICS, 2), pick(rnd, TOPICS, 2)];
      const problems = `${pick(rnd, problemsPool, 1)[0]}\n${village(rnd)}的${weak[0]}信息通过${pick(rnd, CHANNELS, 1)[0]}公开不够及时，${weak[1]}的公开内容还不够完整。下一步，将重点抓好${next.join('和')}等领域的信息公开，${pick(rnd, ACTIONS, 1)[0]}。`;
      if (i < 6) {
        // the 木栾 overview, taken over by five other townships with their own numbers
        const report = variant(base, {
          agency: i === 0 ? base.agency : agency,
          overview: (base.sections.overview ?? '').replace(/\d+/g, (d) => String(Number(d) + i)),
          problems,
        });
        copies.add(report);
        reports.push({ file, report });
        continue;
      }
      const overview = `${pick(rnd, overviewPool, 1)[0]}\n${ownWork(rnd)}`;
      reports.push({ file, report: variant(base, { agency, overview, problems }) });
    }

    let total = 0;
    for (const me of reports) {
      const d = run(
        me.report,
        null,
        reports.filter((o) => o !== me),
      );
      total += d.length;
      if (!copies.has(me.report)) {
        expect(d).toEqual([]);
        continue;
      }
      // five similar reports: the three closest one by one, the other two in one line
      expect(d).toHaveLength(4);
      expect(d.every((x) => x.path === 'sections.overview')).toBe(true);
      expect(d.slice(0, 3).every((x) => percentOf(x.message) >= 90)).toBe(true);
      expect(d[3].message).toMatch(/与同批另外 2 份报告的相似度也达到 80% 以上：r00\d\.txt（\d+%）、r00\d\.txt（\d+%）。$/);
      const named = d.flatMap((x) => [...new Set([...x.message.matchAll(/r\d{3}\.txt/g)].map((m) => m[0]))]);
      expect(new Set(named).size).toBe(5);
      expect(named).toHaveLength(5);
      expect(named).not.toContain(me.file);
    }
    expect(total).toBe(6 * 4);
  });
});

/* ------------------------------------------------- passages: the reference */

/**
 * the passages as plainly as they can be computed (each sentence of `a` against the whole of
 * `b`, then the closest sentence by comparing with every sentence of `b`): quadratic, the
 * definition the shingle index must meet exactly (under MAX_POSTINGS, which it does not model)
 */
function referencePassages(a: SectionPrint, b: SectionPrint, common: Set<number>, max: number): Passages {
  const shared = (x: Uint32Array, y: Uint32Array) => {
    const ys = new Set(y);
    return Array.from(x).filter((h) => ys.has(h) && !common.has(h)).length;
  };
  const mine = a.sentences.slice(0, MAX_SENTENCES);
  const theirs = b.sentences.slice(0, MAX_SENTENCES);
  const qualified = mine
    .map((s, index) => ({ s, index, own: shared(s.shingles, s.shingles), shared: shared(s.shingles, b.shingles) }))
    .filter((x) => x.shared >= 5 && x.shared / x.own >= 0.5)
    .sort((x, y) => y.shared - x.shared || x.index - y.index);
  const chosen = qualified.slice(0, Math.min(max, MAX_PASSAGES)).sort((x, y) => x.index - y.index);
  const passages = chosen.map(({ s }) => {
    let best = 0;
    theirs.forEach((t, j) => {
      if (shared(s.shingles, t.shingles) > shared(s.shingles, theirs[best].shingles)) best = j;
    });
    return { mine: s.raw, theirs: theirs[best]?.raw ?? '' };
  });
  return { passages, more: qualified.length - chosen.length };
}

/** sentences to build narratives from: the seeds', this file's, boilerplate and headings */
function sentencePool(): string[] {
  const split = (t: string | null | undefined) =>
    (t ?? '')
      .split(/(?<=[。；\n])/)
      .map((x) => x.trim())
      .filter((x) => x.length > 0);
  const texts = Object.values(seeds).flatMap((r) => [r.sections.overview, r.sections.problems]);
  texts.push(QIANJIN_2022_REWRITTEN, GANGWAN_PROBLEMS, COUNTY_PARAGRAPH, ...OWN_PARAGRAPHS.map(([, p]) => p));
  const pool = [...new Set(texts.flatMap(split))];
  pool.push('（一）主动公开情况。', '本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。', '全年公开信息12条。', '2023年。');
  return pool;
}

const AGENCIES = ['武陟县木栾街道办事处', '前进区港湾街道办事处', '文峰区南关街道办事处', '城关镇人民政府', null];

describe('similarity: passages found through the shingle index', () => {
  const arbPick = fc.record({ i: fc.nat(), n: fc.nat({ max: 99999 }), who: fc.constantFrom(0, 0, 0, 1, 2) });
  const arbCase = fc.record({
    mine: fc.array(arbPick, { minLength: 1, maxLength: 40, size: 'max' }),
    theirs: fc.array(arbPick, { minLength: 1, maxLength: 40, size: 'max' }),
    copy: fc.constantFrom('none', 'all', 'all', 'some'),
    agencies: fc.tuple(fc.constantFrom(...AGENCIES), fc.constantFrom(...AGENCIES)),
    common: fc.oneof(fc.constant(null), fc.record({ seed: fc.nat(), every: fc.integer({ min: 2, max: 6 }) })),
    max: fc.constantFrom(0, 1, 2, 2, 2, 3, 5, MAX_PASSAGES - 1, MAX_PASSAGES, MAX_PASSAGES + 1, 100),
  });

  it('reports exactly what the quadratic reference reports (passages, their order, their closest sentences, the count of the rest)', () => {
    const pool = sentencePool();
    /** a pool sentence with its own numbers, sometimes naming its own agency or the other one */
    const text = (p: { i: number; n: number; who: number }, own: string | null, other: string | null) => {
      const s = pool[p.i % pool.length].replace(/\d+/g, () => String(p.n));
      const name = p.who === 1 ? own : p.who === 2 ? other : null;
      return name ? `${name}${s}` : s;
    };
    let compared = 0;
    let withPassages = 0;
    let capped = 0;
    fc.assert(
      fc.property(arbCase, (c) => {
        const [agencyA, agencyB] = c.agencies;
        const mine = c.mine.map((p) => text(p, agencyA, agencyB));
        let theirs = c.theirs.map((p) => text(p, agencyB, agencyA));
        if (c.copy === 'all') theirs = [...mine.map((s) => s.replace(/\d+/g, '7')), ...theirs];
        if (c.copy === 'some') theirs = [...theirs, ...mine.filter((_, k) => k % 3 === 0)];
        const a = sectionPrint(variant(seeds.muluan, { agency: agencyA, overview: mine.join('\n') }), 'overview');
        const b = sectionPrint(variant(seeds.gangwan, { agency: agencyB, overview: theirs.join('') }), 'overview');
        if (!a || !b) return;
        const common = new Set<number>();
        if (c.common) {
          const { seed, every } = c.common;
          for (const h of [...a.shingles, ...b.shingles]) if (((h ^ seed) >>> 0) % every === 0) common.add(h);
        }
        const got = sharedPassages(a, b, common, c.max);
        expect(got).toEqual(referencePassages(a, b, common, c.max));
        compared++;
        if (got.passages.length > 0) withPassages++;
        if (got.passages.length === MAX_PASSAGES) capped++;
      }),
      { numRuns: 400, seed: 20261206 },
    );
    // the cases are not vacuous: most pairs compared, many with passages, some at the cap
    expect(compared).toBeGreaterThan(300);
    expect(withPassages).toBeGreaterThan(100);
    expect(capped).toBeGreaterThan(0);
  });

  it('returns at most MAX_PASSAGES passages, those sharing most, and counts the others', () => {
    const text = Array.from(
      { length: 30 },
      (_, i) => `第${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(i / 10)]}号村今年完成了通村道路的硬化和路灯安装。`,
    );
    const a = sectionPrint(variant(seeds.muluan, { overview: text.join('') }), 'overview');
    const b = sectionPrint(variant(seeds.muluan, { overview: text.reverse().join('') }), 'overview');
    if (!a || !b) throw new Error('no fingerprint');
    const all = sharedPassages(a, b, new Set(), 100);
    expect(all.passages).toHaveLength(MAX_PASSAGES);
    expect(all.more).toBe(30 - MAX_PASSAGES);
    // each quoted with its own copy, in the order of the checked section
    for (const p of all.passages) expect(p.theirs).toBe(p.mine);
    expect(all.passages.map((p) => p.mine)).toEqual(a.sentences.slice(0, MAX_PASSAGES).map((s) => s.raw));
    expect(sharedPassages(a, b, new Set(), 2)).toEqual({ passages: all.passages.slice(0, 2), more: 28 });
  });
});

/* ------------------------------------------------------------------- cost */

describe('similarity: the cost is linear in the text', () => {
  const PLACES = '甲乙丙丁戊己庚辛壬癸春夏秋冬梅兰竹菊松柏杨柳桃李杏枣青石龙凤金银东西南北';
  /** sentence i: distinct for every i, and nearly all of its shingles too (as in bench/similarity.bench.ts) */
  function distinct(i: number, year: number, phrase = '，低保和临时救助公开'): string {
    let x = i;
    let who = '';
    for (let k = 0; k < 3; k++) {
      who += PLACES[x % PLACES.length];
      x = Math.floor(x / PLACES.length);
    }
    let h = Math.imul(i + 1, 0x9e3779b1) >>> 0;
    let words = '';
    for (let k = 0; k < 10; k++) {
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
      words += String.fromCodePoint(0x4e00 + (h % 0x5000));
    }
    return `${who}村${words}${phrase}${(h % 90) + year - 2020}次。`;
  }
  const narrative = (n: number, year: number, phrase?: string) => Array.from({ length: n }, (_, i) => distinct(i, year, phrase)).join('');

  /** the steps of checking a report of n such sentences against last year's, the same text with other numbers */
  function cost(n: number, phrase?: string): { work: number; mine: SectionPrint; last: SectionPrint } {
    const current = variant(seeds.muluan, { year: 2024, overview: narrative(n, 2024, phrase), problems: null });
    const previous = variant(seeds.muluan, { year: 2023, overview: narrative(n, 2023, phrase), problems: null });
    const mine = sectionPrint(current, 'overview');
    const last = sectionPrint(previous, 'overview');
    if (!mine || !last) throw new Error('no fingerprint');
    const before = similarityWork();
    const d = run(current, previous);
    const work = similarityWork() - before;
    expect(d).toHaveLength(1);
    expect(d[0].message).toMatch(/^“一、总体情况”与上一年度（2023 年）报告的相似度为 100%，最相似的段落：/);
    return { work, mine, last };
  }

  it('doubling the text at most doubles the work (+10 %)', () => {
    const sizes = [250, 500, 1000, 2 * 1000];
    expect(sizes.at(-1)).toBeLessThanOrEqual(MAX_SENTENCES);
    const work = sizes.map((n) => cost(n).work);
    for (let k = 1; k < sizes.length; k++) expect(work[k] / work[k - 1]).toBeLessThanOrEqual(2.2);
  });

  it('compares two sections of 32,000 distinct sentences in a bounded number of steps', () => {
    const { work, mine, last } = cost(32_000);
    const shingles = mine.shingles.length + last.shingles.length;
    expect(shingles).toBeGreaterThan(32_000 * 10);
    // linear: a few steps per shingle of the two sections
    expect(work).toBeLessThanOrEqual(4 * shingles);
    // where comparing each sentence with the whole other section took at least this many
    const quadratic = mine.sentences.length * last.shingles.length;
    expect(work * 1000).toBeLessThan(quadratic);
  });

  it('skips a shingle common to more than MAX_POSTINGS sentences when looking for the closest one', () => {
    // every sentence ends the same way: the posting lists of those shingles hold every indexed sentence
    const { work, mine, last } = cost(32_000, '，按照县政务公开办公室统一部署做好政策解读和回应关切工作');
    expect(MAX_POSTINGS).toBeLessThan(MAX_SENTENCES);
    expect(work).toBeLessThanOrEqual(4 * (mine.shingles.length + last.shingles.length));
  });
});

describe('similarity: normalising in linear time', () => {
  /** the expression statutoryBasis stands for */
  const STATUTORY = /政府信息公开条例.*(?:编制|编写|制作|起草)(?:本(?:年度)?报告|[。；;]?$)/;
  const PIECES = [
    '政府信息公开条例',
    '编制',
    '编写',
    '制作',
    '起草',
    '本',
    '年度',
    '报告',
    '。',
    '；',
    ';',
    '\n',
    '\r',
    '\u2028',
    ' ',
    '甲',
    '条例',
  ];

  it('recognises the statutory basis exactly as the regular expression does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }), (parts) => {
        const s = parts.join('');
        expect(statutoryBasis(s)).toBe(STATUTORY.test(s));
      }),
      { numRuns: 3000, seed: 7 },
    );
    expect(statutoryBasis('根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，编制本报告。')).toBe(true);
    expect(statutoryBasis('根据《中华人民共和国政府信息公开条例》规定，特编制本年度报告')).toBe(true);
    expect(statutoryBasis('认真贯彻落实《政府信息公开条例》，将政务公开工作摆上重要日程。')).toBe(false);
  });

  it('handles a long line naming the statute again and again, and a heading padded with spaces', () => {
    // each mention used to cost a pass over the rest of the line (64,000 characters: about half a second)
    const line = `${'政府信息公开条例'.repeat(12_500)}甲`;
    expect(statutoryBasis(line)).toBe(false);
    expect(statutoryBasis(`${line}编制本报告`)).toBe(true);
    expect(normaliseSentence(`（一）主动公开情况${' '.repeat(40_000)}。${' '.repeat(10)}`)).toBe('');
    expect(normaliseSentence(`（一）主动公开情况${' '.repeat(40_000)}。甲`)).not.toBe('');
  });
});
