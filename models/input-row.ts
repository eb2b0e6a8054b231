import type { AssumptionUsed } from './result.ts';

/**
 * The row every input is declared with (in the spirit of NREL SAM's `var_info` tables and PyPSA's
 * component attribute tables): label, unit, hard bounds, the literature's typical range, default,
 * source, grade and an optional distribution. Model parameter tables (cooling and electrical by
 * facility class, PV, wind, battery) are made of these rows in their own modules; the scenario's
 * fields are declared in `models/inputs.ts` with the same parts. This module is a leaf: the models
 * import it, it imports nothing of theirs.
 */

/** How sure a figure is, surest first: A (official, primary) … D (derived), an engineering assumption, not found. */
export const GRADES = ['A', 'B', 'C', 'D', 'assumption', 'NOT FOUND'] as const;
export type Grade = (typeof GRADES)[number];

/**
 * Uncertainty of an input, for Monte Carlo. Parameters are in the input's unit; `lognormal` takes the
 * mean and standard deviation of the quantity itself (not of its logarithm).
 */
export type Distribution =
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'triangular'; min: number; mode: number; max: number }
  | { dist: 'normal'; mean: number; sd: number }
  | { dist: 'lognormal'; mean: number; sd: number }
  | { dist: 'discrete'; values: number[]; weights: number[] };

/** Hard bounds of a number: a value outside is refused with `must be ≥ min` and the like. */
export interface Bounds {
  min?: number;
  /** True when `min` itself is not allowed (> min). */
  exclusiveMin?: boolean;
  max?: number;
  /** Smallest non-zero magnitude (a physical floor: below it the engine's divisions lose all precision). */
  minPositive?: number;
  integer?: boolean;
}

/** The literature's or practice's usual range of an input: a value outside is kept, with a warning. */
export interface Typical {
  min: number;
  max: number;
}

/** One row of a model's parameter table: a number with its default, unit, bounds, source and grade. */
export interface InputRow extends Bounds {
  /** The default value. */
  value: number;
  unit: string;
  label: string;
  /** The label in Chinese. */
  zh?: string;
  /** Usual range (the literature's); the default lies inside it. */
  typical?: Typical;
  /** Where the default comes from: the original document, table and page. */
  source: string;
  grade: Grade;
  /** Uncertainty of the input (Monte Carlo); without it the input is held at its value. */
  distribution?: Distribution;
}

export type InputTable = Record<string, InputRow>;

/**
 * The value of a number against its hard bounds: the one-line rule it breaks, or null.
 *
 * @example
 * checkBounds(1.2, { min: 0, max: 1 }) // → 'must be ≤ 1'
 */
export function checkBounds(value: number, b: Bounds): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (b.min !== undefined) {
    if (b.exclusiveMin ? !(value > b.min) : !(value >= b.min)) {
      return `must be ${b.exclusiveMin ? '>' : '≥'} ${b.min}`;
    }
  }
  if (b.max !== undefined && !(value <= b.max)) return `must be ≤ ${b.max}`;
  if (b.minPositive !== undefined && value !== 0 && Math.abs(value) < b.minPositive)
    return `must be ${b.exclusiveMin ? '' : '0 or '}≥ ${b.minPositive}`;
  if (b.integer && !Number.isInteger(value)) return 'must be a whole number';
  return null;
}

/**
 * A value outside its typical range, in words (for a warning), or null when inside or without a range.
 *
 * @example
 * outsideTypical(0.3, { min: 0.8, max: 0.92 }, '') // → '0.3 is outside the usual 0.8–0.92'
 */
export function outsideTypical(value: number, t: Typical | undefined, unit: string): string | null {
  if (!t || (value >= t.min && value <= t.max)) return null;
  const u = unit ? ` ${unit}` : '';
  return `${fmt(value)}${u} is outside the usual ${fmt(t.min)}–${fmt(t.max)}${u}`;
}

const fmt = (v: number) => String(Number(v.toPrecision(6)));

/** The assumption entry of a table row whose default a run used. */
export function rowAssumption(field: string, row: InputRow): AssumptionUsed {
  // 12 significant digits: a midpoint such as 0.9450000000000001 is listed as 0.945.
  return {
    field,
    value: Number(row.value.toPrecision(12)),
    unit: row.unit,
    source: row.source,
    grade: row.grade,
  };
}

/**
 * The values of a table with overrides applied; the defaults used (as the result's assumptions, field
 * `prefix.name`: a row the overrides give is not listed, every other row is); and a warning for each
 * override outside its row's typical range. Throws `prefix.name: unknown parameter (known: …)` or
 * `prefix.name: must be ≤ 1` (the row's hard bounds).
 *
 * @example
 * applyTable('green.pv.overrides', PV_TABLE, { albedo: 0.3 }).values.albedo // → 0.3
 */
export function applyTable(
  prefix: string,
  table: InputTable,
  overrides: Record<string, number> = {},
): { values: Record<string, number>; used: AssumptionUsed[]; warnings: string[] } {
  const warnings: string[] = [];
  for (const [k, v] of Object.entries(overrides)) {
    if (!Object.hasOwn(table, k))
      throw new Error(`${prefix}.${k}: unknown parameter (known: ${Object.keys(table).join(', ')})`);
    const problem = checkBounds(v, table[k]);
    if (problem) throw new Error(`${prefix}.${k}: ${problem}`);
    const odd = outsideTypical(v, table[k].typical, table[k].unit);
    if (odd) warnings.push(`${prefix}.${k}: ${odd} (${table[k].label})`);
  }
  const values: Record<string, number> = {};
  const used: AssumptionUsed[] = [];
  for (const [k, row] of Object.entries(table)) {
    if (Object.hasOwn(overrides, k)) values[k] = overrides[k];
    else {
      values[k] = row.value;
      used.push(rowAssumption(`${prefix}.${k}`, row));
    }
  }
  return { values, used, warnings };
}
