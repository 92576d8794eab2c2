/**
 * What the Chinese tests share (test/web-labels.test.ts, test/browser/chinese.test.ts): the pattern of
 * an identifier a person must never see, and event sequences that cover every kind of event.
 */

/** identifier-like tokens: camelCase, dotted paths, kebab-case ids, a `*`, English error codes */
export const IDENTIFIER = /[a-z][A-Z]|[A-Za-z]+\.[A-Za-z*]+|[a-z]+-[a-z]+|\*|ENOENT|\bforce\b|\bnull\b|\bundefined\b/;

/** every kind of event, over four cases (the same sequences the browser test records) */
export const EVENT_SEQUENCES: { arrivedOn: string; events: Record<string, unknown>[] }[] = [
  {
    arrivedOn: '2026-11-02',
    events: [
      { type: 'correctionNotice', on: '2026-11-03', deadline: '2026-11-06', items: '请写明所需信息的文号' },
      { type: 'correctionReceived', on: '2026-11-09', goodReason: '申请人住院，提交了证明' },
      { type: 'consultationStarted', on: '2026-11-10', party: 'thirdParty', consulted: '某某建设有限公司' },
      { type: 'consultationEnded', on: '2026-11-12', result: 'objected' },
      { type: 'extension', on: '2026-11-13', days: 10, approver: '李主任', applicantNotified: true, reason: '需要征求意见' },
      { type: 'feeNotice', on: '2026-11-16', fee: { method: 'perPage', pages: 500 } },
      { type: 'feePaid', on: '2026-11-17' },
      { type: 'reply', on: '2026-11-18', outcome: 'withheldThirdParty', reasons: '第三方不同意公开' },
      { type: 'proceedingFiled', on: '2026-11-19', kind: 'review', id: '（2026）某复字第1号' },
      { type: 'proceedingDecided', on: '2026-11-30', id: '（2026）某复字第1号', result: 'upheld', decision: '维持原答复' },
    ],
  },
  {
    arrivedOn: '2026-11-02',
    events: [
      { type: 'correctionNotice', on: '2026-11-03', deadline: '2026-11-06' },
      { type: 'correctionExpired', on: '2026-11-09' },
    ],
  },
  {
    arrivedOn: '2026-06-01',
    events: [
      { type: 'feeNotice', on: '2026-06-02', fee: { method: 'perPage', pages: 500 } },
      { type: 'feeExpired', on: '2026-08-03' },
    ],
  },
  { arrivedOn: '2026-11-02', events: [{ type: 'withdrawal', on: '2026-11-03', reason: '申请人已自行取得' }] },
];
