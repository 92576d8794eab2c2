/** Output of `nianbao check`: compiler-style text, JSON (contract §2) and SARIF 2.1.0. */
import type { Report } from '../model/report.js';
import { RULES } from './catalogue.js';
import type { Diagnostic } from './types.js';

export interface FileResult {
  file: string;
  report: Report | null;
  diagnostics: Diagnostic[];
  /** a read failure (exit 2) */
  error?: string;
}

const SEV_ZH = { error: '错误', warning: '警告', info: '提示' } as const;

function where(file: string, d: Diagnostic): string {
  if (d.location) return `${file}:${d.location.line}:${d.location.column}`;
  const o = d.origin;
  if (o?.kind === 'pdf') return `${file}:第${o.page}页${o.ocr ? '（扫描件文字识别）' : ''}`;
  if (o?.kind === 'table' && o.sheet) return `${file}:${o.sheet}!${o.address ?? ''}`;
  if (o?.kind === 'table') return `${file}:表${o.table}第${o.row}行第${o.cell}格`;
  return file;
}

/** compiler-like human output, grouped per file, with a summary */
export function formatHuman(results: FileResult[]): string {
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let failed = 0;
  for (const r of results) {
    if (r.error) {
      failed++;
      out.push(`${r.file}`, `  ${r.error}`, '');
      continue;
    }
    const head = r.report
      ? `${r.file}（${r.report.agency ?? '发布机关未识别'} ${r.report.year ?? ''} 年度，${r.report.format} 年版）`
      : r.file;
    out.push(head);
    // a Report JSON's positions are those of the document it was read from (its input.file)
    const from = r.report?.input?.file;
    const source = from && from !== r.file ? from : r.file;
    if (r.diagnostics.length === 0) out.push('  没有发现问题');
    for (const d of r.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else infos++;
      out.push(`  ${where(source, d)}  ${SEV_ZH[d.severity]}  ${d.message}  ${d.rule}`);
    }
    out.push('');
  }
  out.push(
    `共检查 ${results.length} 个文件：${errors} 个错误，${warnings} 个警告，${infos} 个提示${failed ? `，${failed} 个文件无法读取` : ''}。`,
  );
  return out.join('\n');
}

/** SARIF 2.1.0 for code-scanning tools */
export function formatSarif(results: FileResult[]): string {
  const level = { error: 'error', warning: 'warning', info: 'note' } as const;
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'nianbao',
            informationUri: 'https://example.invalid/nianbao',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.docs },
              defaultConfiguration: { level: level[r.severity] },
            })),
          },
        },
        results: results.flatMap((f) => [
          ...f.diagnostics.map((d) => ({
            ruleId: d.rule,
            level: level[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: f.file },
                  ...(d.location ? { region: { startLine: d.location.line, startColumn: d.location.column } } : {}),
                },
                ...(d.path ? { logicalLocations: [{ fullyQualifiedName: d.path, kind: 'member' }] } : {}),
              },
            ],
          })),
          ...(f.error
            ? [
                {
                  ruleId: 'read-error',
                  level: 'error',
                  message: { text: f.error },
                  locations: [{ physicalLocation: { artifactLocation: { uri: f.file } } }],
                },
              ]
            : []),
        ]),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
