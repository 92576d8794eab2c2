/**
 * The notices (文书) of the register, as a rule module is tested: every notice kind drafted for cases
 * in every outcome, with the legal content a notice must carry — the article it rests on, the
 * applicant's rights (行政复议 60 日, 行政诉讼 6 个月, naming where) — and templates that drop it refused.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent, type Case, type CaseEvent, createCase, OUTCOMES_2021, type Outcome } from '../src/register/case.js';
import {
  availableNotices,
  DEFAULT_NOTICE_SETTINGS,
  draftNotice,
  formatNumber,
  NOTICE_SPECS,
  type NoticeSettings,
  noticeSpec,
  noticeText,
  validateSettings,
  validateTemplate,
} from '../src/register/notices.js';
import { newCase } from './helpers/register-gen.js';

const SETTINGS: NoticeSettings = {
  ...DEFAULT_NOTICE_SETTINGS,
  agencyName: '示范市东区人民政府',
  numberPattern: '东政依申〔{year}〕第{n}号',
  reviewBody: '示范市人民政府',
  court: '示范市中级人民法院',
  contact: '联系电话：0000-12345678',
};

const BY = '王五';

/** an event without its recorder (each member of the union on its own) */
type EventInput = CaseEvent extends infer E ? (E extends CaseEvent ? Omit<E, 'by'> : never) : never;

function caseWith(events: EventInput[], id = '2025-001'): Case {
  let c = createCase(newCase(id, '2025-03-03', 'naturalPerson'));
  for (const e of events) c = applyEvent(c, { by: BY, ...e } as CaseEvent);
  return c;
}

/** the article each outcome's reply rests on, written out here apart from the module */
const ARTICLE: Record<Outcome, string> = {
  granted: '第三十六条第（二）项',
  partlyGranted: '第三十七条',
  withheldStateSecret: '第十四条',
  withheldLawProhibited: '第十四条',
  withheldSecurityStability: '第十四条',
  withheldThirdParty: '第十五条',
  withheldInternalAffairs: '第十六条第一款',
  withheldProcessInfo: '第十六条第二款',
  withheldEnforcementFile: '第十六条第二款',
  withheldQueryMatter: '第三十六条第（七）项',
  unableNotHeld: '第三十六条第（四）项',
  unableNeedsCreation: '第三十八条',
  unableUnclear: '第三十条',
  notProcessedComplaint: '第三十九条第一款',
  notProcessedDuplicate: '第三十六条第（六）项',
  notProcessedPublication: '第三十九条第二款',
  notProcessedExcessive: '第三十五条',
  notProcessedConfirmation: '第二条',
  otherNoCorrection: '第三十条',
  otherFeeUnpaid: '第四十二条',
  otherOther: '',
};

/** a case that ends in `outcome`, and the step (seq) that ends it */
function endingIn(outcome: Outcome): { c: Case; seq: number } {
  if (outcome === 'otherNoCorrection') {
    const c = caseWith([
      { type: 'correctionNotice', on: '2025-03-05', deadline: '2025-03-20', items: '请写明文件名称' },
      { type: 'correctionExpired', on: '2025-03-21' },
    ]);
    return { c, seq: 2 };
  }
  if (outcome === 'otherFeeUnpaid') {
    const c = caseWith([
      { type: 'feeNotice', on: '2025-03-10', fee: { method: 'perPage', pages: 120 } },
      { type: 'feeExpired', on: '2025-04-10' },
    ]);
    return { c, seq: 2 };
  }
  if (outcome === 'unableUnclear') {
    const c = caseWith([
      { type: 'correctionNotice', on: '2025-03-05', deadline: '2025-03-20', items: '请写明文件名称' },
      { type: 'correctionReceived', on: '2025-03-12' },
      { type: 'reply', on: '2025-03-25', outcome },
    ]);
    return { c, seq: 3 };
  }
  return { c: caseWith([{ type: 'reply', on: '2025-03-20', outcome } as EventInput]), seq: 1 };
}

function draft(c: Case, seq: number, extra: { key?: string; free?: Record<string, string>; settings?: NoticeSettings } = {}) {
  return draftNotice({ case: c, seq, issuedOn: '2025-04-15', settings: extra.settings ?? SETTINGS, key: extra.key, free: extra.free });
}

const RIGHTS_OF = (text: string) => {
  expect(text).toContain('六十日内向示范市人民政府申请行政复议');
  expect(text).toContain('六个月内向示范市中级人民法院提起行政诉讼');
};

describe('the reply notice of every outcome of 表二 三、', () => {
  for (const outcome of OUTCOMES_2021) {
    it(`${outcome}: cites its article, tells the rights and where, names the applicant`, () => {
      const { c, seq } = endingIn(outcome);
      const step = availableNotices(c).find((a) => a.seq === seq)!;
      expect(step.key).toBe(`reply.${outcome}`);
      const first = draft(c, seq);
      // the free parts a reply needs (the reasons…) stop it until they are written
      const needed = first.fields.filter((f) => f.required);
      expect(first.problems.length > 0).toBe(needed.length > 0);
      const free = Object.fromEntries(needed.map((f) => [f.name, `具体说明${f.name}`]));
      const d = draft(c, seq, { free });
      expect(d.problems).toEqual([]);
      const text = d.document.paragraphs.join('\n');
      if (ARTICLE[outcome]) expect(text).toContain(ARTICLE[outcome]);
      expect(text).toContain('《中华人民共和国政府信息公开条例》');
      RIGHTS_OF(text);
      expect(d.document.recipient).toBe(c.applicant.name);
      expect(text).toContain(c.id);
      for (const v of Object.values(free)) expect(text).toContain(v);
      expect(d.document.number).toBeNull();
      expect(d.document.draft).toBe(true);
      expect(d.document.signature).toBe('示范市东区人民政府');
      expect(d.document.date).toBe('2025-04-15');
    });
  }

  it('a withdrawal ends the case as 其他 and its notice says when the applicant withdrew', () => {
    const c = caseWith([{ type: 'withdrawal', on: '2025-03-10', reason: '已自行获取' }]);
    const step = availableNotices(c).find((a) => a.seq === 1)!;
    expect(step.key).toBe('reply.otherOther');
    const d = draft(c, 1);
    expect(d.problems).toEqual([]);
    expect(d.document.paragraphs.join('')).toContain('申请人于2025年3月10日撤回该申请（已自行获取）');
  });

  it('不是本机关职责: names the responsible body and its contact when known, says so when not', () => {
    const { c } = endingIn('unableNotHeld');
    const step = availableNotices(c)[1];
    expect(step.alternatives).toContain('reply.notResponsible');
    const known = draft(c, 1, {
      key: 'reply.notResponsible',
      free: { 理由: '该信息由市自然资源局制作', 负责机关: '示范市自然资源局', 负责机关联系方式: '0000-7654321' },
    });
    expect(known.problems).toEqual([]);
    const text = known.document.paragraphs.join('');
    expect(text).toContain('第三十六条第（五）项');
    expect(text).toContain('负责公开该政府信息的行政机关为示范市自然资源局，联系方式：0000-7654321。');
    const unknown = draft(c, 1, { key: 'reply.notResponsible', free: { 理由: '不属于本机关职责' } });
    expect(unknown.document.paragraphs.join('')).toContain('本机关无法确定负责公开该政府信息的行政机关');
    // a kind that does not fit the step is refused
    expect(() => draft(c, 1, { key: 'reply.granted' })).toThrow(/不能发出/);
  });

  it('已主动公开: 第三十六条第（一）项 with where to get it', () => {
    const { c } = endingIn('granted');
    const d = draft(c, 1, { key: 'reply.grantedPublished', free: { 获取途径说明: '本机关门户网站“政府信息公开”栏目' } });
    expect(d.problems).toEqual([]);
    expect(d.document.paragraphs.join('')).toContain('第三十六条第（一）项');
    expect(d.document.paragraphs.join('')).toContain('门户网站');
  });
});

describe('the notices of the other steps', () => {
  it('登记回执: the date of receipt (第三十一条) and the reply due date', () => {
    const c = caseWith([]);
    const d = draft(c, 0);
    expect(d.key).toBe('receipt');
    const text = d.document.paragraphs.join('');
    expect(text).toContain('第三十一条');
    expect(text).toContain('2025年3月3日');
    // 20 working days after 2025-03-03 (no holiday in between): 31 March
    expect(text).toContain('答复期限为2025年3月31日');
    expect(d.problems).toEqual([]);
  });

  it('补正告知书: the items all at once, the deadline, 第三十条 and what happens if not corrected', () => {
    const c = caseWith([{ type: 'correctionNotice', on: '2025-03-05', deadline: '2025-03-20', items: '请写明所需文件的名称和文号' }]);
    const d = draft(c, 1);
    expect(d.key).toBe('correction');
    expect(d.fields.find((f) => f.name === '补正内容')?.value).toBe('请写明所需文件的名称和文号');
    const text = d.document.paragraphs.join('\n');
    expect(text).toContain('第三十条');
    expect(text).toContain('一次性');
    expect(text).toContain('请写明所需文件的名称和文号');
    expect(text).toContain('2025年3月20日前');
    expect(text).toContain('视为放弃申请');
    // the clerk's edit replaces the recorded items; an empty one stops issuing
    expect(draft(c, 1, { free: { 补正内容: '1. 文件名称\n2. 发文年份' } }).document.paragraphs).toEqual(
      expect.arrayContaining(['1. 文件名称', '2. 发文年份']),
    );
    expect(
      draft(c, 1, { free: { 补正内容: ' ' } })
        .problems.map((p) => p.zh)
        .join(''),
    ).toContain('补正内容');
  });

  it('延长答复期限告知书: the working days and the new due date (第三十三条第二款)', () => {
    const c = caseWith([
      { type: 'extension', on: '2025-03-25', days: 20, approver: '赵主任', applicantNotified: true, reason: '需要调取档案' },
    ]);
    const d = draft(c, 1);
    const text = d.document.paragraphs.join('');
    expect(text).toContain('第三十三条第二款');
    expect(text).toContain('延长20个工作日');
    expect(text).toContain('因需要调取档案');
    // 40 working days after 3 March 2025: 清明 (4 April) skipped, Sunday 27 April a make-up working day
    expect(text).toContain('2025年4月28日前');
  });

  it('征求第三方意见函: addressed to the third party, 15 working days, 第三十二条', () => {
    const c = caseWith([{ type: 'consultationStarted', on: '2025-03-10', party: 'thirdParty', consulted: '某某科技有限公司' }]);
    const d = draft(c, 1, { free: { 征求理由: '涉及该公司的商业秘密' } });
    expect(d.key).toBe('consultation.thirdParty');
    expect(d.document.recipient).toBe('某某科技有限公司');
    const text = d.document.paragraphs.join('');
    expect(text).toContain('第三十二条');
    expect(text).toContain('15个工作日');
    expect(text).toContain('2025年3月31日前');
    expect(d.problems).toEqual([]);
  });

  it('征求意见函 to another agency: 第三十三条第三款、第三十四条', () => {
    const c = caseWith([{ type: 'consultationStarted', on: '2025-03-10', party: 'agency', consulted: '示范市财政局' }]);
    const d = draft(c, 1, { free: { 征求理由: '该信息由贵机关共同制作' } });
    expect(d.key).toBe('consultation.agency');
    expect(d.document.paragraphs.join('')).toContain('第三十四条');
  });

  it('收费通知书: basis, standard, amount, how and by when to pay, and the rights', () => {
    const c = caseWith([{ type: 'feeNotice', on: '2025-03-10', fee: { method: 'perPage', pages: 120 } }]);
    const missing = draft(c, 1);
    expect(missing.problems.map((p) => p.zh).join('')).toContain('缴费方式');
    const d = draft(c, 1, { free: { 缴费方式: '非税收入缴款码' } });
    expect(d.problems).toEqual([]);
    const text = d.document.paragraphs.join('');
    expect(text).toContain('第四十二条');
    expect(text).toContain('国办函〔2020〕109号');
    expect(text).toContain('按量计收');
    // 31–100 pages at 10 元, 101–120 at 20 元
    expect(text).toContain('应缴金额：1100元');
    expect(text).toContain('非税收入缴款码');
    expect(text).toMatch(/20个工作日内（2025年4月\d+日前）/);
    RIGHTS_OF(text);
  });

  it('a voided step calls for no notice', () => {
    let c = caseWith([{ type: 'extension', on: '2025-03-25', days: 10, approver: '赵主任', applicantNotified: true }]);
    c = { ...c, events: c.events.map((e) => ({ ...e, voided: { at: '2025-03-26T00:00:00Z', by: BY, reason: '登记错误' } })) };
    expect(availableNotices(c).map((a) => a.seq)).toEqual([0]);
    expect(() => draft(c, 1)).toThrow(/没有要发出的文书/);
  });

  it('without a review body and a court, a notice with the rights cannot be issued', () => {
    const { c } = endingIn('granted');
    const d = draft(c, 1, { settings: { ...SETTINGS, reviewBody: '', court: '' } });
    expect(d.problems.map((p) => p.zh).join('')).toContain('行政复议机关和管辖法院');
    // the receipt carries no rights: it can be issued
    expect(draft(c, 0, { settings: { ...SETTINGS, reviewBody: '', court: '' } }).problems).toEqual([]);
  });

  it('the plain text has the title, the number place, the salutation and the signature', () => {
    const text = noticeText(draft(caseWith([]), 0).document);
    expect(text).toContain('草稿（未发文）');
    expect(text).toContain('政府信息公开申请登记回执');
    expect(text).toContain('（发文时编号）');
    expect(text).toContain(`申请人2025-001：`);
    expect(text).toContain('2025年4月15日');
  });
});

describe('templates', () => {
  it('every shipped template is valid', () => {
    for (const s of NOTICE_SPECS) expect(validateTemplate(s.key, s.template), s.key).toEqual([]);
  });

  it('a template cannot drop the rights paragraph, the article, or what the notice exists to tell', () => {
    const spec = noticeSpec('reply.withheldThirdParty')!;
    const noRights = { ...spec.template, paragraphs: spec.template.paragraphs.filter((p) => !p.includes('{{救济途径}}')) };
    expect(
      validateTemplate(spec.key, noRights)
        .map((p) => p.zh)
        .join(''),
    ).toContain('救济途径');
    const noArticle = { ...spec.template, paragraphs: spec.template.paragraphs.map((p) => p.replace(/第十五条、?/g, '')) };
    expect(
      validateTemplate(spec.key, noArticle)
        .map((p) => p.zh)
        .join(''),
    ).toContain('法律依据');
    const correction = noticeSpec('correction')!;
    const noDeadline = {
      ...correction.template,
      paragraphs: correction.template.paragraphs.map((p) => p.replace('{{补正期限}}', '规定期限')),
    };
    expect(
      validateTemplate('correction', noDeadline)
        .map((p) => p.zh)
        .join(''),
    ).toContain('{{补正期限}}');
    const unknown = { ...correction.template, paragraphs: [...correction.template.paragraphs, '{{身份证号}}'] };
    expect(
      validateTemplate('correction', unknown)
        .map((p) => p.zh)
        .join(''),
    ).toContain('未知的占位符');
    expect(validateTemplate('nonsense', correction.template)[0].zh).toContain('没有名为');
    expect(validateTemplate('correction', { title: 1 })[0].zh).toContain('标题');
  });

  it('an edited template is what the draft prints', () => {
    const c = caseWith([]);
    const d = draftNotice({
      case: c,
      seq: 0,
      issuedOn: '2025-04-15',
      settings: SETTINGS,
      template: {
        title: '受理回执',
        paragraphs: ['{{申请人}}的申请（{{申请编号}}）已于{{收到申请日期}}收到，依《条例》第三十一条登记；答复期限{{答复期限}}。'],
      },
    });
    expect(d.document.title).toBe('受理回执');
    expect(d.document.paragraphs).toEqual([
      `申请人2025-001的申请（2025-001）已于2025年3月3日收到，依《条例》第三十一条登记；答复期限2025年3月31日。`,
    ]);
  });
});

describe('numbering and settings', () => {
  it('formats the 发文字号 from the pattern', () => {
    expect(formatNumber('东政依申〔{year}〕第{n}号', 2026, 7)).toBe('东政依申〔2026〕第7号');
    expect(formatNumber('依申告字〔{year}〕{n3}号', 2026, 7)).toBe('依申告字〔2026〕007号');
  });

  it('settings: the pattern must number per year', () => {
    expect(validateSettings(SETTINGS)).toEqual([]);
    expect(
      validateSettings({ ...SETTINGS, numberPattern: '依申第{n}号' })
        .map((p) => p.zh)
        .join(''),
    ).toContain('{year}');
    expect(
      validateSettings({ ...SETTINGS, numberPattern: '依申〔{year}〕号' })
        .map((p) => p.zh)
        .join(''),
    ).toContain('{n}');
    expect(
      validateSettings({ ...SETTINGS, numberPattern: '{org}〔{year}〕{n}号' })
        .map((p) => p.zh)
        .join(''),
    ).toContain('{org}');
  });
});
