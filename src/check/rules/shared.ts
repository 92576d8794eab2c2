import { columnLabel } from '../cells.js';

/** 「自然人」 */
export const colName = (key: string): string => `“${columnLabel(key)}”`;
