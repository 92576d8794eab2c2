/**
 * Where a piece of a report came from: part of the model (a Report's `provenance` and every
 * diagnostic's `origin` carry it), so it lives here; the readers produce it.
 */

export type InputKind = 'text' | 'markdown' | 'html' | 'docx' | 'doc' | 'pdf' | 'xlsx';

/** Where a piece of text came from. Lines, columns, pages, tables, rows and cells are 1-based. */
export type Provenance =
  | { kind: 'text'; line: number; column: number }
  | {
      kind: 'pdf';
      page: number;
      x: number;
      y: number;
      width?: number;
      height?: number;
      /** the text was recognised (OCR) from the image of a scanned page, not taken from a text layer */
      ocr?: boolean;
      /** with `ocr`: the recogniser's confidence in the text, 0–1 (the lowest of its pieces) */
      confidence?: number;
    }
  /**
   * DOCX paragraph outside any table: 1-based index of the `w:p` among the
   * body-level paragraphs of word/document.xml in document order, counting
   * empty paragraphs too (those are not emitted as blocks).
   */
  | { kind: 'docx-paragraph'; paragraph: number }
  | {
      kind: 'table';
      /** 1-based index of the table in the document */
      table: number;
      /** 1-based row index within the table (source rows, not expanded grid rows) */
      row: number;
      /** 1-based cell index within the source row */
      cell: number;
      /** XLSX only: sheet name and A1 address */
      sheet?: string;
      address?: string;
      /** HTML/Markdown only: line and column of the cell in the source file */
      line?: number;
      column?: number;
    };
