/**
 * Notices (文书) on the database: each agency's settings and templates, and every issued notice.
 *
 * - Numbering: each (agency, year of issue) has a counter; a notice takes the next serial in the
 *   same transaction that stores it, so a number is never reused and never skipped (a failed issue
 *   rolls the counter back with it). The unique key (agency, year, serial) guards it too.
 * - An issued notice is stored unchanged — its document as JSON and the SHA-256 of that JSON — and
 *   is checked against the hash whenever it is read back. Reissuing stores a new notice with a new
 *   number and marks the old one as superseded (kept, listed, downloadable).
 * - Each issue writes an audit row (action `notice:<key>`) beside the case's.
 */
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { NoticeDocument } from '../model/notice.js';
import type { CaseOptions } from '../register/case.js';
import type { LedgerNotice } from '../register/ledger.js';
import {
  availableNotices,
  DEFAULT_NOTICE_SETTINGS,
  type DraftField,
  draftNotice,
  formatNumber,
  NoticeError,
  type NoticeKey,
  type NoticeProblem,
  type NoticeSettings,
  type NoticeTemplate,
  noticeSpec,
  validateSettings,
  validateTemplate,
} from '../register/notices.js';
import { type Db, dbKind, type NoticesTable, StoreError } from './db.js';
import { calendarFor } from './holidays.js';
import { requireCase, type Tx, writeTx } from './register.js';

export interface IssuedNotice {
  id: number;
  caseId: string;
  key: NoticeKey;
  label: string;
  seq: number;
  year: number;
  serial: number;
  number: string;
  issuedOn: string;
  issuedBy: string;
  issuedAt: string;
  hash: string;
  /** the notice this one replaces (reissued) */
  supersedes: number | null;
  /** the notice that replaced this one */
  supersededBy: number | null;
  document: NoticeDocument;
  /** the free parts as issued */
  free: Record<string, string>;
}

export type { LedgerNotice };

function now(): string {
  return new Date().toISOString();
}

function invalid(what: string, whatEn: string, problems: NoticeProblem[]): StoreError {
  const e = new StoreError(
    `${what}有误：${problems.map((p) => p.zh).join(' ')}`,
    `${whatEn} is invalid: ${problems.map((p) => p.en).join(' ')}`,
    'bad-input',
  );
  (e as { details?: Record<string, unknown> }).details = { problems };
  return e;
}

// ---------------------------------------------------------------------------
// Settings and templates
// ---------------------------------------------------------------------------

export async function getNoticeSettings(db: Db | Tx, agency = ''): Promise<NoticeSettings> {
  const r = await db.selectFrom('notice_settings').select('data').where('agency_id', '=', agency).executeTakeFirst();
  if (!r) return { ...DEFAULT_NOTICE_SETTINGS };
  try {
    return { ...DEFAULT_NOTICE_SETTINGS, ...(JSON.parse(r.data) as Partial<NoticeSettings>) };
  } catch {
    return { ...DEFAULT_NOTICE_SETTINGS };
  }
}

/** saves the settings given (the others kept); refused with every problem when invalid */
export async function putNoticeSettings(db: Db, agency: string, changes: Partial<NoticeSettings>, user: string): Promise<NoticeSettings> {
  return writeTx(db, async (tx) => {
    const before = await getNoticeSettings(tx, agency);
    const after: NoticeSettings = { ...before };
    for (const k of Object.keys(DEFAULT_NOTICE_SETTINGS) as (keyof NoticeSettings)[]) {
      if (changes[k] !== undefined) after[k] = changes[k] as string;
    }
    const problems = validateSettings(after);
    if (problems.length > 0) throw invalid('文书设置', 'The notice settings', problems);
    const at = now();
    const row = { agency_id: agency, data: JSON.stringify(after), updated_by: user, updated_at: at };
    const exists = await tx.selectFrom('notice_settings').select('agency_id').where('agency_id', '=', agency).executeTakeFirst();
    if (exists) await tx.updateTable('notice_settings').set(row).where('agency_id', '=', agency).execute();
    else await tx.insertInto('notice_settings').values(row).execute();
    await tx
      .insertInto('audit')
      .values({ who: user, at, action: 'notice-settings', agency_id: agency, case_id: '', before: JSON.stringify(before), after: row.data })
      .execute();
    return after;
  });
}

export interface TemplateEntry {
  key: NoticeKey;
  label: string;
  template: NoticeTemplate;
  /** the agency's own (true) or the shipped default */
  custom: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** the agency's templates: its own where it has one, else the shipped default */
export async function getTemplates(db: Db | Tx, agency = ''): Promise<Map<string, TemplateEntry>> {
  const { NOTICE_SPECS } = await import('../register/notices.js');
  const rows = await db.selectFrom('notice_templates').selectAll().where('agency_id', '=', agency).execute();
  const own = new Map(rows.map((r) => [r.key, r]));
  const out = new Map<string, TemplateEntry>();
  for (const spec of NOTICE_SPECS) {
    const r = own.get(spec.key);
    let template = spec.template;
    if (r) {
      try {
        const t = JSON.parse(r.data) as NoticeTemplate;
        if (validateTemplate(spec.key, t).length === 0) template = t;
      } catch {
        // a damaged row: the default is used
      }
    }
    out.set(spec.key, {
      key: spec.key,
      label: spec.label,
      template,
      custom: r !== undefined && template !== spec.template,
      updatedBy: r?.updated_by ?? null,
      updatedAt: r?.updated_at ?? null,
    });
  }
  return out;
}

/** saves the agency's template of `key`; refused with every problem when it drops what the law requires */
export async function putTemplate(db: Db, agency: string, key: string, template: NoticeTemplate, user: string): Promise<TemplateEntry> {
  const problems = validateTemplate(key, template);
  if (problems.length > 0) throw invalid('文书模板', 'The template', problems);
  const clean: NoticeTemplate = { title: template.title, paragraphs: [...template.paragraphs] };
  return writeTx(db, async (tx) => {
    const at = now();
    const row = { agency_id: agency, key, data: JSON.stringify(clean), updated_by: user, updated_at: at };
    const exists = await tx
      .selectFrom('notice_templates')
      .select('data')
      .where('agency_id', '=', agency)
      .where('key', '=', key)
      .executeTakeFirst();
    if (exists) await tx.updateTable('notice_templates').set(row).where('agency_id', '=', agency).where('key', '=', key).execute();
    else await tx.insertInto('notice_templates').values(row).execute();
    await tx
      .insertInto('audit')
      .values({
        who: user,
        at,
        action: `notice-template:${key}`,
        agency_id: agency,
        case_id: '',
        before: exists?.data ?? null,
        after: row.data,
      })
      .execute();
    return { key: key as NoticeKey, label: noticeSpec(key)!.label, template: clean, custom: true, updatedBy: user, updatedAt: at };
  });
}

/** the agency's template of `key` back to the shipped default */
export async function resetTemplate(db: Db, agency: string, key: string, user: string): Promise<void> {
  if (!noticeSpec(key)) throw new StoreError(`没有名为“${key}”的文书。`, `There is no notice "${key}".`, 'not-found');
  await writeTx(db, async (tx) => {
    const r = await tx
      .selectFrom('notice_templates')
      .select('data')
      .where('agency_id', '=', agency)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!r) return;
    await tx.deleteFrom('notice_templates').where('agency_id', '=', agency).where('key', '=', key).execute();
    await tx
      .insertInto('audit')
      .values({ who: user, at: now(), action: `notice-template:${key}`, agency_id: agency, case_id: '', before: r.data, after: null })
      .execute();
  });
}

// ---------------------------------------------------------------------------
// Drafts and issued notices
// ---------------------------------------------------------------------------

export interface NoticeRequest {
  seq: number;
  key?: string;
  free?: Record<string, string>;
  /** the day of issue (default today) */
  issuedOn: string;
  /** the issued notice this one replaces (reissue) */
  supersedes?: number;
}

export interface DraftOptions {
  /** the agency's name when its settings have none (the server's agency) */
  agencyName?: string;
  calendar?: CaseOptions['calendar'];
}

/** the draft of a notice of the case: the document without a number, its free parts and what stops it */
export async function draftFor(db: Db | Tx, caseId: string, req: Omit<NoticeRequest, 'supersedes'>, agency = '', opts: DraftOptions = {}) {
  const c = await requireCase(db as Db, caseId, agency);
  const settings = await getNoticeSettings(db, agency);
  if (!settings.agencyName && opts.agencyName) settings.agencyName = opts.agencyName;
  const templates = await getTemplates(db, agency);
  const key = req.key ?? availableNotices(c).find((a) => a.seq === req.seq)?.key;
  const calendar = opts.calendar ?? (await calendarFor(db as Db, agency));
  return draftNotice({
    case: c,
    seq: req.seq,
    key,
    settings,
    template: key ? templates.get(key)?.template : undefined,
    free: req.free,
    issuedOn: req.issuedOn,
    number: null,
    calendar,
  });
}

function canonical(document: NoticeDocument, free: Record<string, string>): string {
  return JSON.stringify({ document, free });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

type NoticeRow = Selectable<NoticesTable>;

function fromRow(r: NoticeRow): IssuedNotice {
  if (sha256(r.content) !== r.hash) {
    throw new StoreError(
      `文书 ${r.number} 的存档内容与发文时的校验值不符，可能已被改动。`,
      `The stored content of notice ${r.number} does not match its hash at issue: it may have been altered.`,
      'damaged',
    );
  }
  const { document, free } = JSON.parse(r.content) as { document: NoticeDocument; free: Record<string, string> };
  return {
    id: r.id,
    caseId: r.case_id,
    key: r.key as NoticeKey,
    label: noticeSpec(r.key)?.label ?? r.key,
    seq: r.event_seq,
    year: r.year,
    serial: r.serial,
    number: r.number,
    issuedOn: r.issued_on,
    issuedBy: r.issued_by,
    issuedAt: r.issued_at,
    hash: r.hash,
    supersedes: r.supersedes,
    supersededBy: r.superseded_by,
    document,
    free,
  };
}

/**
 * Issues a notice: the draft must have no problem; it takes the next number of (agency, year of
 * issue) and is stored unchanged with its hash, in one transaction with an audit row. A step whose
 * notice was already issued is refused unless `supersedes` names that notice (a reissue: new number,
 * the old one kept and marked).
 */
export async function issueNotice(
  db: Db,
  caseId: string,
  req: NoticeRequest,
  user: string,
  agency = '',
  opts: DraftOptions = {},
): Promise<IssuedNotice> {
  const calendar = opts.calendar ?? (await calendarFor(db, agency));
  return writeTx(db, async (tx) => {
    const draft = await draftFor(tx, caseId, req, agency, { ...opts, calendar });
    if (draft.problems.length > 0) {
      throw new NoticeError(
        `“${draft.label}”还不能发文：${draft.problems.map((p) => p.zh).join(' ')}`,
        `The notice cannot be issued yet: ${draft.problems.map((p) => p.en).join(' ')}`,
        draft.problems,
      );
    }
    const current = await tx
      .selectFrom('notices')
      .select(['id', 'number', 'key', 'event_seq'])
      .where('agency_id', '=', agency)
      .where('case_id', '=', caseId)
      .where('event_seq', '=', req.seq)
      .where('superseded_by', 'is', null)
      .execute();
    if (req.supersedes === undefined && current.length > 0) {
      throw new StoreError(
        `第 ${req.seq} 步的文书已发文（${current.map((x) => x.number).join('、')}）。如需更正，请“重新发文”：生成新的文号，原文书保留。`,
        `The notice of step ${req.seq} was already issued (${current.map((x) => x.number).join(', ')}); reissue it instead (a new number, the old one kept).`,
        'duplicate',
      );
    }
    if (req.supersedes !== undefined) {
      const old = await tx
        .selectFrom('notices')
        .select(['id', 'case_id', 'superseded_by', 'number'])
        .where('agency_id', '=', agency)
        .where('id', '=', req.supersedes)
        .executeTakeFirst();
      if (!old || old.case_id !== caseId) {
        throw new StoreError(
          `申请“${caseId}”没有编号为 ${req.supersedes} 的文书。`,
          `Case "${caseId}" has no notice ${req.supersedes}.`,
          'not-found',
        );
      }
      if (old.superseded_by !== null) {
        throw new StoreError(
          `文书 ${old.number} 已被重新发文取代，请在最新的文书上重新发文。`,
          `Notice ${old.number} was already replaced; reissue the latest one.`,
          'duplicate',
        );
      }
    }
    const year = Number(req.issuedOn.slice(0, 4));
    const serial = await nextSerial(tx, db, agency, year);
    const settings = await getNoticeSettings(tx, agency);
    const number = formatNumber(settings.numberPattern, year, serial);
    const document: NoticeDocument = { ...draft.document, number, draft: false };
    const free = Object.fromEntries(draft.fields.map((f: DraftField) => [f.name, f.value]));
    const content = canonical(document, free);
    const hash = sha256(content);
    const at = now();
    const inserted = await tx
      .insertInto('notices')
      .values({
        agency_id: agency,
        case_id: caseId,
        key: draft.key,
        event_seq: req.seq,
        year,
        serial,
        number,
        issued_on: req.issuedOn,
        issued_by: user,
        issued_at: at,
        content,
        hash,
        supersedes: req.supersedes ?? null,
        superseded_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (req.supersedes !== undefined) {
      await tx
        .updateTable('notices')
        .set({ superseded_by: inserted.id })
        .where('agency_id', '=', agency)
        .where('id', '=', req.supersedes)
        .execute();
    }
    await tx
      .insertInto('audit')
      .values({
        who: user,
        at,
        action: `notice:${draft.key}`,
        agency_id: agency,
        case_id: caseId,
        before: null,
        after: JSON.stringify({ id: inserted.id, number, seq: req.seq, supersedes: req.supersedes ?? null, hash }),
      })
      .execute();
    const row = await tx.selectFrom('notices').selectAll().where('id', '=', inserted.id).executeTakeFirstOrThrow();
    return fromRow(row);
  });
}

/** the next serial of (agency, year), inside the caller's write transaction */
async function nextSerial(tx: Tx, db: Db, agency: string, year: number): Promise<number> {
  // the counter row exists (two transactions creating it at once: one waits, the other's is kept)
  await tx
    .insertInto('notice_counters')
    .values({ agency_id: agency, year, last: 0 })
    .onConflict((oc) => oc.columns(['agency_id', 'year']).doNothing())
    .execute();
  const q = tx.selectFrom('notice_counters').select('last').where('agency_id', '=', agency).where('year', '=', year);
  const r = await (dbKind(db) === 'postgres' ? q.forUpdate() : q).executeTakeFirstOrThrow();
  const next = r.last + 1;
  await tx.updateTable('notice_counters').set({ last: next }).where('agency_id', '=', agency).where('year', '=', year).execute();
  return next;
}

/** the case's issued notices, oldest first (superseded ones included, marked) */
export async function listNotices(db: Db, caseId: string, agency = ''): Promise<IssuedNotice[]> {
  const rows = await db
    .selectFrom('notices')
    .selectAll()
    .where('agency_id', '=', agency)
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return rows.map((r) => fromRow(r));
}

/** one issued notice of the agency, checked against its hash */
export async function getNotice(db: Db, id: number, agency = ''): Promise<IssuedNotice> {
  const r = await db.selectFrom('notices').selectAll().where('agency_id', '=', agency).where('id', '=', id).executeTakeFirst();
  if (!r) throw new StoreError(`没有编号为 ${id} 的文书。`, `No notice ${id}.`, 'not-found');
  return fromRow(r);
}

/** an issued notice found by its 发文字号 */
export async function noticeByNumber(db: Db, number: string, agency = ''): Promise<IssuedNotice | undefined> {
  const r = await db.selectFrom('notices').selectAll().where('agency_id', '=', agency).where('number', '=', number).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

/** every issued notice of the agency's register, for the 台账 (no hash check: only the numbers and titles) */
export async function listNoticeSummaries(db: Db, agency = ''): Promise<LedgerNotice[]> {
  const rows = await db
    .selectFrom('notices')
    .select(['case_id', 'number', 'content', 'issued_on', 'superseded_by'])
    .where('agency_id', '=', agency)
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    let title = '';
    try {
      title = (JSON.parse(r.content) as { document: NoticeDocument }).document.title;
    } catch {
      // shown without its title
    }
    return { caseId: r.case_id, number: r.number, title, issuedOn: r.issued_on, superseded: r.superseded_by !== null };
  });
}

/** the numbering of the agency's year: every serial given, in order, with its notice (gaps would show) */
export async function numberingOf(db: Db, year: number, agency = ''): Promise<{ serial: number; number: string; caseId: string }[]> {
  const rows = await db
    .selectFrom('notices')
    .select(['serial', 'number', 'case_id'])
    .where('agency_id', '=', agency)
    .where('year', '=', year)
    .orderBy('serial')
    .execute();
  return rows.map((r) => ({ serial: r.serial, number: r.number, caseId: r.case_id }));
}
