import { z } from 'zod';
import type { EngineReference, SourcedDefault } from './reference.ts';
import type { AssumptionUsed } from './result.ts';

/**
 * Input tables: every engine parameter is declared once, as a row with its label, unit, default,
 * bounds, source and grade (in the spirit of NREL SAM's variable tables and PyPSA's component
 * attribute tables). The same rows give
 * - the default the engine uses when a scenario leaves the input out,
 * - the bounds an override is checked against,
 * - the result's `assumptions` (every row whose default a run used, and no other),
 * - the scenario schema's metadata (`default`, `x-source`, `x-grade`), hence the docs' field tables
 *   and the web editor,
 * - and, next, the input's uncertainty for Monte Carlo (`distribution`).
 *
 * Tables today: cooling and electrical parameters by facility class (`models/cooling.ts`,
 * `models/electrical.ts`), PV (`PV_TABLE`), wind (`WIND_TABLE`), battery (`BATTERY_TABLE`). Defaults
 * that are reference data — a province's tariff, grid factors, costs — live in the seeds with their
 * sources, and the scenario schema names where they come from (`x-default-ref`).
 */

/** How sure a figure is, surest first: A (official, primary) … D (indicative), an engineering assumption, not found. */
export const GRADES = ['A', 'B', 'C', 'D', 'assumption', 'NOT FOUND'] as const;
export type Grade = (typeof GRADES)[number];

/**
 * Uncertainty of an input, for Monte Carlo. Parameters are in the input's unit.
 * `lognormal` takes the mean and standard deviation of ln(x).
 */
export type Distribution =
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'triangular'; min: number; mode: number; max: number }
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'lognormal'; mu: number; sigma: number }
  | { kind: 'discrete'; values: number[]; weights: number[] };

/** One row of an input table: a parameter with its default, unit, bounds, source and grade. */
export interface InputRow {
  /** The default value. */
  value: number;
  unit: string;
  label: string;
  /** Lowest and highest values the literature gives (or the physics allows). */
  min?: number;
  max?: number;
  /** Where the default comes from: the original document, table and page. */
  source: string;
  grade: Grade;
  /** Uncertainty of the input (Monte Carlo); without it the input is held at its value. */
  distribution?: Distribution;
}

export type InputTable = Record<string, InputRow>;

/**
 * The values of a table with overrides applied, and the defaults used (as the result's assumptions,
 * field `prefix.name`): a row the overrides give is not listed; every other row is.
 * Throws `prefix.name: unknown parameter (known: …)` or `prefix.name: must be a finite number`; with
 * `withinRange`, also `prefix.name: must be within min–max unit` for a value outside the row's range.
 *
 * @example
 * applyTable('green.pv.overrides', PV_TABLE, { albedo: 0.3 }).values.albedo // → 0.3
 */
export function applyTable(
  prefix: string,
  table: InputTable,
  overrides: Record<string, number> = {},
  opts: { withinRange?: boolean } = {},
): { values: Record<string, number>; used: AssumptionUsed[] } {
  for (const [k, v] of Object.entries(overrides)) {
    if (!Object.hasOwn(table, k))
      throw new Error(`${prefix}.${k}: unknown parameter (known: ${Object.keys(table).join(', ')})`);
    if (!Number.isFinite(v)) throw new Error(`${prefix}.${k}: must be a finite number`);
  }
  for (const [k, v] of Object.entries(opts.withinRange ? overrides : {})) {
    const { min, max, unit } = table[k];
    if ((min !== undefined && v < min) || (max !== undefined && v > max))
      throw new Error(`${prefix}.${k}: ${`must be within ${min ?? '−∞'}–${max ?? '∞'} ${unit}`.trim()}`);
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
  return { values, used };
}

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
 * Scenario fields whose default is reference data (seeded, with its own source and grade) or a stated
 * rule: where it comes from (`text`), and for a single seeded figure its path in the engine reference
 * (`seed`, e.g. `assumptions.discountRate`: a `SourcedDefault` with value, source and grade). Paths
 * are relative to a cluster. The schema carries them as `x-default-ref` and `x-default-seed`; a run
 * lists the default, with its source, in the result's assumptions; the preparation reads a seeded
 * figure through its `seed` path here (`seededDefault`), so the path is written once.
 */
export const REFERENCE_DEFAULTS: Record<string, { text: string; seed?: SeedPath }> = {
  workloadShape: { text: 'the seeded default weekly utilisation shape (seeds/workload)' },
  serverUtilisation: { text: "the mean utilisation of the workload shape's trace" },
  powerCurve: { text: 'the seeded default SPECpower_ssj2008 server curve (seeds/servers)' },
  'cooling.facilityClass': { text: "the design's default class (see the cooling tables)" },
  'tariff.calendar': { text: "the cluster's provincial TOU calendar (seeded)" },
  'tariff.energyPriceCnyPerKwh': {
    text: "the province's coal-fired benchmark price, seeded per cluster [coal-benchmark-prices]",
  },
  'tariff.tdCnyPerKwh': { text: 'counted as 0, with a warning', seed: 'assumptions.tdCnyPerKwh' },
  'tariff.fundsCnyPerKwh': { text: 'counted as 0, with a warning', seed: 'assumptions.fundsCnyPerKwh' },
  gridFactorKgPerKwh: {
    text: 'the seeded factor of gridFactorScope for the year; the nearest published year is held, with a warning [provincial-grid-factors]',
  },
  'network.peakFactor': { text: 'used with an egress figure only', seed: 'assumptions.egressPeakFactor' },
  'network.routeFactor': { text: 'seeded', seed: 'assumptions.routeFactor' },
  'finance.discountRate': { text: 'seeded', seed: 'assumptions.discountRate' },
  'green.pv.capexCnyPerW': { text: 'seeded', seed: 'costs.pvCapexCnyPerW' },
  'green.pv.tiltDeg': { text: '|latitude| of the climate site (a rule of thumb for fixed arrays)' },
  'green.pv.azimuthDeg': { text: '180 (south) north of the equator, else 0' },
  'green.pv.tracking': { text: '`fixed`' },
  'green.pv.beam': { text: "`dni`: the weather file's direct normal irradiance" },
  'green.wind.capexCnyPerW': { text: 'seeded', seed: 'costs.windCapexCnyPerW' },
  'green.wind.resource': {
    text: "`station`: the station's 10 m wind, with a warning (provincial full-load hours are NOT FOUND)",
  },
  'green.battery.capexCnyPerWh': {
    text: 'under 3 h of storage; the seeded 4-h cost (costs.storageCapexCnyPerWh4h) from 3 h',
    seed: 'costs.storageCapexCnyPerWh2h',
  },
  'green.certificates.priceCnyPerMwh': { text: 'seeded', seed: 'costs.certificatePriceCnyPerMwh' },
};

/** Where a single seeded default lives in the engine reference. */
export type SeedPath =
  | `assumptions.${keyof EngineReference['assumptions'] & string}`
  | `costs.${keyof EngineReference['costs'] & string}`;

/**
 * The seeded default of a field of `REFERENCE_DEFAULTS`, read from the reference through the field's
 * `seed` path (value, source and grade).
 *
 * @example
 * seededDefault(ref, 'finance.discountRate') // → ref.assumptions.discountRate
 */
export function seededDefault(
  ref: Pick<EngineReference, 'assumptions' | 'costs'>,
  field: string,
): SourcedDefault {
  const seed = REFERENCE_DEFAULTS[field]?.seed;
  if (!seed) throw new Error(`seededDefault: ${field} has no seeded default in REFERENCE_DEFAULTS`);
  const [group, key] = seed.split('.') as ['assumptions' | 'costs', string];
  const v = (ref[group] as Record<string, SourcedDefault | undefined>)[key];
  if (!v) throw new Error(`seededDefault: the reference has no ${seed} (for ${field})`);
  return v;
}

/** Metadata of a field whose default is a table row: label, unit, default, source and grade. */
export function rowMeta(row: InputRow): Record<string, unknown> {
  return {
    label: row.label,
    unit: row.unit,
    default: row.value,
    'x-source': row.source,
    'x-grade': row.grade,
  };
}

/**
 * Add metadata to the field at `path` (dot-separated, through optional wrappers) of an object schema,
 * in zod's global registry (what `z.toJSONSchema` and the editor read). Throws on a path the schema
 * does not have, so a renamed field cannot silently lose its default.
 */
export function annotateField(schema: z.ZodType, path: string, meta: Record<string, unknown>): void {
  let node = schema;
  for (const key of path.split('.')) {
    node = unwrap(node);
    const shape = (node as unknown as { shape?: Record<string, z.ZodType> }).shape;
    if (!shape || !Object.hasOwn(shape, key)) throw new Error(`annotateField: no field "${path}"`);
    node = shape[key];
  }
  const before = node.meta() ?? {};
  z.globalRegistry.remove(node);
  z.globalRegistry.add(node, { ...before, ...meta });
}

function unwrap(s: z.ZodType): z.ZodType {
  let n = s;
  while (n instanceof z.ZodOptional || n instanceof z.ZodDefault || n instanceof z.ZodNullable)
    n = n.unwrap() as z.ZodType;
  return n;
}
