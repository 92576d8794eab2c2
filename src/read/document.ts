/**
 * The one document model every reader produces: a sequence of blocks in reading
 * order. A paragraph is a run of text outside any table; a table is a list of
 * rows of cells. Every piece of text carries its provenance so that extracted
 * values can be traced back to the source.
 */

export type InputKind = 'text' | 'markdown' | 'html' | 'docx' | 'doc' | 'pdf' | 'xlsx';

/** Where a piece of text came from. Lines, columns, pages, tables, rows and cells are 1-based. */
export type Provenance =
  | { kind: 'text'; line: number; column: number }
  | { kind: 'pdf'; page: number; x: number; y: number; width?: number; height?: number }
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

export interface Cell {
  /** Cell text; line breaks inside the cell are kept as '\n'. Empty string for a blank cell. */
  text: string;
  prov: Provenance;
  colspan?: number;
  rowspan?: number;
  /**
   * Optional finer provenance: pieces of the cell text with their own origin
   * (e.g. a PDF cell assembled from several text items). Offsets index `text`.
   */
  pieces?: { offset: number; length: number; prov: Provenance }[];
}

export interface ParagraphBlock {
  type: 'paragraph';
  text: string;
  prov: Provenance;
}

export interface TableBlock {
  type: 'table';
  rows: Cell[][];
  prov: Provenance;
}

export type Block = ParagraphBlock | TableBlock;

export interface DocumentModel {
  kind: InputKind;
  /** the file name (or label) the document was read from */
  source: string;
  blocks: Block[];
  /** the text the blocks' line/column provenance refers to, when it is not the input itself (a legacy .doc's extracted text) */
  sourceText?: string;
}
