/**
 * The checker's building blocks. A rule is a small module (ESLint style): a
 * stable id, a severity, Chinese documentation and a `check` function that
 * returns diagnostics. Every rule lives in its own file under `rules/`.
 */
import type { Report } from '../model/report.js';
import type { Diagnostic, Severity } from '../model/schema.js';

/**
 * a diagnostic as in the contract (docs/report-json.md): rule, severity, message (Chinese), path and
 * location, plus the full origin of the cell (`origin`, an addition) — defined by the model's
 * `DiagnosticSchema`
 */
export type { Diagnostic, Severity };

export interface CheckOptions {
  /**
   * publication deadline, "MM-DD" of the year after the report year, by kind of
   * body; a jurisdiction may set its own (e.g. Huaihua: townships 02-20)
   */
  deadlines: { department: string; government: string; township: string; subdistrict: string };
  /** similarity (0..1) of the narrative to another report above which 雷同 is reported */
  similarityThreshold: number;
  /** a figure that changes by more than this factor (and by more than `jumpMinimum`) is reported */
  jumpFactor: number;
  jumpMinimum: number;
}

export const DEFAULT_OPTIONS: CheckOptions = {
  deadlines: { department: '01-31', government: '03-31', township: '03-31', subdistrict: '03-31' },
  similarityThreshold: 0.8,
  jumpFactor: 5,
  jumpMinimum: 50,
};

export interface CheckContext {
  report: Report;
  /** the same agency's report for the year before, when known */
  previous: Report | null;
  /** other reports checked in the same run (for 雷同), with their file names */
  peers: { file: string; report: Report }[];
  options: CheckOptions;
}

export interface RuleExample {
  /** what the example shows */
  title: string;
  /**
   * a partial report, deep-merged over a valid base report (`examples.ts`:
   * objects merge, arrays and scalars replace, a key set to `undefined` is
   * removed) in the tests and the docs
   */
  report: unknown;
  /** last year's report, merged the same way over a valid report for the year before */
  previous?: unknown;
  /** the severity of the diagnostic when it is not the rule's own (a rule may emit several) */
  severity?: Severity;
  /** texts (numbers, labels) that the diagnostics of an invalid example must show, each in at least one message */
  messageIncludes?: string[];
}

export interface Rule {
  id: string;
  severity: Severity;
  /** one line, Chinese: what the rule checks */
  title: string;
  /** documentation (Chinese, Markdown): why, the source, how it decides */
  docs: string;
  /** does the rule need last year's report? */
  crossYear?: boolean;
  /**
   * examples (ESLint style): reports the rule accepts and reports it flags; the
   * tests run them and the rule documentation shows them
   */
  examples?: { valid: RuleExample[]; invalid: RuleExample[] };
  check(
    ctx: CheckContext,
    emit: (d: Omit<Diagnostic, 'rule' | 'severity' | 'location' | 'origin'> & { severity?: Severity }) => void,
  ): void;
}
