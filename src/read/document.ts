/**
 * The one document model every reader produces: a sequence of blocks in reading
 * order. A paragraph is a run of text outside any table; a table is a list of
 * rows of cells. Every piece of text carries its provenance so that extracted
 * values can be traced back to the source.
 */

import type { InputKind, Provenance } from '../model/provenance.js';

export type { InputKind, Provenance } from '../model/provenance.js';

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
  /**
   * the text the blocks' line/column provenance refers to: the decoded input (text, Markdown, HTML)
   * or the text taken out of a legacy .doc; absent for PDF, DOCX and XLSX (their provenance is a page
   * position or a table cell)
   */
  sourceText?: string;
}
