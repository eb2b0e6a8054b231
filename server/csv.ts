import { csvFormatRows } from 'd3-dsv';

/** A value as CSV text before quoting: nothing for null, numbers to 10 significant digits. */
function csvText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toPrecision(10))) : String(v);
}

/**
 * CSV (RFC 4180, by d3-dsv: a cell with a comma, quote, CR or LF is quoted) of rows of values, with a
 * final newline.
 */
export function csvTable(rows: unknown[][]): string {
  return `${csvFormatRows(rows.map((r) => r.map(csvText)))}\n`;
}
