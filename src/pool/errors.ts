/**
 * Errors across the thread boundary: a worker sends its error as plain data and the pool turns it
 * back into the error class the callers know (ReadError, InvalidReportError, RenderRefusedError,
 * TextLimitError), so that the CLI and the server handle an error from a worker exactly as one
 * thrown in place.
 */
import type { Diagnostic } from '../check/types.js';
import { TextLimitError } from '../model/limits.js';
import type { Report } from '../model/report.js';
import { ReadError, type ReadErrorCode } from '../read/errors.js';

// InvalidReportError and RenderRefusedError live with the renderer's checks (../render/totals.ts), whose
// imports (the rule catalogue, the schemas) take a fifth of a second to load: loaded only when such an
// error comes back, so that neither a worker nor the command line's start-up pays for them otherwise

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  file?: string;
  zh?: string;
  en?: string;
  path?: string;
  diagnostics?: Diagnostic[];
  report?: Report;
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const x = e as Error & Partial<SerializedError>;
  const out: SerializedError = { name: e.name, message: e.message };
  for (const k of ['code', 'file', 'zh', 'en', 'path'] as const) if (typeof x[k] === 'string') out[k] = x[k];
  if (e.name === 'RenderRefusedError' && Array.isArray(x.diagnostics)) {
    out.diagnostics = x.diagnostics;
    out.report = x.report;
  }
  return out;
}

export async function reviveError(s: SerializedError): Promise<Error> {
  switch (s.name) {
    case 'ReadError':
      return new ReadError(s.code as ReadErrorCode, s.file ?? '', s.zh ?? s.message, s.en ?? s.message);
    case 'InvalidReportError': {
      const { InvalidReportError } = await import('../render/totals.js');
      return new InvalidReportError(s.path ?? '', s.zh ?? s.message, s.en ?? s.message);
    }
    case 'RenderRefusedError': {
      const { RenderRefusedError } = await import('../render/totals.js');
      return new RenderRefusedError(s.diagnostics ?? [], s.report as Report);
    }
    case 'TextLimitError':
      return new TextLimitError(s.zh ?? s.message, s.en ?? s.message);
    default: {
      const e = new Error(s.message);
      e.name = s.name;
      return e;
    }
  }
}
