import type { ClimateYear } from '../climate.ts';
import type { EngineCache } from '../engine-cache.ts';
import { checkBounds, outsideTypical } from '../input-row.ts';
import { clusterField, defaultOf, type FieldRow, type RuleContext, type SourcedValue } from '../inputs.ts';
import { compileQuantity, type Quantity } from '../quantity.ts';
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
  if (d) listDefault(ctx, path, d);
  return d;
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
