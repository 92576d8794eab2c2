/**
 * The Report JSON of the public contract (docs/report-json.md), as types derived from its zod
 * schemas (./report.schema.ts): the schemas are the one definition.
 */
import type { z } from 'zod';
import type {
  AmbiguitySchema,
  ApplicantColumnSchema,
  ApplicationRowSchema,
  CountSchema,
  FormatVersionSchema,
  LabelRecordSchema,
  MoneySchema,
  OriginSchema,
  Proactive2019Schema,
  Proactive2021Schema,
  Report2021Schema,
  ReportSchema,
  ReviewGroupSchema,
  ReviewLitigationSchema,
} from './report.schema.js';

export type FormatVersion = z.infer<typeof FormatVersionSchema>;

/** a count cell: integer, or null when the published cell was blank or held a not-applicable mark */
export type Count = z.infer<typeof CountSchema>;
/** a money cell: decimal string with no unit and no separators, or null */
export type Money = z.infer<typeof MoneySchema>;

export type Proactive2021 = z.infer<typeof Proactive2021Schema>;
export type Proactive2019 = z.infer<typeof Proactive2019Schema>;

export type ApplicantColumn = z.infer<typeof ApplicantColumnSchema>;
export type ApplicationRow = z.infer<typeof ApplicationRowSchema>;

export type ReviewGroup = z.infer<typeof ReviewGroupSchema>;
export type ReviewLitigation = z.infer<typeof ReviewLitigationSchema>;

export type Ambiguity = z.infer<typeof AmbiguitySchema>;

/** Origin of one extracted value, keyed by its JSON path in the report. */
export type Origin = z.infer<typeof OriginSchema>;

export type LabelRecord = z.infer<typeof LabelRecordSchema>;

/** a Report exactly as the schema validates it: one of the two formats, each with its own tables */
export type ReportOfFormat = z.infer<typeof ReportSchema>;

type Flat<T> = { [K in keyof T]: T[K] } & {};

/**
 * The Report as the code handles it: one object type for both formats, the tables typed loosely
 * enough to be indexed by the row keys of either (`ReportOfFormat` is the exact union). Every
 * other field is the schema's.
 */
export type Report = Flat<
  Omit<z.infer<typeof Report2021Schema>, 'format' | 'proactive' | 'applications'> & {
    format: FormatVersion;
    proactive: Proactive2021 | Proactive2019 | Record<string, Record<string, Count | Money>>;
    applications: Record<string, ApplicationRow>;
  }
>;
