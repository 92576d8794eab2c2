/**
 * The register of disclosure applications (依申请公开登记) as zod schemas: a new application, each
 * event of its life (a union on `type`), the recorded case with its state, revisions and voided
 * events, its due dates and status. The domain module (src/register/case.ts) computes them; these
 * schemas are their shape for the API, the JSON Schema and the web app, and the tests check that
 * they and the domain's types agree both ways.
 *
 * Depends on zod only.
 */
import { z } from 'zod';
import { DateSchema } from './report.schema.js';

const day = (description: string) => DateSchema.meta({ description });
const time = (description: string) => z.string().meta({ description });

// ---------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------

export const ApplicantTypeSchema = z.enum(['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other']).meta({
  id: 'ApplicantType',
  description:
    'The kind of applicant, one of the six applicant columns of 表二: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他.',
});

export const ChannelSchema = z.enum(['inPerson', 'post', 'ordinaryMail', 'internet', 'fax']).meta({
  id: 'Channel',
  description:
    'How the application arrived (第三十一条): inPerson 当面提交 and post 邮寄（签收） are received on the day submitted or signed for; ordinaryMail 平信, internet 互联网 and fax 传真 on the day of confirmation with the applicant.',
});

export const OutcomeSchema = z
  .enum([
    'granted',
    'partlyGranted',
    'withheldStateSecret',
    'withheldLawProhibited',
    'withheldSecurityStability',
    'withheldThirdParty',
    'withheldInternalAffairs',
    'withheldProcessInfo',
    'withheldEnforcementFile',
    'withheldQueryMatter',
    'unableNotHeld',
    'unableNeedsCreation',
    'unableUnclear',
    'notProcessedComplaint',
    'notProcessedDuplicate',
    'notProcessedPublication',
    'notProcessedExcessive',
    'notProcessedConfirmation',
    'otherNoCorrection',
    'otherFeeUnpaid',
    'otherOther',
  ])
  .meta({
    id: 'Outcome',
    description: 'How a case ended: one of the 21 leaf outcome rows of 表二 三 (format 2021), keys as in the Report JSON.',
  });

export const ReplyOutcomeSchema = OutcomeSchema.exclude(['otherNoCorrection', 'otherFeeUnpaid']).meta({
  id: 'ReplyOutcome',
  description: 'The outcomes a reply may give: otherNoCorrection and otherFeeUnpaid come only from correctionExpired and feeExpired.',
});

export const ProceedingKindSchema = z.enum(['review', 'litigationDirect', 'litigationAfterReview']).meta({
  id: 'ProceedingKind',
  description: '行政复议 review, 行政诉讼 direct (未经复议直接起诉) or after review (复议后起诉): the groups of 表三.',
});

export const ProceedingResultSchema = z
  .enum(['upheld', 'corrected', 'other'])
  .meta({ id: 'ProceedingResult', description: '结果维持, 结果纠正 or 其他结果 (表三).' });

export const EventTypeSchema = z
  .enum([
    'correctionNotice',
    'correctionReceived',
    'correctionExpired',
    'consultationStarted',
    'consultationEnded',
    'extension',
    'feeNotice',
    'feePaid',
    'feeExpired',
    'withdrawal',
    'reply',
    'proceedingFiled',
    'proceedingDecided',
  ])
  .meta({ id: 'EventType', description: 'The kind of a recorded event.' });

// ---------------------------------------------------------------------------
// The application
// ---------------------------------------------------------------------------

export const NewCaseSchema = z
  .object({
    id: z.string().meta({ description: 'the case number, e.g. "2025-001"' }),
    applicant: z.object({
      name: z.string().meta({ description: '姓名或者名称' }),
      identity: z.object({ type: z.string(), number: z.string() }).meta({ description: '身份证明: kind and number' }),
      contact: z
        .object({ phone: z.string().optional(), address: z.string().optional(), email: z.string().optional() })
        .meta({ description: '联系方式: at least one' }),
    }),
    applicantType: ApplicantTypeSchema,
    request: z
      .object({ description: z.string(), documentNumber: z.string().optional() })
      .meta({ description: '申请公开的政府信息的名称、文号或者便于查询的其他特征性描述' }),
    delivery: z
      .object({ form: z.string(), channel: z.string() })
      .meta({ description: '申请公开的政府信息的形式要求，包括获取信息的方式、途径' }),
    receipt: z.object({
      channel: ChannelSchema,
      arrivedOn: day('the day it was submitted (inPerson), signed for (post) or arrived (ordinaryMail, internet, fax)'),
      confirmedOn: day(
        'the day of confirmation with the applicant; required for ordinaryMail, internet and fax, absent otherwise',
      ).optional(),
    }),
    registeredBy: z.string().meta({ description: 'who registered it' }),
  })
  .meta({ description: 'An application as registered: what 第二十九条 requires, the kind of applicant and the receipt (第三十一条).' });

// ---------------------------------------------------------------------------
// Fees
// ---------------------------------------------------------------------------

function feeInputSchema<P extends z.ZodType>(priorThisMonth: P) {
  return z.discriminatedUnion('method', [
    z
      .object({
        method: z.literal('perApplication'),
        priorThisMonth,
        units: z.number().int().min(1).optional().meta({ description: 'the units it counts as under 一事一申请 (第四条), default 1' }),
      })
      .meta({ description: '按件 (第四条): per applicant per calendar month, cumulative' }),
    z
      .object({ method: z.literal('perPage'), pages: z.number().int().min(0).meta({ description: 'pages of this application' }) })
      .meta({ description: '按量 (第五条): per application' }),
  ]);
}

export const FeeInputSchema = feeInputSchema(
  z.number().int().min(0).meta({ description: 'applications by the same applicant already counted this calendar month (before this one)' }),
).meta({ id: 'FeeInput', description: '信息处理费 (国办函〔2020〕109号): the method and its quantity.' });

export const FeeBandSchema = z
  .object({
    from: z.number().int().meta({ description: 'first unit of the band (1-based)' }),
    to: z.number().int().nullable().meta({ description: 'last unit of the band; null = open-ended' }),
    rate: z.number().meta({ description: '元 per unit in this band' }),
    quantity: z.number().int().meta({ description: 'units of this application in the band' }),
    amount: z.number(),
  })
  .meta({ id: 'FeeBand' });

export const FeeResultSchema = z
  .object({
    method: z.enum(['perApplication', 'perPage']),
    amount: z.number().meta({ description: 'total in 元' }),
    bands: z.array(FeeBandSchema).meta({ description: 'the bands this application touches, in order, with their share' }),
    explanation: z.array(z.string()).meta({ description: 'Chinese, one line per band plus the basis' }),
  })
  .meta({ id: 'FeeResult', description: 'The fee computed: the total in 元 and its bands.' });

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

export const VoidedSchema = z
  .object({
    at: time('when it was voided (ISO time)'),
    by: z.string(),
    reason: z.string(),
  })
  .meta({ id: 'Voided', description: 'A recorded event declared void: kept, shown struck through, not applied.' });

/** the events, over the fields every event has, the fee of a feeNotice and the outcome of a reply */
function eventSchemas<B extends z.ZodRawShape, F extends z.ZodType, O extends z.ZodType>(base: B, fee: F, outcome: O) {
  return [
    z.object({
      type: z.literal('correctionNotice'),
      ...base,
      deadline: day('the day by which the applicant is to correct the application'),
      items: z.string().optional().meta({ description: 'what is to be corrected' }),
    }),
    z.object({ type: z.literal('correctionReceived'), ...base, goodReason: z.string().optional() }),
    z.object({ type: z.literal('correctionExpired'), ...base }),
    z.object({
      type: z.literal('consultationStarted'),
      ...base,
      party: z.enum(['thirdParty', 'agency']).meta({ description: '第三方 (第三十二条) or another agency (第三十三条第三款)' }),
      consulted: z.string().meta({ description: 'who was consulted' }),
    }),
    z.object({ type: z.literal('consultationEnded'), ...base, result: z.enum(['agreed', 'objected', 'noReply']).optional() }),
    z.object({
      type: z.literal('extension'),
      ...base,
      days: z.number().int().meta({ description: 'working days of extension (at most 20 in all)' }),
      approver: z.string(),
      applicantNotified: z.boolean(),
      reason: z.string().optional(),
    }),
    z.object({ type: z.literal('feeNotice'), ...base, fee }),
    z.object({ type: z.literal('feePaid'), ...base }),
    z.object({ type: z.literal('feeExpired'), ...base }),
    z.object({ type: z.literal('withdrawal'), ...base, reason: z.string().optional() }),
    z.object({ type: z.literal('reply'), ...base, outcome, reasons: z.string().optional() }),
    z.object({ type: z.literal('proceedingFiled'), ...base, id: z.string(), kind: ProceedingKindSchema }),
    z.object({
      type: z.literal('proceedingDecided'),
      ...base,
      id: z.string(),
      result: ProceedingResultSchema,
      decision: z.string().optional(),
    }),
  ] as const;
}

/** an event as recorded in a case */
export const CaseEventSchema = z
  .discriminatedUnion(
    'type',
    eventSchemas(
      {
        on: day('the day it happened'),
        by: z.string().meta({ description: 'the user who recorded it' }),
        note: z.string().optional(),
        voided: VoidedSchema.optional().meta({ description: 'set when the event was voided' }),
      },
      FeeInputSchema,
      ReplyOutcomeSchema,
    ),
  )
  .meta({ id: 'CaseEvent', description: 'A recorded event of a case, by `type`.' });

/**
 * An event as a client submits it (POST /api/cases/{id}/events): `by` defaults to the user, a 按件
 * fee without `priorThisMonth` takes the count from the register, and a reply may name any outcome
 * (the domain refuses otherNoCorrection and otherFeeUnpaid with `bad-outcome`).
 */
export const NewCaseEventSchema = z
  .discriminatedUnion(
    'type',
    eventSchemas(
      {
        on: day('the day it happened'),
        by: z.string().optional().meta({ description: 'the user who records it (default: the logged-in user)' }),
        note: z.string().optional(),
      },
      feeInputSchema(z.number().int().min(0).optional().meta({ description: 'default: counted from the register' })),
      OutcomeSchema,
    ),
  )
  .meta({ id: 'NewCaseEvent', description: 'An event to record, by `type`; `by` defaults to the logged-in user.' });

// ---------------------------------------------------------------------------
// The case
// ---------------------------------------------------------------------------

export const ConsultationSchema = z
  .object({
    party: z.enum(['thirdParty', 'agency']),
    consulted: z.string(),
    startedOn: DateSchema,
    answerDue: day('15 working days for the consulted party'),
    endedOn: DateSchema.optional(),
    result: z.enum(['agreed', 'objected', 'noReply']).optional(),
  })
  .meta({ id: 'Consultation' });

export const ProceedingSchema = z
  .object({
    id: z.string(),
    kind: ProceedingKindSchema,
    filedOn: DateSchema,
    decidedOn: DateSchema.optional(),
    result: ProceedingResultSchema.optional(),
  })
  .meta({ id: 'Proceeding' });

export const StateWarningSchema = z
  .object({
    seq: z.number().int().meta({ description: '1-based position of the event in `Case.events`' }),
    on: DateSchema,
    type: EventTypeSchema,
    zh: z.string(),
    en: z.string(),
  })
  .meta({
    id: 'StateWarning',
    description: 'A recorded step kept although its timing would be refused today (e.g. under a new holiday notice).',
  });

export const CaseStateSchema = z
  .object({
    closed: z
      .object({ on: DateSchema, outcome: OutcomeSchema, via: EventTypeSchema })
      .nullable()
      .meta({ description: 'how and when the case ended, or null while open' }),
    correction: z
      .object({ noticeOn: DateSchema, deadline: DateSchema, receivedOn: DateSchema.optional(), expiredOn: DateSchema.optional() })
      .nullable()
      .meta({ description: '补正: notice, deadline and how it ended' }),
    consultations: z.array(ConsultationSchema),
    extensionDays: z.number().int().meta({ description: 'working days of extension granted' }),
    fee: z
      .object({
        noticeOn: DateSchema,
        input: FeeInputSchema,
        result: FeeResultSchema,
        payDue: DateSchema,
        paidOn: DateSchema.optional(),
        expiredOn: DateSchema.optional(),
      })
      .nullable()
      .meta({ description: '信息处理费: notice, amount, due date and how it ended' }),
    proceedings: z.array(ProceedingSchema),
    lastEventOn: DateSchema,
    warnings: z
      .array(StateWarningSchema)
      .optional()
      .meta({ description: 'recorded steps whose timing no longer holds under the current calendar' }),
  })
  .meta({ id: 'CaseState', description: 'The state of a case, computed from its events.' });

export const RevisionChangeSchema = z
  .object({
    field: z.string().meta({ description: 'a field path of the case (`applicant.name`) or a due date (`replyDue`)' }),
    label: z.string().meta({ description: 'its Chinese name' }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    fromProvisional: z.boolean().optional(),
    toProvisional: z.boolean().optional(),
  })
  .meta({ id: 'RevisionChange', description: 'One changed value of a revision; dates carry whether they were provisional (暂定).' });

export const RevisionSchema = z
  .object({
    kind: z.enum(['amend', 'void', 'calendar']),
    at: time('ISO time'),
    by: z.string(),
    reason: z.string(),
    seq: z.number().int().optional().meta({ description: 'void: the 1-based position of the voided event' }),
    changes: z.array(RevisionChangeSchema),
  })
  .meta({
    id: 'Revision',
    description: 'A correction of a recorded case: fields amended, an event voided, or dates recomputed under a new holiday calendar.',
  });

/** the fields of an application a correction may change (not its number, not who registered it); only those that change */
export const CaseAmendmentSchema = z
  .object({
    applicant: z
      .object({
        name: z.string().optional(),
        identity: z.object({ type: z.string().optional(), number: z.string().optional() }).optional(),
        contact: z.object({ phone: z.string().optional(), address: z.string().optional(), email: z.string().optional() }).optional(),
      })
      .optional(),
    applicantType: ApplicantTypeSchema.optional(),
    request: z.object({ description: z.string().optional(), documentNumber: z.string().optional() }).optional(),
    delivery: z.object({ form: z.string().optional(), channel: z.string().optional() }).optional(),
    receipt: z
      .object({
        channel: ChannelSchema.optional(),
        arrivedOn: DateSchema.optional(),
        confirmedOn: DateSchema.nullable().optional().meta({ description: 'null removes the confirmation date' }),
      })
      .optional(),
  })
  .meta({ id: 'CaseAmendment', description: '要更正的字段（只列出改动的） / the fields of an application to correct' });

/** a holiday notice entered by an administrator (national when `jurisdiction` is '') */
export const HolidayNoticeSchema = z
  .object({
    id: z.number().int().optional(),
    year: z.number().int(),
    jurisdiction: z.string().meta({ description: "'' for a national notice; else the register (agency id) of the jurisdiction" }),
    title: z.string(),
    daysOff: z.record(z.string(), z.string()).meta({ description: 'date → holiday name' }),
    makeUpWorkdays: z.record(z.string(), z.string()).meta({ description: 'date → holiday name' }),
    enteredBy: z.string(),
    enteredAt: z.string(),
  })
  .meta({ id: 'HolidayNotice', description: '管理员录入的放假通知 / a holiday notice entered by an administrator' });

export const CaseSchema = NewCaseSchema.extend({
  receivedOn: day('收到申请之日 (第三十一条)'),
  events: z
    .array(CaseEventSchema)
    .readonly()
    .meta({ description: 'every recorded event in order, voided ones included (marked `voided`)' }),
  state: CaseStateSchema,
  revisions: z.array(RevisionSchema).optional().meta({ description: 'corrections of the case, oldest first' }),
}).meta({ id: 'Case', description: 'A case of the register: the application, its events, its state and its revisions.' });

// ---------------------------------------------------------------------------
// Due dates and status
// ---------------------------------------------------------------------------

export const DayInfoSchema = z
  .object({
    date: DateSchema,
    weekday: z.number().int().min(0).max(6).meta({ description: '0 = Sunday … 6 = Saturday' }),
    kind: z.enum(['workday', 'weekend', 'holiday', 'makeup']),
    working: z.boolean(),
    name: z.string().optional().meta({ description: 'holiday name for a day off or a make-up working day' }),
    provisional: z
      .literal(true)
      .optional()
      .meta({ description: 'the year has no official notice: the kind comes from the statute (暂定)' }),
    local: z.literal(true).optional().meta({ description: 'a day off or make-up day of the jurisdiction’s own notice' }),
  })
  .meta({ id: 'DayInfo', description: 'One day of the working calendar.' });

export const PauseSchema = z
  .object({
    kind: z.enum(['consultation', 'fee']),
    from: day('the clock stops after this day …'),
    to: DateSchema.nullable().meta({ description: '… through this day (inclusive); null while still running' }),
    days: z.array(DateSchema).meta({ description: 'working days not counted' }),
  })
  .meta({ id: 'Pause' });

const SuspendedSchema = z
  .enum(['correction', 'consultation', 'fee'])
  .nullable()
  .meta({ description: 'why the reply clock stands still, or null' });

export const DueDatesSchema = z
  .object({
    receivedOn: DateSchema,
    correctionNoticeDue: day('补正告知 due: 7 working days (第三十条)'),
    base: z
      .object({ date: DateSchema, reason: z.enum(['receipt', 'correction']) })
      .meta({ description: 'where the 20 working days count from: the receipt or the corrected application' }),
    workingDays: z.number().int().meta({ description: '20 + extension' }),
    extensionDays: z.number().int(),
    pauses: z.array(PauseSchema),
    replyDue: DateSchema.nullable().meta({
      description: 'null while the clock is suspended (awaiting correction, or an open consultation)',
    }),
    suspended: SuspendedSchema,
    correctionDeadline: DateSchema.optional(),
    consultationAnswerDue: DateSchema.optional(),
    feePayDue: DateSchema.optional(),
    weekendsSkipped: z.number().int(),
    holidaysSkipped: z.array(DayInfoSchema),
    provisional: z
      .object({
        correctionNoticeDue: z.boolean(),
        replyDue: z.boolean(),
        consultationAnswerDue: z.boolean().optional(),
        feePayDue: z.boolean().optional(),
      })
      .meta({ description: 'which of the dates are provisional (暂定): computed over a year without an official holiday notice' }),
    provisionalYears: z.array(z.number().int()).meta({ description: 'the years without an official notice that the dates depend on' }),
    explanation: z.array(z.string()).meta({ description: 'Chinese, one line each' }),
  })
  .meta({ id: 'DueDates', description: 'The due dates of a case with their explanation.' });

export const CaseStatusSchema = z
  .object({
    state: z.enum(['open', 'closed']),
    outcome: OutcomeSchema.nullable(),
    closedOn: DateSchema.nullable(),
    replyDue: DateSchema.nullable(),
    replyDueProvisional: z
      .boolean()
      .meta({ description: '答复期限为暂定（跨越尚未录入放假通知的年份） / the reply due date is provisional' }),
    suspended: SuspendedSchema,
    overdue: z.boolean().meta({ description: 'open and past the reply due date' }),
    dueSoon: z.boolean().meta({ description: 'open, not overdue, due within 3 working days of today' }),
    repliedLate: z.boolean().meta({ description: 'closed by a reply after the due date' }),
    correctionLapsed: z.boolean().meta({ description: 'the correction deadline has passed and the expiry is not yet recorded' }),
    feeLapsed: z.boolean().meta({ description: 'the payment deadline has passed and the expiry is not yet recorded' }),
  })
  .meta({ id: 'CaseStatus', description: 'Open or closed, overdue, due soon, on a given day.' });
