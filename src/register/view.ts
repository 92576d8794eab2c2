/**
 * What is shown of a case after a step has been committed: its status and due dates. Shown, never
 * decisive: `safeCaseView` does not throw, so that a failure here (an odd stored case, a calendar
 * problem) can never turn a committed step into a reported failure, nor one odd case fail a whole
 * list. The case is then shown with its problem instead.
 */
import { type Case, type CaseOptions, type CaseStatus, type DueDates, dueDates, status } from './case.js';

export interface CaseProblem {
  zh: string;
  en: string;
}

export interface CaseView {
  status: CaseStatus;
  /** null when the due dates could not be computed (`problem` says why) */
  due: DueDates | null;
  problem: CaseProblem | null;
}

/** the computation itself (an object, so that tests can make it throw) */
export const views = {
  caseView(c: Case, today: string, opts: CaseOptions = {}): { status: CaseStatus; due: DueDates } {
    const due = dueDates(c, opts);
    return { status: status(c, today, opts, due), due };
  },
};

/** the status of a case whose dates cannot be computed: open or closed, nothing more */
export function fallbackStatus(c: Partial<Case>): CaseStatus {
  const closed = c.state?.closed ?? null;
  return {
    state: closed ? 'closed' : 'open',
    outcome: closed?.outcome ?? null,
    closedOn: closed?.on ?? null,
    replyDue: null,
    replyDueProvisional: false,
    suspended: null,
    overdue: false,
    dueSoon: false,
    repliedLate: false,
    correctionLapsed: false,
    feeLapsed: false,
  };
}

export function problemOf(e: unknown): CaseProblem {
  const m = e as { zh?: unknown; en?: unknown; message?: unknown };
  if (typeof m?.zh === 'string' && typeof m.en === 'string') return { zh: m.zh, en: m.en };
  const text = e instanceof Error ? e.message : String(e);
  return { zh: `期限无法计算：${text}`, en: `The due dates cannot be computed: ${text}` };
}

/** status and due dates, or the case's problem; never throws */
export function safeCaseView(c: Case, today: string, opts: CaseOptions = {}): CaseView {
  try {
    const v = views.caseView(c, today, opts);
    return { ...v, problem: null };
  } catch (e) {
    return { status: fallbackStatus(c), due: null, problem: problemOf(e) };
  }
}
