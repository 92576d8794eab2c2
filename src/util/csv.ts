/**
 * CSV as offices write it, shared by the imports of the directory of bodies
 * (src/supervise/directory-file.ts) and of the register's 台账 (src/register/ledger.ts): the bytes
 * decoded (a BOM, else UTF-8, else GB18030 — what Excel saves for “CSV” on a Chinese Windows), the
 * delimiter told from the first line, and RFC 4180 records with any line end.
 */

/** the text of a CSV file and the encoding it was read in */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'GB18030' } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3)), encoding: 'UTF-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16BE' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'GB18030' };
  }
}

/** the delimiter of the first line: tab or semicolon when they outnumber commas */
export function sniffDelimiter(text: string): string {
  const nl = text.search(/[\r\n]/);
  const first = nl < 0 ? text.slice(0, 100_000) : text.slice(0, Math.min(nl, 100_000));
  const count = (c: string) => first.split(c).length - 1;
  const comma = count(',');
  if (count('\t') > comma) return '\t';
  if (count(';') > comma) return ';';
  return ',';
}

export interface CsvField {
  text: string;
  /** the field was in quotes (its text is taken as written, spaces and all) */
  quoted: boolean;
}

/**
 * The records of `text` (RFC 4180: `""` inside quotes, line breaks inside quotes kept, CR, LF or
 * CRLF ending a record; a quote opens a field only at its start, spaces before it allowed), each
 * given to `onRecord` with its 1-based number; `onRecord` returning false stops the reading.
 * `unclosedQuote`: the text ended inside quotes (that record and what follows may be misread).
 */
export function csvRecords(
  text: string,
  delimiter: string,
  onRecord: (fields: CsvField[], record: number) => boolean | undefined,
): { unclosedQuote: boolean; records: number } {
  let fields: CsvField[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let started = false;
  let record = 1;
  let stopped = false;
  const endField = () => {
    fields.push({ text: field, quoted });
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (onRecord(fields, record) === false) stopped = true;
    fields = [];
    record++;
    started = false;
  };
  for (let i = 0; i < text.length && !stopped; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field.trim() === '' && !quoted) {
      inQuotes = true;
      quoted = true;
      started = true;
      field = '';
    } else if (ch === delimiter) {
      endField();
      started = true;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += ch;
      started = true;
    }
  }
  const unclosedQuote = inQuotes;
  if (!stopped && (started || field !== '' || fields.length > 0)) endRecord();
  return { unclosedQuote, records: record - 1 };
}
