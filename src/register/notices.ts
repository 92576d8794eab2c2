/**
 * The notices (文书) of the register: for every step of a case the written notice the office sends —
 * 登记回执, 补正告知书, 延长答复期限告知书, 征求意见函, 收费通知书, and an 答复告知书 for every outcome
 * of 表二 三、 — made from the case by a template.
 *
 * - A template is data: a title and paragraphs with placeholders in Chinese (`{{申请人}}`), so that an
 *   administrator can edit an agency's templates without meeting an identifier. The defaults are
 *   here (`NOTICE_SPECS`); `validateTemplate` refuses a template that drops what the law requires of
 *   the notice: the article it rests on, the applicant's rights (行政复议 within 60 days, 行政诉讼
 *   within 6 months, naming where), and the facts the notice exists to tell (the deadline, the amount…).
 * - Free parts (the reasons, the items to supplement, the responsible body…) are prefilled from the
 *   case and edited by the clerk before issuing; everything else comes from the case.
 * - `draftNotice` gives the document and the problems that stop it from being issued (no review body
 *   set, an empty reason…). Numbering and storage: src/store/notices.ts.
 *
 * The statute: 《中华人民共和国政府信息公开条例》 (国务院令第711号); the remedies: 《中华人民共和国行政复议法》
 * (2023年修订) 第二十条 and 《中华人民共和国行政诉讼法》 第四十六条. The mapping of 第三十六条 (一)(五)(七)
 * and of 要求确认或重新出具 to the rows of 表二 is practice, not text (docs/notices.md says which).
 */
import { NianbaoError } from '../model/errors.js';
import { chineseDate, type NoticeDocument } from '../model/notice.js';
import { baseOf, type Case, type CaseEvent, type CaseOptions, CHANNEL_LABELS, dueDates, type Outcome, rebuild } from './case.js';

// ---------------------------------------------------------------------------
// Keys, settings, templates
// ---------------------------------------------------------------------------

export type ReplyNoticeKey = `reply.${Outcome}` | 'reply.grantedPublished' | 'reply.notResponsible';

export type NoticeKey = 'receipt' | 'correction' | 'extension' | 'consultation.thirdParty' | 'consultation.agency' | 'fee' | ReplyNoticeKey;

export interface NoticeTemplate {
  title: string;
  paragraphs: string[];
}

/** an agency's settings for its notices */
export interface NoticeSettings {
  /** the agency's full name (发文机关); on the server, the agency's name when empty */
  agencyName: string;
  /** the pattern of the 发文字号: `{year}` the year of issue, `{n}` the serial number (`{n3}` zero-padded to 3) */
  numberPattern: string;
  /** 行政复议机关 named in the applicant's rights */
  reviewBody: string;
  /** the court (有管辖权的人民法院) named in the applicant's rights */
  court: string;
  /** lines printed after the date: 联系人、联系电话、地址 */
  contact: string;
  /** how to pay the 信息处理费 (prefills the fee notice) */
  payMethod: string;
  /** the text marking the place of the seal */
  seal: string;
}

export const DEFAULT_NOTICE_SETTINGS: NoticeSettings = {
  agencyName: '',
  numberPattern: '依申〔{year}〕第{n}号',
  reviewBody: '',
  court: '',
  contact: '',
  payMethod: '',
  seal: '（印章）',
};

/** a problem of a template, settings or draft: Chinese and English */
export interface NoticeProblem {
  zh: string;
  en: string;
}

/** an editable part of a notice */
export interface FreeFieldSpec {
  /** the placeholder it fills, e.g. 理由 */
  name: string;
  /** shown to the clerk */
  hint: string;
  /** an empty value stops the notice from being issued */
  required: boolean;
  multiline: boolean;
}

export interface NoticeSpec {
  key: NoticeKey;
  /** the short name in lists, e.g. 补正告知书 */
  label: string;
  /** who the notice is addressed to */
  recipient: 'applicant' | 'consulted';
  /** the text of the law the notice must cite (any one of each inner list) */
  cite: string[];
  /** placeholders every template of this key must keep */
  required: string[];
  free: FreeFieldSpec[];
  template: NoticeTemplate;
}

const ACT = '《中华人民共和国政府信息公开条例》';
const RIGHTS = '{{救济途径}}';
const OPENING = '您于{{收到申请日期}}向本机关提出的政府信息公开申请（申请编号：{{申请编号}}）收悉。您申请公开：{{申请内容}}。';

const REASONS: FreeFieldSpec = { name: '理由', hint: '说明理由（写入告知书正文）', required: true, multiline: true };
const REASONS_OPTIONAL: FreeFieldSpec = { ...REASONS, hint: '补充说明（可不填）', required: false };
const WHERE: FreeFieldSpec = { name: '获取途径说明', hint: '获取该信息的方式和途径', required: true, multiline: true };

function reply(
  outcome: Outcome | 'grantedPublished' | 'notResponsible',
  label: string,
  cite: string[],
  decision: string[],
  free: FreeFieldSpec[],
  title = '政府信息公开申请答复告知书',
): NoticeSpec {
  const required = [...new Set([...decision.join('').matchAll(/\{\{([^{}]+)\}\}/g)].map((m) => m[1]))];
  return {
    key: `reply.${outcome}` as ReplyNoticeKey,
    label,
    recipient: 'applicant',
    cite,
    required: ['申请编号', ...required, '救济途径'],
    free,
    template: { title, paragraphs: [OPENING, ...decision, RIGHTS] },
  };
}

export const NOTICE_SPECS: readonly NoticeSpec[] = [
  {
    key: 'receipt',
    label: '登记回执',
    recipient: 'applicant',
    cite: ['第三十一条'],
    required: ['申请编号', '收到申请日期', '答复期限'],
    free: [],
    template: {
      title: '政府信息公开申请登记回执',
      paragraphs: [
        '您于{{收件日期}}以{{收件渠道}}方式提交的政府信息公开申请已收悉，申请编号：{{申请编号}}。申请内容：{{申请内容}}。',
        `根据${ACT}第三十一条规定，本机关收到申请之日为{{收到申请日期}}。根据第三十三条规定，本机关将自收到申请之日起20个工作日内予以答复，答复期限为{{答复期限}}；需要延长答复期限的，将另行书面告知。`,
        '申请内容不明确的，本机关将在收到申请之日起7个工作日内一次性告知您需要补正的事项。',
      ],
    },
  },
  {
    key: 'correction',
    label: '补正告知书',
    recipient: 'applicant',
    cite: ['第三十条'],
    required: ['申请编号', '补正内容', '补正期限'],
    free: [{ name: '补正内容', hint: '一次性写明需要补正的全部事项', required: true, multiline: true }],
    template: {
      title: '政府信息公开申请补正告知书',
      paragraphs: [
        OPENING,
        `经审查，您的申请内容不明确，本机关无法确定您所需要的政府信息。根据${ACT}第三十条规定，现一次性告知您需要补正的事项如下：`,
        '{{补正内容}}',
        '请您于{{补正期限}}前向本机关提交补正后的申请。答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。',
      ],
    },
  },
  {
    key: 'extension',
    label: '延长答复期限告知书',
    recipient: 'applicant',
    cite: ['第三十三条'],
    required: ['申请编号', '延长工作日', '延长后答复期限'],
    free: [{ name: '延期理由', hint: '需要延长答复期限的原因', required: true, multiline: true }],
    template: {
      title: '延长政府信息公开答复期限告知书',
      paragraphs: [
        OPENING,
        `因{{延期理由}}，本机关不能在法定期限内作出答复。根据${ACT}第三十三条第二款规定，经政府信息公开工作机构负责人同意，答复期限延长{{延长工作日}}个工作日，本机关将于{{延长后答复期限}}前作出答复。`,
      ],
    },
  },
  {
    key: 'consultation.thirdParty',
    label: '征求第三方意见函',
    recipient: 'consulted',
    cite: ['第三十二条'],
    required: ['申请编号', '征求意见期限'],
    free: [{ name: '征求理由', hint: '公开可能损害第三方合法权益的内容', required: true, multiline: true }],
    template: {
      title: '政府信息公开征求第三方意见函',
      paragraphs: [
        '本机关于{{收到申请日期}}收到一件政府信息公开申请（申请编号：{{申请编号}}），申请公开：{{申请内容}}。',
        `经审查，该政府信息{{征求理由}}，公开可能损害贵方合法权益。根据${ACT}第三十二条规定，现书面征求贵方意见。请自收到本函之日起15个工作日内（{{征求意见期限}}前）书面提出意见；逾期未提出意见的，由本机关依照《条例》规定决定是否公开。`,
        '贵方不同意公开且有合理理由的，本机关不予公开。本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。',
      ],
    },
  },
  {
    key: 'consultation.agency',
    label: '征求意见函（其他机关）',
    recipient: 'consulted',
    cite: ['第三十三条', '第三十四条'],
    required: ['申请编号', '征求意见期限'],
    free: [{ name: '征求理由', hint: '需要征求意见的事项', required: true, multiline: true }],
    template: {
      title: '政府信息公开征求意见函',
      paragraphs: [
        '本机关于{{收到申请日期}}收到一件政府信息公开申请（申请编号：{{申请编号}}），申请公开：{{申请内容}}。',
        `因{{征求理由}}，根据${ACT}第三十三条第三款、第三十四条规定，现征求贵机关意见。请于收到本函之日起15个工作日内（{{征求意见期限}}前）书面回复；逾期未回复的，视为同意公开。`,
      ],
    },
  },
  {
    key: 'fee',
    label: '收费通知书',
    recipient: 'applicant',
    cite: ['第四十二条'],
    required: ['申请编号', '收费方式', '收费标准', '收费金额', '缴费期限', '缴费方式', '救济途径'],
    free: [{ name: '缴费方式', hint: '缴费的方式和途径（如非税收入缴款账户、缴款码）', required: true, multiline: true }],
    template: {
      title: '政府信息公开信息处理费收费通知书',
      paragraphs: [
        OPENING,
        `您申请公开政府信息的数量、频次明显超过合理范围。根据${ACT}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）规定，本机关依法收取信息处理费。`,
        '收费依据：《政府信息公开信息处理费管理办法》；计费方式：{{收费方式}}；收费标准：{{收费标准}}；应缴金额：{{收费金额}}元（{{计费明细}}）。',
        '请自收到本通知书之次日起20个工作日内（{{缴费期限}}前）缴纳，缴费方式：{{缴费方式}}。本机关将开具财政票据。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。',
        RIGHTS,
      ],
    },
  },
  reply(
    'granted',
    '答复告知书（予以公开）',
    ['第三十六条'],
    [
      `经审查，您申请公开的政府信息属于公开范围。根据${ACT}第三十六条第（二）项规定，本机关予以公开，现按照您要求的{{获取形式}}形式通过{{获取途径}}向您提供。`,
    ],
    [REASONS_OPTIONAL],
  ),
  reply(
    'grantedPublished',
    '答复告知书（已主动公开）',
    ['第三十六条'],
    [`经审查，您申请公开的政府信息已经主动公开。根据${ACT}第三十六条第（一）项规定，现告知您获取该政府信息的方式和途径：{{获取途径说明}}`],
    [WHERE],
  ),
  reply(
    'partlyGranted',
    '答复告知书（部分公开）',
    ['第三十七条'],
    [
      `经审查，您申请公开的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。根据${ACT}第三十七条规定，本机关向您提供可以公开的政府信息内容，现按照您要求的{{获取形式}}形式通过{{获取途径}}提供。`,
      '对不予公开的内容说明理由如下：{{理由}}',
    ],
    [{ ...REASONS, hint: '不予公开部分的内容和理由' }],
  ),
  reply(
    'withheldStateSecret',
    '答复告知书（不予公开·国家秘密）',
    ['第十四条'],
    [`经审查，您申请公开的政府信息属于依法确定为国家秘密的政府信息。根据${ACT}第十四条规定，本机关不予公开。理由：{{理由}}`],
    [REASONS],
  ),
  reply(
    'withheldLawProhibited',
    '答复告知书（不予公开·法律行政法规禁止公开）',
    ['第十四条'],
    [`经审查，您申请公开的政府信息属于法律、行政法规禁止公开的政府信息。根据${ACT}第十四条规定，本机关不予公开。理由：{{理由}}`],
    [REASONS],
  ),
  reply(
    'withheldSecurityStability',
    '答复告知书（不予公开·危及“三安全一稳定”）',
    ['第十四条'],
    [
      `经审查，您申请公开的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。根据${ACT}第十四条规定，本机关不予公开。理由：{{理由}}`,
    ],
    [REASONS],
  ),
  reply(
    'withheldThirdParty',
    '答复告知书（不予公开·保护第三方合法权益）',
    ['第十五条'],
    [
      `经审查，您申请公开的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。根据${ACT}第十五条、第三十二条规定，本机关不予公开。理由：{{理由}}`,
    ],
    [REASONS],
  ),
  reply(
    'withheldInternalAffairs',
    '答复告知书（不予公开·内部事务信息）',
    ['第十六条'],
    [
      `经审查，您申请公开的政府信息属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）。根据${ACT}第十六条第一款规定，本机关不予公开。理由：{{理由}}`,
    ],
    [REASONS],
  ),
  reply(
    'withheldProcessInfo',
    '答复告知书（不予公开·过程性信息）',
    ['第十六条'],
    [
      `经审查，您申请公开的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息。根据${ACT}第十六条第二款规定，本机关不予公开。理由：{{理由}}`,
    ],
    [REASONS],
  ),
  reply(
    'withheldEnforcementFile',
    '答复告知书（不予公开·行政执法案卷）',
    ['第十六条'],
    [`经审查，您申请公开的政府信息属于行政执法案卷信息。根据${ACT}第十六条第二款规定，本机关不予公开。理由：{{理由}}`],
    [REASONS],
  ),
  reply(
    'withheldQueryMatter',
    '答复告知书（不予公开·行政查询事项）',
    ['第三十六条'],
    [
      `经审查，您申请获取的信息属于工商、不动产登记资料等有关法律、行政法规对信息的获取有特别规定的信息。根据${ACT}第三十六条第（七）项规定，请您依照有关法律、行政法规的规定办理：{{获取途径说明}}`,
    ],
    [{ ...WHERE, hint: '依照哪部法律、行政法规，向哪个机关、通过什么途径查询' }],
  ),
  reply(
    'unableNotHeld',
    '答复告知书（无法提供·信息不存在）',
    ['第三十六条'],
    [`经本机关检索查找，没有您所申请公开的政府信息。根据${ACT}第三十六条第（四）项规定，现告知您该政府信息不存在。`],
    [REASONS_OPTIONAL],
  ),
  reply(
    'notResponsible',
    '答复告知书（无法提供·非本机关负责公开）',
    ['第三十六条'],
    [`经审查，您申请公开的政府信息不属于本机关负责公开。理由：{{理由}}根据${ACT}第三十六条第（五）项规定，现告知您：{{负责机关说明}}`],
    [
      REASONS,
      { name: '负责机关', hint: '负责公开该信息的行政机关名称（能够确定时填写）', required: false, multiline: false },
      { name: '负责机关联系方式', hint: '该机关的联系方式', required: false, multiline: false },
    ],
  ),
  reply(
    'unableNeedsCreation',
    '答复告知书（无法提供·需另行制作）',
    ['第三十八条'],
    [
      `经审查，本机关没有现成的您所申请的信息，需要对现有政府信息进行加工、分析才能形成。根据${ACT}第三十八条规定，本机关不予提供。理由：{{理由}}`,
    ],
    [REASONS],
  ),
  reply(
    'unableUnclear',
    '答复告知书（无法提供·补正后仍不明确）',
    ['第三十条'],
    [
      `本机关已告知您补正申请，经审查补正后的申请，内容仍不明确，本机关无法确定您所需要的政府信息。根据${ACT}第二十九条第二款第（二）项、第三十条规定，本机关无法提供。理由：{{理由}}`,
    ],
    [REASONS],
  ),
  reply(
    'notProcessedComplaint',
    '答复告知书（不予处理·信访举报投诉）',
    ['第三十九条'],
    [
      `经审查，您以政府信息公开申请的形式提出的事项属于信访、投诉、举报等诉求。根据${ACT}第三十九条第一款规定，本机关不作为政府信息公开申请处理，您可以通过以下渠道提出：{{获取途径说明}}`,
    ],
    [{ ...WHERE, hint: '可以提出该诉求的渠道（信访、12345 热线、投诉举报渠道等）' }],
  ),
  reply(
    'notProcessedDuplicate',
    '答复告知书（不予处理·重复申请）',
    ['第三十六条'],
    [
      `经审查，本机关已就您提出的相同内容的政府信息公开申请作出答复（{{理由}}），您重复申请公开相同的政府信息。根据${ACT}第三十六条第（六）项规定，本机关不予重复处理。`,
    ],
    [{ ...REASONS, hint: '此前答复的时间和文号' }],
  ),
  reply(
    'notProcessedPublication',
    '答复告知书（不予处理·公开出版物）',
    ['第三十九条'],
    [`经审查，您申请获取的是政府公报、报刊、书籍等公开出版物。根据${ACT}第三十九条第二款规定，本机关告知您获取的途径：{{获取途径说明}}`],
    [{ ...WHERE, hint: '该出版物的获取途径' }],
  ),
  reply(
    'notProcessedExcessive',
    '答复告知书（不予处理·无正当理由大量反复申请）',
    ['第三十五条'],
    [
      `您申请公开政府信息的数量、频次明显超过合理范围。本机关已要求您说明理由，经审查，申请理由不合理。根据${ACT}第三十五条规定，本机关不予处理。理由：{{理由}}`,
    ],
    [REASONS],
  ),
  reply(
    'notProcessedConfirmation',
    '答复告知书（不予处理·要求确认或重新出具已获取信息）',
    ['第二条'],
    [
      `经审查，您要求本机关对您已获取的信息予以确认或者重新出具，不属于${ACT}第二条所称获取政府信息的申请，本机关不作为政府信息公开申请处理。理由：{{理由}}`,
    ],
    [REASONS],
  ),
  reply(
    'otherNoCorrection',
    '终止处理告知书（逾期未补正）',
    ['第三十条'],
    [
      `本机关已于{{补正告知日期}}告知您补正申请，补正期限至{{补正期限}}。您无正当理由逾期未补正。根据${ACT}第三十条规定，视为您放弃申请，本机关不再处理该政府信息公开申请。`,
    ],
    [],
    '政府信息公开申请终止处理告知书',
  ),
  reply(
    'otherFeeUnpaid',
    '终止处理告知书（逾期未缴纳信息处理费）',
    ['第四十二条'],
    [
      `本机关已于{{收费通知日期}}向您发出信息处理费收费通知书，缴费期限至{{缴费期限}}。您逾期未缴纳。根据${ACT}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）规定，视为您放弃申请，本机关不再处理该政府信息公开申请。`,
    ],
    [],
    '政府信息公开申请终止处理告知书',
  ),
  reply(
    'otherOther',
    '处理情况告知书（其他）',
    ['《中华人民共和国政府信息公开条例》'],
    [`经审查，{{理由}}根据${ACT}有关规定，本机关终止处理该政府信息公开申请。`],
    [{ ...REASONS, hint: '终止处理的原因（如申请人撤回申请）' }],
    '政府信息公开申请处理情况告知书',
  ),
];

const SPEC_BY_KEY = new Map<string, NoticeSpec>(NOTICE_SPECS.map((s) => [s.key, s]));

export function noticeSpec(key: string): NoticeSpec | undefined {
  return SPEC_BY_KEY.get(key);
}

export const NOTICE_KEYS: readonly NoticeKey[] = NOTICE_SPECS.map((s) => s.key);

/** every placeholder a template may use, with what it stands for */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  机关名称: '发文机关名称',
  申请人: '申请人姓名或者名称',
  申请编号: '登记簿中的申请编号',
  收件日期: '申请送达之日',
  收件渠道: '当面提交、邮寄、互联网等',
  收到申请日期: '收到申请之日（第三十一条）',
  申请内容: '所需政府信息的名称、文号或者特征性描述',
  获取形式: '申请人要求的形式',
  获取途径: '申请人要求的获取方式、途径',
  答复期限: '当前的答复期限',
  补正内容: '需要补正的事项（可编辑）',
  补正期限: '补正的期限',
  补正告知日期: '补正告知之日',
  延期理由: '延长答复期限的原因（可编辑）',
  延长工作日: '本次延长的工作日数',
  延长后答复期限: '延长后的答复期限',
  征求对象: '被征求意见的第三方或机关',
  征求理由: '征求意见的原因（可编辑）',
  征求意见期限: '第三方或机关提出意见的期限',
  收费方式: '按件或按量计收',
  收费标准: '适用的收费标准',
  收费金额: '应缴金额（元）',
  计费明细: '分档计算明细',
  收费通知日期: '收费通知之日',
  缴费期限: '缴费期限',
  缴费方式: '缴费的方式和途径（可编辑）',
  理由: '理由或说明（可编辑）',
  负责机关: '负责公开的行政机关（可编辑）',
  负责机关联系方式: '该机关的联系方式（可编辑）',
  负责机关说明: '由负责机关及其联系方式生成的告知语',
  获取途径说明: '获取信息或提出诉求的途径（可编辑）',
  复议机关: '行政复议机关',
  管辖法院: '有管辖权的人民法院',
  救济途径: '申请人的权利：行政复议（60日）和行政诉讼（6个月），并写明向谁提出',
  发文日期: '发文日期',
};

const PLACEHOLDER_RE = /\{\{([^{}]*)\}\}/g;

function placeholdersOf(t: NoticeTemplate): Set<string> {
  const out = new Set<string>();
  for (const text of [t.title, ...t.paragraphs]) for (const m of text.matchAll(PLACEHOLDER_RE)) out.add(m[1].trim());
  return out;
}

export const TEMPLATE_LIMITS = { title: 100, paragraphs: 40, paragraph: 2000 } as const;

/** what stops a template of `key` from being used: unknown placeholders, what the law requires dropped */
export function validateTemplate(key: string, t: unknown): NoticeProblem[] {
  const spec = noticeSpec(key);
  if (!spec) return [{ zh: `没有名为“${key}”的文书。`, en: `There is no notice "${key}".` }];
  const problems: NoticeProblem[] = [];
  const tpl = t as Partial<NoticeTemplate> | null;
  if (!tpl || typeof tpl !== 'object' || typeof tpl.title !== 'string' || !Array.isArray(tpl.paragraphs)) {
    return [{ zh: '模板应包含标题和段落。', en: 'A template has a title and paragraphs.' }];
  }
  if (tpl.paragraphs.some((p) => typeof p !== 'string')) return [{ zh: '模板的每一段都应是文字。', en: 'Every paragraph must be text.' }];
  const paragraphs = tpl.paragraphs as string[];
  if (tpl.title.trim() === '') problems.push({ zh: '标题不能为空。', en: 'The title is empty.' });
  if (tpl.title.length > TEMPLATE_LIMITS.title) {
    problems.push({ zh: `标题超过 ${TEMPLATE_LIMITS.title} 个字。`, en: `The title is longer than ${TEMPLATE_LIMITS.title} characters.` });
  }
  if (paragraphs.filter((p) => p.trim() !== '').length === 0) problems.push({ zh: '正文不能为空。', en: 'The body is empty.' });
  if (paragraphs.length > TEMPLATE_LIMITS.paragraphs) {
    problems.push({ zh: `段落超过 ${TEMPLATE_LIMITS.paragraphs} 段。`, en: `More than ${TEMPLATE_LIMITS.paragraphs} paragraphs.` });
  }
  paragraphs.forEach((p, i) => {
    if (p.length > TEMPLATE_LIMITS.paragraph) {
      problems.push({
        zh: `第 ${i + 1} 段超过 ${TEMPLATE_LIMITS.paragraph} 个字。`,
        en: `Paragraph ${i + 1} is longer than ${TEMPLATE_LIMITS.paragraph} characters.`,
      });
    }
    const open = (p.match(/\{\{/g) ?? []).length;
    const close = (p.match(/\}\}/g) ?? []).length;
    if (open !== close) {
      problems.push({ zh: `第 ${i + 1} 段的占位符括号不成对。`, en: `Paragraph ${i + 1} has unbalanced placeholder braces.` });
    }
  });
  const used = placeholdersOf(tpl as NoticeTemplate);
  for (const name of used) {
    if (!(name in PLACEHOLDERS)) {
      problems.push({
        zh: `未知的占位符“{{${name}}}”。可用的有：${Object.keys(PLACEHOLDERS).join('、')}。`,
        en: `Unknown placeholder "{{${name}}}".`,
      });
    }
  }
  for (const name of spec.required) {
    if (!used.has(name)) {
      problems.push(
        name === '救济途径'
          ? {
              zh: '模板不能删去申请人的救济途径（{{救济途径}}：行政复议和行政诉讼的期限及受理机关）。',
              en: 'The template must keep the applicant’s rights ({{救济途径}}: administrative review and litigation, their time limits and where).',
            }
          : { zh: `模板必须保留“{{${name}}}”。`, en: `The template must keep the placeholder {{${name}}}.` },
      );
    }
  }
  const text = paragraphs.join('');
  if (!spec.cite.some((c) => text.includes(c))) {
    problems.push({
      zh: `模板必须写明法律依据：${spec.cite.map((c) => (c.startsWith('第') ? `《条例》${c}` : c)).join('或')}。`,
      en: `The template must cite its legal basis: ${spec.cite.join(' or ')}.`,
    });
  }
  return problems;
}

/** what stops the settings from being saved */
export function validateSettings(s: NoticeSettings): NoticeProblem[] {
  const problems: NoticeProblem[] = [];
  const p = s.numberPattern ?? '';
  if (!/\{n\d?\}/.test(p)) {
    problems.push({
      zh: '发文字号格式必须包含序号 {n}（或补零的 {n3}）。',
      en: 'The number pattern must contain the serial {n} (or {n3}).',
    });
  }
  if (!p.includes('{year}')) {
    problems.push({
      zh: '发文字号格式必须包含年份 {year}：文书按机关和年度编号。',
      en: 'The number pattern must contain {year}: notices are numbered per agency and year.',
    });
  }
  const unknown = [...p.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).filter((x) => x !== 'year' && !/^n\d?$/.test(x));
  if (unknown.length > 0) {
    problems.push({
      zh: `发文字号格式中有未知的部分：${unknown.map((u) => `{${u}}`).join('、')}。`,
      en: `Unknown parts in the pattern: ${unknown.join(', ')}.`,
    });
  }
  for (const [k, max] of [
    ['agencyName', 100],
    ['numberPattern', 60],
    ['reviewBody', 100],
    ['court', 100],
    ['contact', 500],
    ['payMethod', 500],
    ['seal', 30],
  ] as const) {
    if (typeof s[k] !== 'string') problems.push({ zh: `设置项“${SETTING_ZH[k]}”应为文字。`, en: `${k} must be text.` });
    else if (s[k].length > max)
      problems.push({ zh: `设置项“${SETTING_ZH[k]}”超过 ${max} 个字。`, en: `${k} is longer than ${max} characters.` });
  }
  return problems;
}

export const SETTING_ZH: Record<keyof NoticeSettings, string> = {
  agencyName: '发文机关名称',
  numberPattern: '发文字号格式',
  reviewBody: '行政复议机关',
  court: '管辖法院',
  contact: '联系方式',
  payMethod: '缴费方式',
  seal: '印章位置文字',
};

/** the 发文字号 of serial `n` in `year` */
export function formatNumber(pattern: string, year: number, n: number): string {
  return pattern
    .replace(/\{year\}/g, String(year))
    .replace(/\{n(\d)?\}/g, (_m, w: string | undefined) => String(n).padStart(w ? Number(w) : 0, '0'));
}

// ---------------------------------------------------------------------------
// Which notices a case has
// ---------------------------------------------------------------------------

export interface AvailableNotice {
  key: NoticeKey;
  /** the event it notifies (1-based position in `case.events`), 0 for the receipt */
  seq: number;
  label: string;
  /** the day of the step */
  on: string;
  /** other keys the clerk may choose instead for this step (e.g. 非本机关负责公开 for 信息不存在) */
  alternatives: NoticeKey[];
}

/** the notice a step of the case calls for (voided events call for none) */
export function noticeForEvent(e: CaseEvent): { key: NoticeKey; alternatives: NoticeKey[] } | null {
  if (e.voided) return null;
  switch (e.type) {
    case 'correctionNotice':
      return { key: 'correction', alternatives: [] };
    case 'extension':
      return { key: 'extension', alternatives: [] };
    case 'consultationStarted':
      return { key: e.party === 'agency' ? 'consultation.agency' : 'consultation.thirdParty', alternatives: [] };
    case 'feeNotice':
      return { key: 'fee', alternatives: [] };
    case 'reply': {
      const key = `reply.${e.outcome}` as ReplyNoticeKey;
      if (e.outcome === 'granted') return { key, alternatives: ['reply.grantedPublished'] };
      if (e.outcome === 'unableNotHeld') return { key, alternatives: ['reply.notResponsible'] };
      return { key, alternatives: [] };
    }
    case 'correctionExpired':
      return { key: 'reply.otherNoCorrection', alternatives: [] };
    case 'feeExpired':
      return { key: 'reply.otherFeeUnpaid', alternatives: [] };
    case 'withdrawal':
      return { key: 'reply.otherOther', alternatives: [] };
    default:
      return null;
  }
}

/** every notice the case calls for, in the order of its steps: the receipt first */
export function availableNotices(c: Case): AvailableNotice[] {
  const out: AvailableNotice[] = [{ key: 'receipt', seq: 0, label: noticeSpec('receipt')!.label, on: c.receivedOn, alternatives: [] }];
  c.events.forEach((e, i) => {
    const n = noticeForEvent(e);
    if (n) out.push({ key: n.key, seq: i + 1, label: noticeSpec(n.key)!.label, on: e.on, alternatives: n.alternatives });
  });
  return out;
}

// ---------------------------------------------------------------------------
// Drafting
// ---------------------------------------------------------------------------

export interface DraftInput {
  case: Case;
  /** the step (0: the receipt) */
  seq: number;
  /** the notice; default the one the step calls for */
  key?: string;
  settings: NoticeSettings;
  /** the agency's template; default the shipped one */
  template?: NoticeTemplate;
  /** the clerk's text of the free parts, by placeholder name */
  free?: Record<string, string>;
  /** the day of issue, YYYY-MM-DD */
  issuedOn: string;
  /** the 发文字号 (null on a draft) */
  number?: string | null;
  calendar?: CaseOptions['calendar'];
  feePausesClock?: boolean;
}

export interface DraftField extends FreeFieldSpec {
  value: string;
}

export interface NoticeDraft {
  key: NoticeKey;
  seq: number;
  label: string;
  document: NoticeDocument;
  /** the free parts with their values (prefilled from the case, or the clerk's) */
  fields: DraftField[];
  /** what stops it from being issued; empty when it can be */
  problems: NoticeProblem[];
}

/** a notice that cannot be made: a step without one, a kind that does not fit, problems that stop issuing */
export class NoticeError extends NianbaoError {
  constructor(zh: string, en: string, problems?: NoticeProblem[]) {
    super('bad-input', zh, en, problems ? { problems } : undefined);
    this.name = 'NoticeError';
  }
}

const FEE_METHOD_ZH = { perApplication: '按件计收', perPage: '按量计收' } as const;
const FEE_STANDARD = {
  perApplication:
    '同一申请人一个自然月内累计申请10件以下（含10件）的不收费；11—30件（含30件）的部分按100元/件收取；30件以上的部分以10件为一档，每增加一档，收费标准提高100元/件',
  perPage:
    '同一政府信息公开申请中，30页以下（含30页）的不收费；31—100页（含100页）的部分按10元/页收取；101—200页（含200页）的部分按20元/页收取；200页以上的部分按40元/页收取',
} as const;

function money(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** the case as it stood just after step `seq` (its due dates then) */
function caseAt(c: Case, seq: number, opts: CaseOptions): Case {
  if (seq >= c.events.length) return c;
  try {
    return rebuild({ ...c, events: c.events.slice(0, seq) }, opts, baseOf(c));
  } catch {
    return c;
  }
}

function dateOrBlank(d: string | null | undefined, provisional = false): string {
  return d ? `${chineseDate(d)}${provisional ? '（暂定）' : ''}` : '';
}

/** the rights paragraph: 60 days to 行政复议, 6 months to 行政诉讼, naming where */
export function rightsParagraph(s: NoticeSettings, subject = '本告知'): string {
  return `如对${subject}不服，可以自知道该行政行为之日起六十日内向${s.reviewBody || '（行政复议机关）'}申请行政复议，也可以自知道该行政行为之日起六个月内向${s.court || '（有管辖权的人民法院）'}提起行政诉讼（《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。`;
}

/** the draft of a notice for step `seq` of the case, with the problems that stop it from being issued */
export function draftNotice(input: DraftInput): NoticeDraft {
  const c = input.case;
  const available = availableNotices(c);
  const step = available.find((a) => a.seq === input.seq);
  if (!step) {
    const e = c.events[input.seq - 1];
    throw new NoticeError(
      e ? `第 ${input.seq} 步（${e.voided ? '已作废' : '此类事件'}）没有要发出的文书。` : `申请“${c.id}”没有第 ${input.seq} 步。`,
      e ? `Step ${input.seq} calls for no notice.` : `Case "${c.id}" has no step ${input.seq}.`,
    );
  }
  const key = (input.key ?? step.key) as NoticeKey;
  if (key !== step.key && !step.alternatives.includes(key)) {
    const spec = noticeSpec(key);
    throw new NoticeError(
      `第 ${input.seq} 步应发出“${step.label}”${step.alternatives.length ? `或“${step.alternatives.map((k) => noticeSpec(k)!.label).join('”“')}”` : ''}，不能发出“${spec?.label ?? key}”。`,
      `Step ${input.seq} calls for ${step.key}${step.alternatives.length ? ` or ${step.alternatives.join(', ')}` : ''}, not ${key}.`,
    );
  }
  const spec = noticeSpec(key)!;
  const template = input.template ?? spec.template;
  const opts: CaseOptions = { calendar: input.calendar, feePausesClock: input.feePausesClock };
  const event = input.seq > 0 ? c.events[input.seq - 1] : undefined;
  const at = caseAt(c, input.seq, opts);
  const settings = input.settings;
  const problems: NoticeProblem[] = [];

  // facts of the case
  const values: Record<string, string> = {
    机关名称: settings.agencyName,
    申请人: c.applicant.name,
    申请编号: c.id,
    收件日期: chineseDate(c.receipt.arrivedOn),
    收件渠道: CHANNEL_LABELS[c.receipt.channel] ?? c.receipt.channel,
    收到申请日期: chineseDate(c.receivedOn),
    申请内容: `${c.request.description.replace(/[。.]\s*$/u, '')}${c.request.documentNumber ? `（${c.request.documentNumber}）` : ''}`,
    获取形式: c.delivery.form,
    获取途径: c.delivery.channel,
    复议机关: settings.reviewBody,
    管辖法院: settings.court,
    发文日期: chineseDate(input.issuedOn),
  };
  let due: ReturnType<typeof dueDates> | null = null;
  try {
    due = dueDates(at, opts);
  } catch {
    due = null;
  }
  values.答复期限 = due?.replyDue ? dateOrBlank(due.replyDue, due.provisional.replyDue) : '（暂停计算，恢复后另行告知）';
  const correction = at.state.correction ?? c.state.correction;
  if (event?.type === 'correctionNotice') {
    values.补正期限 = chineseDate(event.deadline);
    values.补正告知日期 = chineseDate(event.on);
  } else if (correction) {
    values.补正期限 = chineseDate(correction.deadline);
    values.补正告知日期 = chineseDate(correction.noticeOn);
  }
  if (event?.type === 'extension') {
    values.延长工作日 = String(event.days);
    values.延长后答复期限 = due?.replyDue ? dateOrBlank(due.replyDue, due.provisional.replyDue) : '（暂停计算，恢复后另行告知）';
  }
  let recipient = c.applicant.name;
  if (event?.type === 'consultationStarted') {
    recipient = event.consulted;
    values.征求对象 = event.consulted;
    const k = at.state.consultations.find((x) => x.startedOn === event.on && x.consulted === event.consulted);
    const ys = k ? (input.calendar?.provisionalYearsBetween?.(k.startedOn, k.answerDue) ?? []) : [];
    values.征求意见期限 = k ? dateOrBlank(k.answerDue, ys.length > 0) : '';
  }
  const fee = at.state.fee ?? c.state.fee;
  if (fee) {
    values.收费方式 = FEE_METHOD_ZH[fee.input.method];
    values.收费标准 = FEE_STANDARD[fee.input.method];
    values.收费金额 = money(fee.result.amount);
    values.计费明细 = fee.result.explanation.join('；').replace(/[。；]$/u, '');
    values.收费通知日期 = chineseDate(fee.noticeOn);
    values.缴费期限 = dateOrBlank(fee.payDue, due?.provisional.feePayDue ?? false);
  }
  values.救济途径 = rightsParagraph(settings, key === 'fee' ? '本收费决定' : '本答复');

  // the free parts: the clerk's text, else prefilled from the case
  const prefill: Record<string, string> = {};
  if (event?.type === 'correctionNotice') prefill.补正内容 = event.items ?? '';
  if (event?.type === 'extension') prefill.延期理由 = event.reason ?? '';
  if (event?.type === 'reply') prefill.理由 = event.reasons ?? '';
  if (event?.type === 'withdrawal')
    prefill.理由 = `申请人于${chineseDate(event.on)}撤回该申请${event.reason ? `（${event.reason}）` : ''}。`;
  if (event?.type === 'feeNotice') prefill.缴费方式 = settings.payMethod;
  if (event?.note && !prefill.理由 && spec.free.some((f) => f.name === '理由')) prefill.理由 = event.note;
  const fields: DraftField[] = spec.free.map((f) => ({ ...f, value: (input.free?.[f.name] ?? prefill[f.name] ?? '').trim() }));
  for (const f of fields) {
    values[f.name] = f.value;
    if (f.required && f.value === '') {
      problems.push({ zh: `请填写“${f.name}”：${f.hint}。`, en: `Fill in "${f.name}" (${f.hint}).` });
    }
  }
  // a reason ends a sentence where the template continues
  if (values.理由 && !/[。！？；.!?]$/u.test(values.理由) && key === 'reply.notResponsible') values.理由 += '。';
  if (key === 'reply.notResponsible') {
    const body = values.负责机关 ?? '';
    const contact = values.负责机关联系方式 ?? '';
    values.负责机关说明 = body
      ? `负责公开该政府信息的行政机关为${body}${contact ? `，联系方式：${contact}` : ''}。`
      : '本机关无法确定负责公开该政府信息的行政机关。';
  }
  for (const f of spec.free) if (values[f.name] === undefined) values[f.name] = '';

  if (!settings.agencyName.trim()) {
    problems.push({
      zh: '尚未设置发文机关名称（在“文书设置”中填写；命令行：nianbao register notice-settings --set 发文机关名称=…）。',
      en: 'The issuing agency’s name is not set (notice settings; on the command line: nianbao register notice-settings --set agencyName=…).',
    });
  }
  const usesRights = placeholdersOf(template).has('救济途径');
  if (usesRights && (!settings.reviewBody.trim() || !settings.court.trim())) {
    problems.push({
      zh: '尚未设置行政复议机关和管辖法院（在“文书设置”中填写）：告知申请人救济途径时须写明向谁提出。',
      en: 'The review body and the court are not set (notice settings): the applicant’s rights must name where.',
    });
  }
  for (const p of validateTemplate(key, template)) problems.push({ zh: `模板有误：${p.zh}`, en: `Template: ${p.en}` });

  const fill = (text: string) => text.replace(PLACEHOLDER_RE, (_m, name: string) => values[name.trim()] ?? '');
  const paragraphs = template.paragraphs
    .flatMap((p) => fill(p).split(/\n+/))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const footer = settings.contact
    .split(/\n+/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return {
    key,
    seq: input.seq,
    label: spec.label,
    document: {
      agency: settings.agencyName,
      title: fill(template.title).trim(),
      number: input.number ?? null,
      recipient,
      paragraphs,
      signature: settings.agencyName,
      date: input.issuedOn,
      seal: settings.seal,
      draft: input.number == null,
      footer,
    },
    fields,
    problems,
  };
}

/** the plain text of a notice (CLI, tests, the hash's canonical form is the JSON) */
export function noticeText(d: NoticeDocument): string {
  const lines = [
    ...(d.draft ? ['草稿（未发文）', ''] : []),
    d.title,
    d.number ?? '（发文时编号）',
    '',
    `${d.recipient}：`,
    ...d.paragraphs.map((p) => `　　${p}`),
    '',
    d.signature,
    chineseDate(d.date),
    d.seal,
    ...(d.footer.length ? ['', ...d.footer] : []),
  ];
  return `${lines.join('\n')}\n`;
}
