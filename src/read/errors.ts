/**
 * The one error type for input that cannot be read as an annual report.
 * The CLI prints `message` (Chinese, then English, naming the file) and exits 2.
 */
import { NianbaoError } from '../model/errors.js';
export type ReadErrorCode =
  | 'empty'
  | 'binary'
  | 'too-large'
  | 'corrupt'
  | 'encrypted'
  | 'no-text-layer'
  | 'ocr-failed'
  | 'encoding'
  | 'zip-bomb'
  | 'unsupported'
  | 'not-a-report'
  | 'not-found'
  | 'timeout';

export class ReadError extends NianbaoError {
  declare readonly code: ReadErrorCode;
  readonly file: string;
  constructor(code: ReadErrorCode, file: string, zh: string, en: string) {
    super(code, zh, en, { file });
    this.message = `${file}: ${zh} ${en}`;
    this.name = 'ReadError';
    this.file = file;
  }
}

/** the error's two sentences, each naming the file (some readers' messages do not) */
export function namedMessages(e: ReadError, file = e.file): { zh: string; en: string } {
  const f = e.file || file;
  return {
    zh: f && !e.zh.includes(f) ? `文件 ${f}：${e.zh}` : e.zh,
    en: f && !e.en.includes(f) ? `File ${f}: ${e.en}` : e.en,
  };
}

/** Resource limits shared by every reader; documented in README §限制. */
export const LIMITS = {
  /** largest input file accepted, in bytes */
  maxFileBytes: 50 * 1024 * 1024,
  /** largest text, Markdown or HTML input (a report as text is rarely over 1 MB; keeps memory under ~400 MB) */
  maxTextBytes: 10 * 1024 * 1024,
  /** largest total uncompressed size of a DOCX/XLSX archive member set */
  maxUnzippedBytes: 200 * 1024 * 1024,
  /** largest compression ratio of an archive member before it is treated as a ZIP bomb */
  maxCompressionRatio: 200,
  /** most PDF pages read */
  maxPdfPages: 300,
  /** most table cells kept from one document */
  maxCells: 200_000,
} as const;
