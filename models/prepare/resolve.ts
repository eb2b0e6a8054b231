import type { ClimateYear } from '../climate.ts';
import {
  type DistributionInput,
  describeDistribution,
  distributionIn,
  isDistributionInput,
  median,
} from '../distribution.ts';
import type { EngineCache } from '../engine-cache.ts';
import { type Bounds, checkBounds, type Distribution, outsideTypical } from '../input-row.ts';
import { clusterField, defaultOf, type FieldRow, type RuleContext, type SourcedValue } from '../inputs.ts';
import { compileQuantity, evaluateQuantity, type Quantity } from '../quantity.ts';
import type { ClusterReference, EngineReference } from '../reference.ts';
import type { AssumptionUsed } from '../result.ts';
import { type ClusterScenario, ValidationError } from '../scenario.ts';

/** A quantity resolved for the simulated years: its value in a year. */
export type Resolved = (year: number) => number;

/**
 * Compile a quantity and check its rule in every simulated year, so a bad value fails before the run
 * starts with `clusters[0].occupancy: must be ≤ 1 (in 2027)`.
 */
export function resolve(input: unknown, rule: FieldRow, path: string, years: number[]): Resolved {
  // `path.2025: rule` (a schedule entry) keeps its own path; the rest is said once, after the path.
  const fieldError = (e: unknown) => {
    const msg = (e as Error).message;
    const sub = msg.startsWith(`${path}.`) ? /^([^:]*): (.*)$/s.exec(msg) : null;
    if (sub) return new ValidationError([{ path: sub[1], message: sub[2] }]);
    return new ValidationError([{ path, message: msg.replace(`${path}: `, '') }]);
  };
  let qty: Quantity;
  try {
    qty = compileQuantity(input as never, rule.unit === 'rack' ? '' : (rule.unit ?? ''), path);
  } catch (e) {
    throw fieldError(e);
  }
  for (const y of years) {
    let v: number;
    try {
      v = qty.at(y);
    } catch (e) {
      throw fieldError(e);
    }
    const problem = checkBounds(v, rule);
    if (problem)
      throw new ValidationError([{ path, message: qty.constant ? problem : `${problem} (in ${y})` }]);
  }
  if (qty.constant) {
    const v = qty.at(years[0]);
    return () => v;
  }
  const cache = new Map<number, number>();
  for (const y of years) cache.set(y, qty.at(y));
  return (y) => cache.get(y) ?? qty.at(y);
}

export function resolveConstant(input: unknown, rule: FieldRow, path: string): number {
  return resolve(input, rule, path, [0])(0);
}

/** `rec[key]` only when `key` is the record's own key (never `toString`, `__proto__`… from the prototype). */
export function own<T>(rec: Record<string, T> | undefined, key: string): T | undefined {
  return rec !== undefined && Object.hasOwn(rec, key) ? rec[key] : undefined;
}

export function unknownRef(
  path: string,
  kind: string,
  id: string,
  known: Record<string, unknown>,
): ValidationError {
  const list = Object.keys(known).sort().join(', ');
  return new ValidationError([{ path, message: `unknown ${kind} "${id}" (known: ${list})` }]);
}

/**
 * The values of one Monte Carlo sample (models/uncertainty/): a value for each distribution the
 * scenario gives, by its path (`clusters[0].occupancy`), and a factor on each default a grade band
 * moves, by the cluster's path and the default's field (`clusters[0].finance.buildCnyPerKwIt`).
 * Without a value a distribution takes its median; without a factor a default is as listed.
 */
export interface SampleValues {
  values?: Record<string, number>;
  factors?: Record<string, number>;
}

/** A listed default that a factor can move: a number, or a series by year or month (not a choice or an id). */
export interface UncertainDefault {
  /** The default's field, as its assumption lists it (`finance.buildCnyPerKwIt`, `cooling.overrides.x`). */
  field: string;
  grade: string;
  /** The default's value when one number (the band is truncated to the row's bounds around it), else null. */
  value: number | null;
  bounds: Bounds;
}

/** What every prepare step reads and appends to: the cluster's path, years, reference data and notes. */
export interface PrepareContext {
  /** Path of the cluster in the scenario, e.g. `clusters[0]`. */
  p: string;
  years: number[];
  ref: EngineReference;
  cref: ClusterReference;
  /** The cluster's climate year (seeded or imported). */
  climate: ClimateYear;
  /** The cluster entry as given (the scenario's defaults merged in). */
  cluster: ClusterScenario;
  /** Defaults the run fell back on (the result's `assumptions`). */
  assumptions: AssumptionUsed[];
  warnings: string[];
  /** The caller's engine cache, if any (climate-only series the preparation needs). */
  cache: EngineCache | null;
  /** A Monte Carlo sample's values and default factors, or null for a plain run (medians, defaults as listed). */
  sample: SampleValues | null;
  /** The numeric defaults listed that a grade band can move (the result of `uncertainDefaults`). */
  uncertain: UncertainDefault[];
}

/** A value held inside hard bounds (a default moved by a factor may not leave them). */
export function clampTo(v: number, b: Bounds): number {
  let x = v;
  if (b.max !== undefined && x > b.max) x = b.max;
  if (b.min !== undefined && x < b.min) x = b.min;
  return x;
}

/**
 * Note a numeric default the run listed as one a grade band can move — unless it is a design choice
 * (`designChoice` rows: orientation, years in service), a whole number (counts, switches) or 0 (a
 * band around 0 is 0) — and the factor this run's sample puts on it (1 without one).
 */
export function defaultFactor(
  ctx: PrepareContext,
  field: string,
  grade: string,
  value: number | null,
  bounds: Bounds & { designChoice?: boolean },
): number {
  if (bounds.designChoice || bounds.integer || value === 0) return 1;
  if (!ctx.uncertain.some((u) => u.field === field))
    ctx.uncertain.push({
      field,
      grade,
      value,
      bounds: { min: bounds.min, max: bounds.max, exclusiveMin: bounds.exclusiveMin },
    });
  return ctx.sample?.factors?.[`${ctx.p}.${field}`] ?? 1;
}

/** A default moved by the sample's factor on it (value, by year, by month), held inside the row's bounds. */
function moved(ctx: PrepareContext, path: string, d: SourcedValue): SourcedValue {
  const numeric = typeof d.value === 'number' || d.byYear !== undefined || d.byMonth !== undefined;
  if (!numeric) return d;
  const row = clusterField(path);
  const f = defaultFactor(ctx, path, d.grade, typeof d.value === 'number' ? d.value : null, row);
  if (f === 1) return d;
  const { byYear, byMonth } = d;
  return {
    ...d,
    value: typeof d.value === 'number' ? clampTo(d.value * f, row) : d.value,
    byYear: byYear && ((y) => clampTo(byYear(y) * f, row)),
    byMonth: byMonth && ((y, m) => clampTo(byMonth(y, m) * f, row)),
  };
}

/**
 * A distribution a scenario gives for a quantity field, in the field's unit and checked against the
 * field's hard bounds; every broken rule at once (`clusters[0].occupancy.max: must be ≤ 1`).
 */
export function fieldDistribution(input: DistributionInput, row: FieldRow, path: string): Distribution {
  const unit = row.unit === 'rack' ? '' : (row.unit ?? '');
  const { dist, errors } = distributionIn(input, row, unit, (text, field) => {
    try {
      return evaluateQuantity(text, unit);
    } catch (e) {
      throw new Error(`${field}: ${(e as Error).message.replace(/^value: /, '')}`);
    }
  });
  if (!dist) throw new ValidationError(errors.map(([sub, message]) => ({ path: `${path}.${sub}`, message })));
  return dist;
}

/**
 * A distribution's value in this run: the sample's value for its path, else its median (truncated to
 * the field's bounds), listed in the assumptions with the distribution it comes from.
 */
function distributionValue(
  ctx: PrepareContext,
  row: FieldRow,
  sub: string,
  input: DistributionInput,
): number {
  const path = `${ctx.p}.${sub}`;
  const dist = fieldDistribution(input, row, path);
  const drawn = ctx.sample?.values?.[path];
  const v = drawn ?? median(dist, row);
  const unit = row.unit === 'rack' ? '' : (row.unit ?? '');
  const problem = checkBounds(v, row);
  if (problem) throw new ValidationError([{ path, message: problem }]);
  ctx.assumptions.push({
    field: sub,
    value: Number(v.toPrecision(12)),
    unit,
    source:
      drawn === undefined
        ? `the median of the scenario's ${describeDistribution(dist, unit)} (a Monte Carlo run draws from it)`
        : `a Monte Carlo sample of the scenario's ${describeDistribution(dist, unit)}`,
    grade: 'input',
  });
  return v;
}

/** What a default rule needs from the call site: a number (the battery's hours) or the tariff's choices. */
export type RuleExtra = Pick<RuleContext, 'hint' | 'resolved'>;

/** The rule context of the cluster's defaults (models/inputs.ts `DEFAULT_RULES`). */
function ruleContext(ctx: PrepareContext, extra?: RuleExtra | number): RuleContext {
  const x = typeof extra === 'number' ? { hint: extra } : (extra ?? {});
  return { ref: ctx.ref, cref: ctx.cref, climate: ctx.climate, cluster: ctx.cluster, years: ctx.years, ...x };
}

/** List a default the run used (its row's path, value, unit, source and grade) and its warning. */
function listDefault(ctx: PrepareContext, path: string, d: SourcedValue): void {
  const value = typeof d.value === 'number' ? Number(d.value.toPrecision(12)) : d.value;
  ctx.assumptions.push({
    field: path,
    value,
    ...(d.unit !== undefined && typeof d.value === 'number' ? { unit: d.unit } : {}),
    source: d.source,
    grade: d.grade,
  });
  // A rule may give several warnings, one a line; each is said once per cluster.
  for (const w of d.warning?.split('\n') ?? []) if (w && !ctx.warnings.includes(w)) ctx.warnings.push(w);
}

/** The default of a field from its row, not listed (the caller lists it in its own words). */
export function peekDefault(
  ctx: PrepareContext,
  path: string,
  extra?: RuleExtra | number,
): SourcedValue | null {
  return defaultOf(path, ruleContext(ctx, extra));
}

/**
 * The default of a field from its row (models/inputs.ts), listed in the result's assumptions; null
 * when the row has none. `hint` is what the field's rule needs from the call site.
 */
export function useDefault(
  ctx: PrepareContext,
  path: string,
  extra?: RuleExtra | number,
): SourcedValue | null {
  const d = defaultOf(path, ruleContext(ctx, extra));
  if (!d) return null;
  listDefault(ctx, path, d);
  return moved(ctx, path, d);
}

/** A warning when a given value lies outside its row's usual range (first year only). */
function checkTypical(ctx: PrepareContext, row: FieldRow, path: string, v: number, year?: number): void {
  const odd = outsideTypical(v, row.typical, row.unit ?? '');
  if (odd)
    ctx.warnings.push(`${path}: ${odd} (${row.label})${year !== undefined ? ` in ${year}` : ''}; check it`);
}

/**
 * A quantity field (`rowPath` names its row, `sub` its place in this cluster, e.g. `buildout[2].racks`):
 * the scenario's value resolved for every year and checked against the row's bounds (refused) and
 * usual range (a warning); else the row's default, listed; else null (not modelled).
 */
export function quantity(
  ctx: PrepareContext,
  rowPath: string,
  given: unknown,
  sub: string = rowPath,
  hint?: RuleExtra | number,
): Resolved | null {
  const row = clusterField(rowPath);
  if (isDistributionInput(given)) {
    const v = distributionValue(ctx, row, sub, given);
    return () => v;
  }
  if (given !== undefined) {
    const path = `${ctx.p}.${sub}`;
    const r = resolve(given, row, path, ctx.years);
    if (row.typical) {
      const y = ctx.years.find((yr) => outsideTypical(r(yr), row.typical, '') !== null);
      if (y !== undefined) checkTypical(ctx, row, path, r(y), ctx.years.length > 1 ? y : undefined);
    }
    return r;
  }
  const d = useDefault(ctx, rowPath, hint);
  if (!d) return null;
  if (d.byYear) return d.byYear;
  const v = d.value as number;
  return () => v;
}

/** A quantity field that must have a value (given or defaulted). */
export function quantityOrThrow(
  ctx: PrepareContext,
  rowPath: string,
  given: unknown,
  sub = rowPath,
): Resolved {
  const r = quantity(ctx, rowPath, given, sub);
  if (!r) throw new ValidationError([{ path: `${ctx.p}.${sub}`, message: 'is required' }]);
  return r;
}

/** A constant quantity field (one value for every year): given, else the row's default, else null. */
export function constant(
  ctx: PrepareContext,
  rowPath: string,
  given: unknown,
  sub = rowPath,
  hint?: RuleExtra | number,
): number | null {
  if (given === undefined) {
    const d = useDefault(ctx, rowPath, hint);
    return d ? (d.value as number) : null;
  }
  const row = clusterField(rowPath);
  if (isDistributionInput(given)) return distributionValue(ctx, row, sub, given);
  const v = resolveConstant(given, row, `${ctx.p}.${sub}`);
  checkTypical(ctx, row, `${ctx.p}.${sub}`, v);
  return v;
}

/**
 * A plain field (number, choice or id): the scenario's value (already checked by the schema; a number
 * outside the usual range warns), else the row's default, listed; else undefined.
 */
export function plain<T extends number | string>(
  ctx: PrepareContext,
  rowPath: string,
  given: T | undefined,
  hint?: RuleExtra | number,
): T | undefined {
  if (given !== undefined) {
    if (typeof given === 'number') checkTypical(ctx, clusterField(rowPath), `${ctx.p}.${rowPath}`, given);
    return given;
  }
  const d = useDefault(ctx, rowPath, hint);
  return d ? (d.value as T) : undefined;
}
