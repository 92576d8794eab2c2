import type { Report } from '../../model/report.js';
import {
  agencyKey,
  commonLanguage,
  containment,
  cut,
  MIN_AGENCIES,
  MIN_LENGTH,
  maskOf,
  type SectionKey,
  type SectionPrint,
  SHINGLE,
  sectionPrint,
  similarPassages,
} from '../similarity.js';
import type { Rule } from '../types.js';

const SECTIONS: { key: SectionKey; name: string }[] = [
  { key: 'overview', name: '一、总体情况' },
  { key: 'problems', name: '五、存在的主要问题及改进情况' },
];

/** a section must keep at least this many shingles (as many as MIN_LENGTH characters give) once common language is left out */
const MIN_DISTINCT = MIN_LENGTH - SHINGLE + 1;
/** peers reported one by one per section; the rest are listed in one diagnostic */
const MAX_PEERS = 3;

const baseName = (file: string) => file.split(/[\\/]/).pop() || file;
const pct = (r: number) => `${Math.floor(r * 100 + 1e-9)}%`;

function peerName(p: { file: string; report: Report }): string {
  const who = p.report.agency ? p.report.agency.replace(/\s+/g, '') : '（机关名称不详）';
  const year = p.report.year !== null ? ` ${p.report.year} 年度` : '';
  return `${who}${year}报告（${baseName(p.file)}）`;
}

function quote(a: SectionPrint, b: SectionPrint, common: Set<number>, mine: string, theirs: string): string {
  const ps = similarPassages(a, b, common, 2);
  if (ps.length === 0) return '';
  return `，最相似的段落：${ps.map((p) => `“${cut(p.mine)}”（${mine}）≈“${cut(p.theirs)}”（${theirs}）`).join('；')}`;
}

/** last year's 一 of the example office, rewritten only in its years and numbers (the base report is its 2023 text) */
const COPIED_OVERVIEW = [
  '2022年，某某区人民政府办公室坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，围绕区委、区政府中心工作，持续深化政务公开，不断提升政府工作透明度。',
  '（一）主动公开。全年通过区政府门户网站主动公开政府信息1288条，其中政策文件152条、工作动态1136条。全年制发行政规范性文件4件，废止规范性文件1件，截至年底现行有效行政规范性文件35件。在门户网站集中公开行政许可1185件、行政处罚41件、行政强制6件。',
  '（二）依申请公开。全年新收政府信息公开申请75件，上年结转2件，已办结74件，结转下年度继续办理3件。',
  '（三）政府信息管理。严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”，全年未发生泄密事件。',
  '（四）平台建设。优化区政府门户网站政府信息公开专栏，更新政府信息公开指南和目录，及时调整栏目设置。',
  '（五）监督保障。将政务公开工作纳入年度绩效考核，组织政务公开业务培训1次，参训人员80人次。',
].join('\n');

export const rule: Rule = {
  id: 'similarity',
  severity: 'warning',
  title: '正文不与上年报告或其他机关的报告雷同',
  docs: `年度报告应如实反映本年度的工作。照抄上年报告、只改年份和数字，或照搬其他机关、地区的报告，就是内容雷同：年度报告格式的通知要求明确责任，报告内容雷同、敷衍塞责造成不良后果的，依照《政府信息公开条例》第四十七条追究责任；中国社会科学院 2017 年的第三方评估发现有的报告与上年度报告约 90% 相同，并有大范围跨地区照抄；一些地方的考核也对“与往年或与其他单位”雷同扣分。

**比较什么。** 比较“一、总体情况”和“五、存在的主要问题及改进情况”两部分的文字，分别与（1）同一机关上一年度的报告（--previous，或同一次检查中同一机关上一年的报告）、（2）同一次检查中的其他每一份报告（其他机关，或本机关的其他年度；同一机关同一年度的另一份文件，如同一报告的 PDF 和 Word 版，不比较）的同一部分相比。“六、其他需要报告的事项”通常只有一句收费说明，各报告本来就大同小异，不比较。不需要上年报告也能运行：没有上年报告时只与同批的其他报告比较。

**怎么算。** 不做分词，按字比较：先把文字统一（全角半角统一、去掉标点和空白；每一串数字都当作同一个符号，“2023年”与“2024年”、“170条”与“236条”视为相同，只改年份和数字掩盖不了照抄；报告自己的机关名称——全称、去掉省市县区前缀的名称、“××街道”“××”等简称——也当作同一个符号，所以把别的机关名称换成自己的不影响判断；逐字写出的条例依据和报告说明（“根据《中华人民共和国政府信息公开条例》……编制本报告”“本报告所列数据的统计期限……”“现将……报告如下”）、模板小标题（“（一）主动公开情况”等）和序号不计），再取所有连续 ${SHINGLE} 个字的片段。**相似度**是本报告该部分的片段中，也出现在对方报告同一部分中的比例（包含度）：相似度 92% 就是本报告这部分文字约有 92% 能在对方报告中逐字找到（数字和机关名称不计差别），只有 8% 是新写的。

**阈值。** 相似度达到阈值（默认 0.8，即 80%，可用选项 similarityThreshold 调整，取值 0～1）才报告。真实报告中，不同机关各自撰写的同一部分，因“政府信息公开工作”“知情权、参与权和监督权”之类常用语而重合的比例一般在 10% 以下；本机关重新撰写的报告也远低于 80%。达到 80% 意味着这部分新写的文字不到五分之一，基本是照抄；评估中发现的雷同报告约为 90%。

**避免误报。** 宁可漏报，不误报：去掉套话后不足 ${MIN_LENGTH} 个字的部分不比较（短的套话本来就人人相同）；同一次检查的报告来自至少 ${MIN_AGENCIES} 个机关时，超过半数机关的报告中都出现的片段视为通用套话（如上级要求各单位统一写入的段落），在双方都不计入相似度（同一机关的多份报告只算一次）；去掉这些片段后剩下的文字不足约 ${MIN_LENGTH} 字（${MIN_DISTINCT} 个片段）时也不比较。这样做的代价是：如果一批报告中过半照搬了同一份范本，被照搬的文字也会被当作套话而不再报告，需要人工留意。

**报告什么。** 每个部分对每一份相比较的报告至多报告一次，给出相似度，并引用至多两处最相似的句子（各截取约 60 字，本报告在前，对方在后）。与同批其他报告的比较，每个部分逐一报告相似度最高的 ${MAX_PEERS} 份，其余超过阈值的合在一条中列出。两份报告相互雷同时，两份都会被报告：检查不判断谁抄了谁。`,
  examples: {
    valid: [
      { title: '本年与上年的“总体情况”“存在的主要问题及改进情况”各自撰写', report: {}, previous: {} },
      {
        title: '上年报告只有开头一句与本年相同，其余内容不同',
        report: {},
        previous: {
          sections: {
            overview: [
              '2022年，某某区人民政府办公室坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，围绕区委、区政府中心工作，持续深化政务公开，不断提升政府工作透明度。',
              '一是主动公开扎实推进。依托区政府门户网站和“某某发布”政务新媒体，全年主动公开政府信息1288条。全年制发行政规范性文件4件，废止规范性文件1件，现行有效行政规范性文件35件。',
              '二是依申请公开规范办理。全年新收政府信息公开申请75件，上年结转2件，结转下年度继续办理3件，答复均在法定期限内作出。',
              '三是管理制度不断完善。修订政府信息公开保密审查办法，明确审查责任和流程。',
            ].join('\n'),
          },
        },
      },
    ],
    invalid: [
      {
        title: '“一、总体情况”照抄上年报告，只改了年份和数字',
        report: {},
        previous: { sections: { overview: COPIED_OVERVIEW } },
        messageIncludes: ['“一、总体情况”与上一年度（2022 年）报告的相似度为 100%', '（本年）≈“'],
      },
      {
        title: '“五、存在的主要问题及改进情况”照抄上年报告，只改了年份',
        report: {},
        previous: {
          sections: {
            problems: [
              '（一）存在的主要问题。一是政策解读形式较为单一，图解、视频等解读占比不高；二是部分单位信息发布不够及时，更新存在滞后。',
              '（二）上年度问题整改情况。针对2021年度报告所列依申请公开答复文书不够规范的问题，我办修订了答复文书模板，组织专题培训1次，已整改到位。',
              '（三）改进措施。下一步，我办将进一步丰富解读形式，加强对各单位信息发布的督促检查，确保信息公开及时、准确。',
            ].join('\n'),
          },
        },
        messageIncludes: ['“五、存在的主要问题及改进情况”与上一年度（2022 年）报告的相似度为 100%'],
      },
    ],
  },
  check(ctx, emit) {
    const threshold = ctx.options.similarityThreshold;
    if (!(threshold <= 1)) return;
    const report = ctx.report;
    const previous = ctx.previous && ctx.previous !== report ? ctx.previous : null;
    // each other report once; never the report itself, last year's (compared as such), or
    // another copy of the same report (same agency and year, e.g. its PDF beside its Word file)
    const seen = new Set<Report>([report]);
    if (previous) seen.add(previous);
    const me = agencyKey(report);
    const peers = ctx.peers.filter((p) => {
      if (seen.has(p.report)) return false;
      seen.add(p.report);
      return !(me !== '' && report.year !== null && p.report.year === report.year && agencyKey(p.report) === me);
    });
    // nothing to compare with: no fingerprint is made
    if (!previous && peers.length === 0) return;
    // every report of the run, for the common language
    const run = [report, ...(previous ? [previous] : []), ...peers.map((p) => p.report)];

    for (const { key, name } of SECTIONS) {
      const mine = sectionPrint(report, key);
      if (!mine) continue;
      const path = `sections.${key}`;

      // common language of the run (shingles that more than half of its agencies use) counts on neither side
      const common = commonLanguage(run, key) ?? new Set<number>();
      const mask = maskOf(mine.shingles, common);
      const distinct = mask ? mask.reduce((n, m) => n + 1 - m, 0) : mine.shingles.length;
      if (distinct < MIN_DISTINCT) continue;

      if (previous) {
        const theirs = sectionPrint(previous, key);
        if (theirs) {
          const c = containment(mine.shingles, theirs.shingles, mask);
          if (c.ratio >= threshold) {
            const when = previous.year !== null ? `（${previous.year} 年）` : '';
            emit({
              path,
              message: `“${name}”与上一年度${when}报告的相似度为 ${pct(c.ratio)}${quote(mine, theirs, common, '本年', '上年')}。`,
            });
          }
        }
      }

      const prints = peers.map((p) => sectionPrint(p.report, key));
      const hits: { peer: (typeof peers)[number]; theirs: SectionPrint; ratio: number }[] = [];
      for (let i = 0; i < peers.length; i++) {
        const peer = peers[i];
        const theirs = prints[i];
        if (!theirs) continue;
        const c = containment(mine.shingles, theirs.shingles, mask);
        if (c.ratio >= threshold) hits.push({ peer, theirs, ratio: c.ratio });
      }
      hits.sort((a, b) => b.ratio - a.ratio || (a.peer.file < b.peer.file ? -1 : a.peer.file > b.peer.file ? 1 : 0));
      for (const h of hits.slice(0, MAX_PEERS)) {
        const other = peerName(h.peer);
        emit({
          path,
          message: `“${name}”与${other}的相似度为 ${pct(h.ratio)}${quote(mine, h.theirs, common, '本报告', baseName(h.peer.file))}。`,
        });
      }
      const rest = hits.slice(MAX_PEERS);
      if (rest.length > 0) {
        const listed = rest.slice(0, 10).map((h) => `${baseName(h.peer.file)}（${pct(h.ratio)}）`);
        const more = rest.length > 10 ? ` 等 ${rest.length} 份` : '';
        emit({
          path,
          message: `“${name}”与同批另外 ${rest.length} 份报告的相似度也达到 ${pct(threshold)} 以上：${listed.join('、')}${more}。`,
        });
      }
    }
  },
};
