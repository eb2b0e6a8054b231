import type { ClimateYear } from '../climate.ts';
import { seededDefault } from '../inputs.ts';
import { compileQuantity, type Quantity } from '../quantity.ts';
import type { ClusterReference, EngineReference, SourcedDefault } from '../reference.ts';
import type { AssumptionUsed } from '../result.ts';
import { checkRule, type QuantityRule, ValidationError } from '../scenario.ts';

/** A quantity resolved for the simulated years: its value in a year. */
export type Resolved = (year: number) => number;

/**
 * Compile a quantity and check its rule in every simulated year, so a bad value fails before the run
 * starts with `clusters[0].occupancy: must be ≤ 1 (in 2027)`.
 */
export function resolve(input: unknown, rule: QuantityRule, path: string, years: number[]): Resolved {
  // `path.2025: rule` (a schedule entry) keeps its own path; the rest is said once, after the path.
  const fieldError = (e: unknown) => {
    const msg = (e as Error).message;
    const sub = msg.startsWith(`${path}.`) ? /^([^:]*): (.*)$/s.exec(msg) : null;
    if (sub) return new ValidationError([{ path: sub[1], message: sub[2] }]);
    return new ValidationError([{ path, message: msg.replace(`${path}: `, '') }]);
  };
  let qty: Quantity;
  try {
    qty = compileQuantity(input as never, rule.unit === 'rack' ? '' : rule.unit, path);
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
    const problem = checkRule(v, rule);
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

export function resolveConstant(input: unknown, rule: QuantityRule, path: string): number {
  return resolve(input, rule, path, [0])(0);
}

export function nearestYearValue(
  byYear: Record<string, number>,
  year: number,
): { value: number; exact: boolean } {
  const ys = Object.keys(byYear)
    .map(Number)
    .sort((a, b) => a - b);
  if (byYear[String(year)] !== undefined) return { value: byYear[String(year)], exact: true };
  const y = year < ys[0] ? ys[0] : ys.filter((v) => v <= year).pop()!;
  return { value: byYear[String(y)], exact: false };
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
  /** Defaults the run fell back on (the result's `assumptions`). */
  assumptions: AssumptionUsed[];
  warnings: string[];
}

/** Resolve an optional quantity at `ctx.p + '.' + sub`; null when not given. */
export function optional(
  ctx: PrepareContext,
  given: unknown,
  rule: QuantityRule,
  sub: string,
): Resolved | null {
  return given === undefined ? null : resolve(given, rule, `${ctx.p}.${sub}`, ctx.years);
}

/** Record that the run used a sourced default for `field`, and return its value. */
export function useDefault<T extends number | string>(
  ctx: Pick<PrepareContext, 'assumptions'>,
  field: string,
  def: { value: T; source: string; grade: string },
): T {
  ctx.assumptions.push({ field, value: def.value, source: def.source, grade: def.grade });
  return def.value;
}

/** The seeded default of a `REFERENCE_DEFAULTS` field (read through its seed path), recorded as used. */
export function useSeeded(ctx: Pick<PrepareContext, 'assumptions' | 'ref'>, field: string): number {
  return useDefault(ctx, field, seededDefault(ctx.ref, field));
}

/** The given quantity resolved, else the sourced default (recorded in the assumptions) as a constant. */
export function orDefault(
  ctx: PrepareContext,
  given: unknown,
  rule: QuantityRule,
  sub: string,
  field: string,
  def: SourcedDefault,
): Resolved {
  if (given !== undefined) return resolve(given, rule, `${ctx.p}.${sub}`, ctx.years);
  const v = useDefault(ctx, field, def);
  return () => v;
}
