/**
 * Writes the JSON Schema documents of the data (docs/schema/report.schema.json,
 * diagnostics.schema.json, case.schema.json) and the field reference beside them
 * (docs/report-json.md), all from the zod schemas of src/model/.
 *
 *   npx tsx scripts/gen-schema.ts      (npm run docs:schema)
 *
 * test/schema.test.ts regenerates every file in memory and compares, so the documents cannot drift
 * from the schemas.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APPLICANT_COLUMNS,
  APPLICATION_ROWS,
  PROACTIVE_ROWS_2019,
  PROACTIVE_ROWS_2021,
  REVIEW_COLUMNS,
  REVIEW_GROUPS,
} from '../src/model/format.js';
import { jsonSchema, jsonSchemaText, SCHEMA_NAMES, type SchemaName } from '../src/model/schema.js';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));

/** docs/schema/<name>.schema.json */
export function schemaFile(name: SchemaName): string {
  return resolve(DOCS, 'schema', `${name}.schema.json`);
}

export const REFERENCE_DOC = resolve(DOCS, 'report-json.md');

// ---------------------------------------------------------------------------
// Reading the JSON Schema
// ---------------------------------------------------------------------------

type Json = Record<string, unknown>;

/** the definitions the page has a section for, with its anchor (the heading in lower case) */
const SECTIONS: Record<string, string> = {
  Count: 'count',
  Money: 'money',
  RawAmount: 'rawamount',
  Sections: 'sections',
  Proactive2021: 'proactive2021',
  Proactive2019: 'proactive2019',
  Applications2021: 'applications2021-applications2019',
  Applications2019: 'applications2021-applications2019',
  ApplicationRow: 'applicationrow',
  ReviewLitigation: 'reviewlitigation',
  ReviewGroup: 'reviewgroup',
  Ambiguity: 'ambiguity',
  LabelRecord: 'labelrecord',
  Template: 'template',
  Input: 'input',
  Origin: 'origin',
  Provenance: 'provenance',
  Diagnostic: 'diagnostic',
  Report: 'report',
  CaseEvent: 'caseevent',
};

const link = (name: string) => `[${name}](#${SECTIONS[name]})`;

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

class Doc {
  constructor(readonly root: Json) {}

  get defs(): Record<string, Json> {
    return (this.root.$defs as Record<string, Json> | undefined) ?? {};
  }

  def(name: string): Json {
    const d = name === '#' ? this.root : this.defs[name];
    if (!d) throw new Error(`no definition ${name}`);
    return d;
  }

  /** a schema with its `$ref` followed (the referring schema's own description wins) */
  resolve(s: Json): Json {
    if (typeof s.$ref !== 'string') return s;
    const target = this.def(s.$ref === '#' ? '#' : s.$ref.replace('#/$defs/', ''));
    return { ...target, ...(s.description ? { description: s.description } : {}) };
  }

  /** the type of a schema in words, with links to the sections of the page */
  type(s: Json): string {
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/$defs/', '');
      if (name in SECTIONS) return link(name);
      // a short enumeration defined elsewhere: its values
      const target = this.defs[name];
      if (Array.isArray(target?.enum) && target.enum.length <= 6) return this.type(target);
      return `\`${name}\``;
    }
    if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
    if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ');
    const alternatives = (s.anyOf ?? s.oneOf) as Json[] | undefined;
    if (alternatives) return alternatives.map((a) => this.type(a)).join(' or ');
    if (Array.isArray(s.type)) return s.type.map((t) => this.type({ ...s, type: t })).join(' or ');
    switch (s.type) {
      case 'array':
        return `array of ${this.type((s.items as Json | undefined) ?? {})}`;
      case 'object':
        return s.additionalProperties && typeof s.additionalProperties === 'object'
          ? `object: JSON path → ${this.type(s.additionalProperties as Json)}`
          : 'object';
      case 'string':
        return s.pattern === '^\\d{4}-\\d{2}-\\d{2}$' ? 'string "YYYY-MM-DD"' : 'string';
      case undefined:
        return 'any';
      default:
        return String(s.type);
    }
  }

  /**
   * one row per property: name, type, whether it is always there, whether it is in the contract or
   * an addition (`contract: 'none'`: no such column; `'addition'`: every field is), meaning; `also`:
   * the same object in another shape, whose types are given as alternatives
   */
  table(objectSchema: Json, opts: { contract?: 'fields' | 'addition' | 'none'; also?: Json } = {}): string[] {
    const contract = opts.contract ?? 'fields';
    const props = (objectSchema.properties as Record<string, Json> | undefined) ?? {};
    const other = (opts.also?.properties as Record<string, Json> | undefined) ?? {};
    const required = new Set((objectSchema.required as string[] | undefined) ?? []);
    const rows = Object.entries(props).map(([key, p]) => {
      const meaning = describe(p, this.resolve(p));
      const types = [this.type(p)];
      if (other[key] && this.type(other[key]) !== types[0]) types.push(this.type(other[key]));
      const cells = [`\`${key}\``, esc(types.join(' or ')), required.has(key) ? 'yes' : ''];
      if (contract !== 'none') cells.push(contract === 'addition' || meaning.addition ? 'addition' : 'yes');
      cells.push(esc(meaning.text));
      return `| ${cells.join(' | ')} |`;
    });
    return contract === 'none'
      ? ['| field | type | always | meaning |', '|---|---|---|---|', ...rows]
      : ['| field | type | always | contract | meaning |', '|---|---|---|---|---|', ...rows];
  }
}

/** the description of a property (or of what it refers to), without its “Addition:” mark */
function describe(own: Json, resolved: Json): { text: string; addition: boolean } {
  const text = String(own.description ?? resolved.description ?? '');
  const addition = /^Addition\b/.test(text) || /^Addition\b/.test(String(resolved.description ?? ''));
  const plain = text.replace(/^Addition:\s*/, '');
  return { text: plain.charAt(0).toUpperCase() + plain.slice(1), addition };
}

// ---------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------

const strip = (s: string | undefined) => s ?? '';

function applicationRowLabel(key: string): string {
  const d = APPLICATION_ROWS.find((r) => r.key === key);
  if (!d) return key;
  return [d.level1, d.level2, d.level3].filter((x, i, all) => x && all.indexOf(x) === i).join(' ');
}

/**
 * `nianbao parse --provenance full|compact|none` (src/cli/jobs.ts, src/model/provenance.ts): the output
 * the command writes, not a shape the readers take, so written here rather than generated from a schema
 */
const PROVENANCE_MODES_DOC = [
  '### How much provenance `nianbao parse` writes (`--provenance`)',
  '',
  '*Addition.* `nianbao parse … --json --provenance full|compact|none` (`full` by default) chooses how the',
  'origin of the table cells is written; everything else of the Report is the same in the three.',
  '',
  '- `full`: `provenance`, as above (JSON path → [Origin](#origin)).',
  '- `none`: neither `provenance` nor `provenanceCompact`. `labels` keep their `prov`.',
  '- `compact`: no `provenance`; in its place (the last field) `provenanceCompact`, the same cells nested by',
  '  the keys of their JSON path — `provenanceCompact.applications.granted.total` is the origin of',
  '  `applications.granted.total` — each an array: the published token (`raw`), a one-letter kind, then the',
  '  position. A third of the size of `provenance` (for a text report about 6 KB instead of 20 KB).',
  '',
  '| array | the Provenance it stands for |',
  '|---|---|',
  '| `[raw, "t", line, column]` | `{kind: "text", line, column}` |',
  '| `[raw, "p", page, x, y]` | `{kind: "pdf", page, x, y}` (`width` and `height` are left out) |',
  '| `[raw, "p", page, x, y, confidence]` | `{kind: "pdf", page, x, y, ocr: true, confidence}` (`confidence` `null`: none given) |',
  '| `[raw, "d", paragraph]` | `{kind: "docx-paragraph", paragraph}` |',
  '| `[raw, "c", table, row, cell]` | `{kind: "table", table, row, cell}` (DOCX) |',
  '| `[raw, "c", table, row, cell, line, column]` | `{kind: "table", table, row, cell, line, column}` (HTML, Markdown) |',
  '| `[raw, "c", table, row, cell, sheet, address]` | `{kind: "table", table, row, cell, sheet, address}` (XLSX; `sheet` is a string) |',
  '',
  'A path that is both a cell and the beginning of another cell’s path (never written today) keeps its',
  'whole path as one key at the top of `provenanceCompact`; the path of an array is always the keys that',
  'lead to it joined with `.`. `expandProvenance()` in `src/model/provenance.ts` turns `provenanceCompact`',
  'back into `provenance`. Wherever a Report JSON is taken (`nianbao check`, `render`, `import`, the API’s',
  '`report` fields, `reportFromJson()` of the library) a `provenanceCompact` without a `provenance` is read',
  'back into `provenance` the same way, so diagnostics and the source view point at the cells as for a',
  'report parsed in full (a PDF cell without its width and height); one that cannot be read is refused',
  'with its place (`provenanceCompact.applications.granted.total 不是有效的来源数组（…）`, 400',
  '`invalid-report` from the API).',
];

/** docs/report-json.md */
export function renderReference(): string {
  const report = new Doc(jsonSchema('report'));
  const diagnostics = new Doc(jsonSchema('diagnostics'));
  const kase = new Doc(jsonSchema('case'));
  const r2021 = report.def('Report2021');
  const r2019 = report.def('Report2019');
  const out: string[] = [
    '# The Report JSON and the other data of nianbao',
    '',
    '<!-- Generated by scripts/gen-schema.ts (npm run docs:schema) from the zod schemas of src/model/: do not edit. -->',
    '',
    'This is the field reference of the data nianbao reads and writes: the **Report JSON** (one annual',
    'report, 年度报告), the **diagnostics JSON** (what `nianbao check` finds) and a **case** of the',
    'register of applications. Each is defined once, as zod schemas in `src/model/`',
    '(`report.schema.ts`, `case.schema.ts`); the TypeScript types, the validation of a Report JSON given',
    'to `nianbao render` / `nianbao check` or to the API, the API’s OpenAPI components (`/openapi.json`)',
    'and the JSON Schema documents below all come from them.',
    '',
    '| data | JSON Schema (draft 2020-12) | served by the API (logged in) |',
    '|---|---|---|',
    '| Report JSON (`nianbao parse FILE --json`) | [`docs/schema/report.schema.json`](schema/report.schema.json) | `GET /api/schema/report.json` |',
    '| diagnostics JSON (`nianbao check FILE --json`) | [`docs/schema/diagnostics.schema.json`](schema/diagnostics.schema.json) | `GET /api/schema/diagnostics.json` |',
    '| a case of the register (the API’s `Case`) | [`docs/schema/case.schema.json`](schema/case.schema.json) | `GET /api/schema/case.json` |',
    '',
    'The Report JSON and the diagnostics JSON are the public contract of the project: scripts and other',
    'tools read them, so they are stable — fields are added, never renamed or removed. A field marked',
    '*addition* below was added by nianbao to the contract as first published; every other field is the',
    'contract’s. A reader of these documents should ignore fields it does not know (the JSON Schema',
    'documents do not forbid them).',
    '',
    '## Reading a Report JSON',
    '',
    '`nianbao render`, `nianbao check` and the API (`{report}` bodies of `POST /api/check`, `POST /api/render`)',
    'accept a Report JSON, or the `{file, report, diagnostics}` that `check --json` prints. It must have the',
    'shape below, with these allowances for hand-written reports (the schemas’ defaults):',
    '',
    '- a missing `agency`, `year`, `publishedOn`, section, table row or cell is blank (`null`); `proactive`,',
    '  `applications` and `reviewLitigation` themselves must be there;',
    '- a money cell may be a JSON number (`7730.28` reads as `"7730.28"`); spaces around it are removed;',
    '- fields it does not know are ignored.',
    '',
    'Anything else is refused with one sentence in Chinese and one in English naming the JSON path and the',
    'value found, e.g. `applications.granted.total 应为整数或 null，实际为 "many"` /',
    '`applications.granted.total should be an integer or null, found "many"` (the command line exits with',
    'status 2, the API answers 400 `invalid-report` with `details.path`).',
    '',
    '## Report',
    '',
    String(report.root.description),
    'It is one of two shapes, by `format`: the tables of a `"2021"` report are those of',
    '国办公开办函〔2021〕30号 (reports for 2021 onwards), those of a `"2019"` report those of 国办公开办函〔2019〕60号',
    '(reports for 2019 and 2020). Values are what the report published, even where they contradict each',
    'other: correcting is the checker’s and the renderer’s job, never the reader’s.',
    '',
    ...report.table(r2021, { also: r2019 }),
    '',
    `\`format\` is \`"2021"\` or \`"2019"\`; \`proactive\` is ${link('Proactive2021')} or ${link('Proactive2019')} and \`applications\` ${link('Applications2021')} or ${link('Applications2019')} accordingly. *always*: nianbao always writes the field (when reading, a blank one may be left out, see above). *contract*: the field is part of the contract as first published, or an *addition*.`,
    '',
  ];

  // cells
  out.push('## Cells', '');
  for (const name of ['Count', 'Money', 'RawAmount']) {
    const d = report.def(name);
    out.push(`### ${name}`, '', `*${report.type({ ...d, description: undefined })}* — ${String(d.description)}`, '');
  }

  // sections
  out.push('### Sections', '', String(report.def('Sections').description), '', ...report.table(report.def('Sections')), '');

  // 表一
  const proactive = (name: 'Proactive2021' | 'Proactive2019', rows: typeof PROACTIVE_ROWS_2021) => {
    const d = report.def(name);
    out.push(`### ${name}`, '', `${String(d.description)} Every row is an object of cells; a missing row reads as all blank.`, '');
    out.push('| key | official row | fields (official column) |', '|---|---|---|');
    const props = d.properties as Record<string, Json>;
    for (const def of rows) {
      const row = report.resolve(props[def.key]);
      const fields = Object.entries((row.properties as Record<string, Json>) ?? {}).map(
        ([k, f]) => `\`${k}\` ${strip(f.description as string | undefined)} (${report.type(f)})`,
      );
      out.push(`| \`${def.key}\` | ${def.label}（${def.item}） | ${esc(fields.join('; '))} |`);
    }
    out.push('');
  };
  proactive('Proactive2021', PROACTIVE_ROWS_2021);
  proactive('Proactive2019', PROACTIVE_ROWS_2019);

  // 表二
  const a21 = report.def('Applications2021').properties as Record<string, Json>;
  const a19 = report.def('Applications2019').properties as Record<string, Json>;
  const req21 = new Set(report.def('Applications2021').required as string[]);
  out.push(
    '### Applications2021, Applications2019',
    '',
    `表二 三、收到和处理政府信息公开申请情况: an object from row key to an ${link('ApplicationRow')}.`,
    'A missing row reads as all blank. The rows of each format:',
    '',
    '| key | official row | 2021 | 2019 |',
    '|---|---|---|---|',
  );
  for (const def of APPLICATION_ROWS) {
    const in21 = def.key in a21 ? (req21.has(def.key) ? 'yes' : def.key === 'otherHandling' ? 'addition¹' : 'yes¹') : '';
    const in19 = def.key in a19 ? 'yes' : '';
    out.push(`| \`${def.key}\` | ${esc(applicationRowLabel(def.key))} | ${in21} | ${in19} |`);
  }
  out.push(
    '',
    '¹ A 2021 report that kept the 2019 single row （六）其他处理 has `otherHandling` in place of',
    '`otherNoCorrection`, `otherFeeUnpaid` and `otherOther` (and `template.mixedOtherHandling: true`).',
    'Rendering it writes that row as 3.其他, the two other rows blank.',
    '',
    '### ApplicationRow',
    '',
    String(report.def('ApplicationRow').description),
    '',
    '| key | official column |',
    '|---|---|',
    ...APPLICANT_COLUMNS.map((c) => `| \`${c.key}\` | ${c.group ? `${c.group}·${c.label}` : c.label} |`),
    '',
    'Every cell is a [Count](#count).',
    '',
  );

  // 表三
  out.push(
    '### ReviewLitigation',
    '',
    String(report.def('ReviewLitigation').description),
    'Three groups, each a [ReviewGroup](#reviewgroup):',
    '',
    '| key | official group |',
    '|---|---|',
    ...REVIEW_GROUPS.map((g) => `| \`${g.key}\` | ${'parent' in g ? `${g.parent}·${g.label}` : g.label} |`),
    '',
    '### ReviewGroup',
    '',
    '| key | official column |',
    '|---|---|',
    ...REVIEW_COLUMNS.map((c) => `| \`${c.key}\` | ${c.label} |`),
    '',
    'Every cell is a [Count](#count).',
    '',
  );

  // the reader's notes
  out.push('## What the reader adds', '');
  for (const name of ['Ambiguity', 'LabelRecord', 'Template', 'Input', 'Origin']) {
    const d = report.def(name);
    const { text, addition } = describe(d, d);
    out.push(
      `### ${name}`,
      '',
      `${text}${addition ? ' (An addition to the contract.)' : ''}`,
      '',
      ...report.table(d, { contract: addition ? 'addition' : 'fields' }),
      '',
    );
  }
  const prov = report.def('Provenance');
  out.push(
    '### Provenance',
    '',
    `${String(prov.description)} (An addition to the contract: in \`provenance\`, \`labels\` and a diagnostic’s \`origin\`.)`,
    '',
    '| `kind` | fields | meaning |',
    '|---|---|---|',
  );
  for (const v of prov.oneOf as Json[]) {
    const props = v.properties as Record<string, Json>;
    const required = new Set(v.required as string[]);
    const fields = Object.entries(props)
      .filter(([k]) => k !== 'kind')
      .map(([k, f]) => `\`${k}\`${required.has(k) ? '' : '?'} ${strip(f.description as string | undefined)}`);
    out.push(`| \`${JSON.stringify(props.kind.const)}\` | ${esc(fields.join('; '))} | ${esc(String(v.description))} |`);
  }
  out.push('', 'A field marked `?` may be absent.', '', ...PROVENANCE_MODES_DOC, '');

  // diagnostics
  const diag = diagnostics.def('Diagnostic');
  out.push(
    '## Diagnostics JSON',
    '',
    String(diagnostics.root.description),
    'With several files or a folder, one such object per line (JSON Lines).',
    '',
    ...diagnostics.table((diagnostics.root.anyOf as Json[])[0]),
    '',
    '### Diagnostic',
    '',
    String(diag.description),
    '',
    ...diagnostics.table(diag),
    '',
    'Rule ids that must exist under these exact names (the catalogue, docs/rules.md, has many more):',
    '`applications-balance`, `applications-outcome-total`, `applications-row-total`, `review-litigation-total`.',
    '',
  );

  // the register
  const c = kase.root;
  out.push(
    '## A case of the register',
    '',
    '### Case',
    '',
    `${String(c.description)} The API answers with it (\`GET /api/cases/{id}\`, and after every step); the`,
    'JSON Schema `docs/schema/case.schema.json` also defines the API’s `NewCase` (a new application:',
    '`id` and `registeredBy` optional), `NewCaseEvent` (an event to record: `by` optional), `DueDates` and',
    '`CaseStatus`.',
    '',
    ...kase.table(c, { contract: 'none' }),
    '',
    '### CaseEvent',
    '',
    `${String(kase.def('CaseEvent').description)} Every event has \`type\`, \`on\` ("YYYY-MM-DD"), \`by\` (who recorded it),`,
    'and may have `note` and `voided` (who voided it, when and why: a voided event is kept and not applied).',
    '',
    '| `type` | other fields |',
    '|---|---|',
  );
  for (const v of kase.def('CaseEvent').oneOf as Json[]) {
    const props = v.properties as Record<string, Json>;
    const required = new Set(v.required as string[]);
    const fields = Object.entries(props)
      .filter(([k]) => !['type', 'on', 'by', 'note', 'voided'].includes(k))
      .map(([k, f]) => `\`${k}\`${required.has(k) ? '' : '?'}: ${kase.type(f)}`);
    out.push(`| \`${JSON.stringify(props.type.const)}\` | ${esc(fields.join('; ') || '—')} |`);
  }
  out.push('');
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** every generated file: path → content */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of SCHEMA_NAMES) files.set(schemaFile(name), jsonSchemaText(name));
  files.set(REFERENCE_DOC, renderReference());
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [file, text] of generatedFiles()) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
