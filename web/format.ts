import { locale } from './i18n.ts';

const formatters = new Map<string, Intl.NumberFormat>();

/** A cached number format of the page's locale (creating an Intl.NumberFormat per call costs tens of µs). */
function numberFormat(max: number, min: number): Intl.NumberFormat {
  const key = `${locale()}|${max}|${min}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(), { maximumFractionDigits: max, minimumFractionDigits: min });
    formatters.set(key, f);
  }
  return f;
}

/** Number formatting for tables and labels: grouping, sensible digits, never "-0". */
export function formatNumber(v: number | null, digits?: number): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const d = digits ?? (a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 3 : a === 0 ? 0 : 4);
  let s = numberFormat(d, digits ?? 0).format(v);
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
  return s;
}

/** A table cell: numbers formatted, null as "—", strings as they are. */
export function formatValue(v: number | string | null | undefined, digits?: number): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return formatNumber(v, digits);
  return v;
}

/** A fraction as a percentage, e.g. 0.652 → "65.2 %". */
export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${formatNumber(v * 100, digits)} %`;
}

/**
 * A number for a CSV file: rounded to `digits` after the point when the column gives them, else to 6
 * significant figures — no float noise (56.99999999999999 → 57), no grouping, a point as decimal mark.
 *
 * @example
 * csvNumber(56.99999999999999) // → '57'
 * csvNumber(1234.5678, 1) // → '1234.6'
 */
export function csvNumber(v: number, digits?: number): string {
  if (!Number.isFinite(v)) return '';
  const r = digits !== undefined ? Number(v.toFixed(digits)) : Number(v.toPrecision(6));
  return String(Object.is(r, -0) ? 0 : r);
}
