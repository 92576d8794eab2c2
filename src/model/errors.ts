/**
 * One error type for everything nianbao refuses: a stable `code` and one sentence each in Chinese
 * and English (each naming what and why). Every module's errors extend it (ReadError,
 * TransitionError, CalendarError, StoreError, InvalidReportError, …), so that the CLI prints any of
 * them the same way and the server chooses the HTTP status from the code alone — never from the text.
 */
export class NianbaoError extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    /** more data for programs (a JSON path, the diagnostics, a wait in seconds…) */
    readonly details?: Record<string, unknown>,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'NianbaoError';
  }
}
