/** The reading half as a library: file or bytes → Report. */
import { extractReport } from './extract/index.js';
import type { Report } from './model/report.js';
import { readDocument, readDocumentFile } from './read/index.js';

export async function parseFile(path: string): Promise<Report> {
  return extractReport(await readDocumentFile(path));
}

export async function parseBytes(bytes: Uint8Array, name: string): Promise<Report> {
  return extractReport(await readDocument(bytes, name));
}
