/**
 * The data of nianbao, defined once as zod schemas (./report.schema.ts: the Report JSON and the
 * diagnostics; ./case.schema.ts: the register), and the JSON Schema documents generated from them
 * (docs/schema/*.schema.json, `npm run docs:schema`; served by the API at /api/schema/{name}.json).
 *
 * The model depends on zod only: nothing here imports the readers, the checker, the renderers or
 * the server.
 */
import { z } from 'zod';
import {
  type ApplicantTypeSchema,
  type CaseAmendmentSchema,
  type CaseEventSchema,
  CaseSchema,
  type CaseStateSchema,
  CaseStatusSchema,
  type ChannelSchema,
  type ConsultationSchema,
  type DayInfoSchema,
  DueDatesSchema,
  type EventTypeSchema,
  type FeeBandSchema,
  type FeeInputSchema,
  type FeeResultSchema,
  type HolidayNoticeSchema,
  NewCaseEventSchema,
  NewCaseSchema,
  type OutcomeSchema,
  type PauseSchema,
  type ProceedingKindSchema,
  type ProceedingResultSchema,
  type ProceedingSchema,
  type ReplyOutcomeSchema,
  type RevisionChangeSchema,
  type RevisionSchema,
  type StateWarningSchema,
  type VoidedSchema,
} from './case.schema.js';
import {
  CheckOutputSchema,
  DiagnosticSchema,
  type GridCellSchema,
  type GridSchema,
  ReportSchema,
  SeveritySchema,
} from './report.schema.js';

export * from './case.schema.js';
export * from './report.schema.js';

// ---------------------------------------------------------------------------
// Types (the Report's are in ./report.ts; ./provenance.ts's `Provenance` is `ProvenanceSchema`'s, see test/schema.test.ts)
// ---------------------------------------------------------------------------

export type Severity = z.infer<typeof SeveritySchema>;
export type Diagnostic = z.infer<typeof DiagnosticSchema>;
export type GridCell = z.infer<typeof GridCellSchema>;
export type Grid = z.infer<typeof GridSchema>;

export type ApplicantType = z.infer<typeof ApplicantTypeSchema>;
export type Channel = z.infer<typeof ChannelSchema>;
export type Outcome = z.infer<typeof OutcomeSchema>;
export type ReplyOutcome = z.infer<typeof ReplyOutcomeSchema>;
export type ProceedingKind = z.infer<typeof ProceedingKindSchema>;
export type ProceedingResult = z.infer<typeof ProceedingResultSchema>;
export type EventType = z.infer<typeof EventTypeSchema>;
export type NewCase = z.infer<typeof NewCaseSchema>;
export type CaseAmendment = z.infer<typeof CaseAmendmentSchema>;
export type HolidayNotice = z.infer<typeof HolidayNoticeSchema>;
export type FeeInput = z.infer<typeof FeeInputSchema>;
export type FeeBand = z.infer<typeof FeeBandSchema>;
export type FeeResult = z.infer<typeof FeeResultSchema>;
export type Voided = z.infer<typeof VoidedSchema>;
export type CaseEvent = z.infer<typeof CaseEventSchema>;
/** an event as a client submits it (`by` optional, …): see `NewCaseEventSchema` */
export type NewCaseEvent = z.input<typeof NewCaseEventSchema>;
export type Consultation = z.infer<typeof ConsultationSchema>;
export type Proceeding = z.infer<typeof ProceedingSchema>;
export type StateWarning = z.infer<typeof StateWarningSchema>;
export type CaseState = z.infer<typeof CaseStateSchema>;
export type RevisionChange = z.infer<typeof RevisionChangeSchema>;
export type Revision = z.infer<typeof RevisionSchema>;
export type Case = z.infer<typeof CaseSchema>;
export type DayInfo = z.infer<typeof DayInfoSchema>;
export type Pause = z.infer<typeof PauseSchema>;
export type DueDates = z.infer<typeof DueDatesSchema>;
export type CaseStatus = z.infer<typeof CaseStatusSchema>;
export type CheckOutput = z.infer<typeof CheckOutputSchema>;

// ---------------------------------------------------------------------------
// JSON Schema
// ---------------------------------------------------------------------------

type Json = Record<string, unknown>;

/** the JSON Schema documents, by name: docs/schema/<name>.schema.json, GET /api/schema/<name>.json */
export const SCHEMA_NAMES = ['report', 'diagnostics', 'case'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * What zod writes that says less than it seems, removed: `additionalProperties: false` (the
 * contract adds fields, so a reader must accept new ones; nianbao itself ignores unknown fields),
 * `readOnly` (a readonly array in TypeScript, not a field the server owns) and the bounds of a safe
 * integer.
 */
function tidy(ctx: { jsonSchema: Json }): void {
  const s = ctx.jsonSchema;
  if (s.additionalProperties === false) delete s.additionalProperties;
  if (s.readOnly === true) delete s.readOnly;
  if (s.minimum === -SAFE) delete s.minimum;
  if (s.maximum === SAFE) delete s.maximum;
}

function convert(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'throw', override: tidy }) as Json;
}

/** replaces every `$ref` to `from` by `to` */
function relink(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((v) => relink(v, from, to));
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) out[k] = k === '$ref' && v === from ? to : relink(v, from, to);
  return out;
}

/** the document of `root` (its definition at the top, not behind a `$ref`), with `extra` schemas among its `$defs` */
function document(root: z.ZodType, comment: string, extra: Record<string, z.ZodType> = {}): Json {
  let doc = convert(root);
  const defs: Json = { ...((doc.$defs as Json | undefined) ?? {}) };
  const ref = typeof doc.$ref === 'string' ? doc.$ref : null;
  if (ref?.startsWith('#/$defs/')) {
    const name = ref.slice('#/$defs/'.length);
    const body = defs[name] as Json;
    delete defs[name];
    const { $ref: _ref, $defs: _defs, ...rest } = doc;
    doc = relink({ ...rest, ...body }, ref, '#') as Json;
    for (const k of Object.keys(defs)) defs[k] = relink(defs[k], ref, '#');
  }
  for (const [name, schema] of Object.entries(extra)) {
    const d = convert(schema);
    const { $schema: _s, $defs: more, ...body } = d;
    Object.assign(defs, (more as Json | undefined) ?? {});
    if (typeof body.$ref !== 'string') defs[name] = body;
  }
  const { $schema, ...rest } = doc;
  const sorted = Object.fromEntries(
    Object.keys(defs)
      .sort()
      .map((k) => [k, defs[k]]),
  );
  return { $schema, $comment: comment, ...rest, ...(Object.keys(sorted).length > 0 ? { $defs: sorted } : {}) };
}

const GENERATED =
  'Generated from the zod schemas of src/model/ by `npm run docs:schema`: do not edit. Field reference: docs/report-json.md.';

/** the JSON Schema document `name` (a fresh object each call) */
export function jsonSchema(name: SchemaName): Json {
  switch (name) {
    case 'report':
      return document(ReportSchema, GENERATED);
    case 'diagnostics':
      return document(CheckOutputSchema, GENERATED, { Diagnostic: DiagnosticSchema, Severity: SeveritySchema });
    case 'case':
      return document(CaseSchema, `${GENERATED} Its $defs also hold the API's NewCase, NewCaseEvent, DueDates and CaseStatus.`, {
        NewCase: NewCaseSchema,
        NewCaseEvent: NewCaseEventSchema,
        DueDates: DueDatesSchema,
        CaseStatus: CaseStatusSchema,
      });
  }
}

/** the JSON text of the document `name`, as written to docs/schema/<name>.schema.json */
export function jsonSchemaText(name: SchemaName): string {
  return `${JSON.stringify(jsonSchema(name), null, 2)}\n`;
}
