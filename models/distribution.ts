import { errorFunction } from 'simple-statistics';
import type { Bounds, Distribution } from './input-row.ts';

export type { Distribution } from './input-row.ts';

/**
 * Distributions of uncertain inputs (issue 22): the inverse distribution function (quantile) of each
 * kind, truncated to the field's hard bounds, so that one uniform number u ∈ (0, 1) gives one value —
 * the form Latin-hypercube sampling needs (McKay, Beckman & Conover, Technometrics 21, 1979) — and the
 * median is the quantile at ½. Parameters are in the field's unit (`distributionIn` converts a unit
 * string first). The kinds:
 * - uniform(min, max); triangular(min, mode, max);
 * - normal(mean, sd), truncated to the field's bounds;
 * - lognormal(mean, sd) of the quantity itself (not of its logarithm): σ² = ln(1 + sd²/mean²),
 *   μ = ln mean − σ²/2; truncated to the field's bounds;
 * - discrete(values, weights): the smallest value whose cumulative weight reaches u.
 */

/** The kinds of distribution, by name. */
export const DISTRIBUTION_KINDS = ['uniform', 'triangular', 'normal', 'lognormal', 'discrete'] as const;
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

/** Most values a discrete distribution may list. */
export const MAX_DISCRETE_VALUES = 100;

/** Standard normal distribution function Φ(z) (via the error function of simple-statistics, |ε| < 1.2e-7). */
export function normalCdf(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  return Math.min(1, Math.max(0, 0.5 * (1 + errorFunction(z / Math.SQRT2))));
}

/**
 * The standard normal quantile Φ⁻¹(p), Wichura's algorithm AS 241 (PPND16, Applied Statistics 37,
 * 1988): relative error about 1e-16.
 *
 * @example
 * normalQuantile(0.975) // → 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    v =
      (((((((r * 2.0103343992922881e-7 + 2.7115555687434876e-5) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 1.8463183175100548e-5) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -v : v;
}

/** Parameters of the log of a lognormal given the mean and standard deviation of the quantity. */
function logParams(mean: number, sd: number): { mu: number; sigma: number } {
  const s2 = Math.log(1 + (sd * sd) / (mean * mean));
  return { mu: Math.log(mean) - s2 / 2, sigma: Math.sqrt(s2) };
}

/** The untruncated distribution function F(x) of a continuous kind (uniform, triangular, normal, lognormal). */
function cdf(d: Distribution, x: number): number {
  switch (d.dist) {
    case 'uniform':
      return x <= d.min ? 0 : x >= d.max ? 1 : (x - d.min) / (d.max - d.min);
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      if (x <= a) return 0;
      if (x >= b) return 1;
      return x <= c
        ? ((x - a) * (x - a)) / ((b - a) * (c - a))
        : 1 - ((b - x) * (b - x)) / ((b - a) * (b - c));
    }
    case 'normal':
      return normalCdf((x - d.mean) / d.sd);
    case 'lognormal': {
      if (x <= 0) return 0;
      const { mu, sigma } = logParams(d.mean, d.sd);
      return normalCdf((Math.log(x) - mu) / sigma);
    }
    case 'discrete': {
      const total = d.weights.reduce((a, b) => a + b, 0);
      let s = 0;
      for (let i = 0; i < d.values.length; i++) if (d.values[i] <= x) s += d.weights[i];
      return s / total;
    }
  }
}

/** The untruncated quantile of a distribution at p ∈ [0, 1]. */
function rawQuantile(d: Distribution, p: number): number {
  switch (d.dist) {
    case 'uniform':
      return d.min + p * (d.max - d.min);
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      const fc = b > a ? (c - a) / (b - a) : 0;
      return p <= fc ? a + Math.sqrt(p * (b - a) * (c - a)) : b - Math.sqrt((1 - p) * (b - a) * (b - c));
    }
    case 'normal':
      return d.mean + d.sd * normalQuantile(p);
    case 'lognormal': {
      const { mu, sigma } = logParams(d.mean, d.sd);
      return Math.exp(mu + sigma * normalQuantile(p));
    }
    case 'discrete': {
      // Values in ascending order with their weights; the smallest whose cumulative share reaches p.
      const order = d.values.map((_, i) => i).sort((i, j) => d.values[i] - d.values[j]);
      const total = d.weights.reduce((a, b) => a + b, 0);
      let s = 0;
      for (const i of order) {
        s += d.weights[i] / total;
        if (s >= p - 1e-12 && d.weights[i] > 0) return d.values[i];
      }
      return d.values[order[order.length - 1]];
    }
  }
}

/**
 * The quantile of a distribution at p ∈ [0, 1], truncated to [lo, hi] (a field's hard bounds): the
 * untruncated quantile at F(lo) + p·(F(hi) − F(lo)), then held inside [lo, hi]. Monotone in p, so
 * Latin-hypercube strata stay strata.
 *
 * @example
 * quantile({ dist: 'triangular', min: 0, mode: 0, max: 1 }, 0.75) // → 0.5
 * quantile({ dist: 'normal', mean: 0.9, sd: 0.1 }, 0.5, { min: 0, max: 1 }) // → 0.8695… (the truncated median)
 */
export function quantile(d: Distribution, p: number, bounds: Pick<Bounds, 'min' | 'max'> = {}): number {
  const lo = bounds.min ?? Number.NEGATIVE_INFINITY;
  const hi = bounds.max ?? Number.POSITIVE_INFINITY;
  let q: number;
  if (d.dist === 'normal' || d.dist === 'lognormal') {
    const flo = Number.isFinite(lo) ? cdf(d, lo) : 0;
    const fhi = Number.isFinite(hi) ? cdf(d, hi) : 1;
    q = rawQuantile(d, Math.min(1, Math.max(0, flo + p * (fhi - flo))));
  } else q = rawQuantile(d, p);
  return Math.min(hi, Math.max(lo, q));
}

/**
 * The median of a distribution (truncated to the bounds): the value a plain `simulate` uses.
 *
 * @example
 * median({ dist: 'lognormal', mean: 1, sd: 0.5 }) // → 0.8944271909999159 (e^μ, μ = −ln(1.25)/2)
 */
export function median(d: Distribution, bounds: Pick<Bounds, 'min' | 'max'> = {}): number {
  return quantile(d, 0.5, bounds);
}

/** The distribution function of a distribution truncated to the bounds, at x (for stratification checks). */
export function truncatedCdf(d: Distribution, x: number, bounds: Pick<Bounds, 'min' | 'max'> = {}): number {
  const lo = bounds.min ?? Number.NEGATIVE_INFINITY;
  const hi = bounds.max ?? Number.POSITIVE_INFINITY;
  if (d.dist !== 'normal' && d.dist !== 'lognormal') return cdf(d, x);
  const flo = Number.isFinite(lo) ? cdf(d, lo) : 0;
  const fhi = Number.isFinite(hi) ? cdf(d, hi) : 1;
  return (cdf(d, Math.min(hi, Math.max(lo, x))) - flo) / (fhi - flo);
}

/** A number of a distribution as written: in the field's unit, or a string with a unit ("0.3 CNY/kWh"). */
type Param = number | string;

/** A distribution as a scenario writes it: parameters in the field's unit, with a unit string, or each a string with its unit. */
export type DistributionInput =
  | { dist: 'uniform'; min: Param; max: Param; unit?: string }
  | { dist: 'triangular'; min: Param; mode: Param; max: Param; unit?: string }
  | { dist: 'normal'; mean: Param; sd: Param; unit?: string }
  | { dist: 'lognormal'; mean: Param; sd: Param; unit?: string }
  | { dist: 'discrete'; values: Param[]; weights?: number[]; unit?: string };

/** True for an object that says it is a distribution (has a `dist` key). */
export function isDistributionInput(v: unknown): v is DistributionInput {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, 'dist');
}

/**
 * A distribution as written, in the field's unit and checked against the field's hard bounds: every
 * broken rule at once, each as `[subpath, rule]` (`['max', 'must be > min']`, `['values[2]', 'must be ≤ 1']`).
 * `convert(text, field)` reads a parameter with a unit in the field's unit (the quantity reader).
 * A normal or lognormal has unbounded tails: it is truncated to the bounds, and its mean must lie inside them.
 *
 * @example
 * distributionIn({ dist: 'uniform', min: 0.5, max: 0.4 }, { min: 0, max: 1 }, conv).errors // → [['max', 'must be > min']]
 */
export function distributionIn(
  input: DistributionInput,
  bounds: Bounds,
  unit: string,
  convert: (text: string, field: string) => number,
): { dist: Distribution | null; errors: Array<[string, string]> } {
  const errors: Array<[string, string]> = [];
  const num = (v: unknown, field: string): number => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        errors.push([field, 'must be a finite number']);
        return Number.NaN;
      }
      if (input.unit !== undefined && input.unit !== unit) {
        try {
          return convert(`${v} ${input.unit}`, field);
        } catch (e) {
          errors.push([field, (e as Error).message.replace(/^[^:]*: /, '')]);
          return Number.NaN;
        }
      }
      return v;
    }
    if (typeof v === 'string') {
      try {
        return convert(v, field);
      } catch (e) {
        errors.push([field, (e as Error).message.replace(/^[^:]*: /, '')]);
        return Number.NaN;
      }
    }
    errors.push([field, 'is required']);
    return Number.NaN;
  };
  const inBounds = (v: number, field: string) => {
    if (Number.isNaN(v)) return;
    const lo = bounds.min;
    const hi = bounds.max;
    if (lo !== undefined && (bounds.exclusiveMin ? !(v > lo) : !(v >= lo)))
      errors.push([field, `must be ${bounds.exclusiveMin ? '>' : '≥'} ${lo}`]);
    if (hi !== undefined && !(v <= hi)) errors.push([field, `must be ≤ ${hi}`]);
  };
  const positive = (v: number, field: string) => {
    if (!Number.isNaN(v) && !(v > 0)) errors.push([field, 'must be > 0']);
  };
  const keys: Record<string, string[]> = {
    uniform: ['min', 'max'],
    triangular: ['min', 'mode', 'max'],
    normal: ['mean', 'sd'],
    lognormal: ['mean', 'sd'],
    discrete: ['values', 'weights'],
  };
  const known = Object.hasOwn(keys, input.dist) ? keys[input.dist] : null;
  if (known)
    for (const k of Object.keys(input))
      if (k !== 'dist' && k !== 'unit' && !known.includes(k))
        errors.push([
          k,
          `unknown parameter of a ${input.dist} distribution (known: ${known.join(', ')}, unit)`,
        ]);
  let dist: Distribution | null = null;
  switch (input.dist) {
    case 'uniform': {
      const min = num(input.min, 'min');
      const max = num(input.max, 'max');
      inBounds(min, 'min');
      inBounds(max, 'max');
      if (!Number.isNaN(min) && !Number.isNaN(max) && !(max > min)) errors.push(['max', 'must be > min']);
      dist = { dist: 'uniform', min, max };
      break;
    }
    case 'triangular': {
      const min = num(input.min, 'min');
      const mode = num(input.mode, 'mode');
      const max = num(input.max, 'max');
      inBounds(min, 'min');
      inBounds(max, 'max');
      if (!Number.isNaN(min) && !Number.isNaN(max) && !(max > min)) errors.push(['max', 'must be > min']);
      if (!Number.isNaN(mode) && !Number.isNaN(min) && !(mode >= min)) errors.push(['mode', 'must be ≥ min']);
      if (!Number.isNaN(mode) && !Number.isNaN(max) && !(mode <= max)) errors.push(['mode', 'must be ≤ max']);
      dist = { dist: 'triangular', min, mode, max };
      break;
    }
    case 'normal':
    case 'lognormal': {
      const mean = num(input.mean, 'mean');
      const sd = num(input.sd, 'sd');
      inBounds(mean, 'mean');
      positive(sd, 'sd');
      if (input.dist === 'lognormal') positive(mean, 'mean');
      dist = { dist: input.dist, mean, sd };
      break;
    }
    case 'discrete': {
      if (!Array.isArray(input.values) || input.values.length === 0) {
        errors.push(['values', 'must list at least one value']);
        break;
      }
      if (input.values.length > MAX_DISCRETE_VALUES)
        errors.push(['values', `must list at most ${MAX_DISCRETE_VALUES} values`]);
      const values = input.values.map((v, i) => num(v, `values[${i}]`));
      values.forEach((v, i) => {
        inBounds(v, `values[${i}]`);
      });
      const weights = input.weights ?? values.map(() => 1);
      if (!Array.isArray(weights) || weights.length !== values.length)
        errors.push(['weights', `must give one weight per value (${values.length})`]);
      else {
        weights.forEach((w, i) => {
          if (!(typeof w === 'number' && Number.isFinite(w) && w >= 0))
            errors.push([`weights[${i}]`, 'must be ≥ 0']);
        });
        if (!(weights.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) > 0))
          errors.push(['weights', 'must add up to more than 0']);
      }
      dist = { dist: 'discrete', values, weights: Array.isArray(weights) ? weights : [] };
      break;
    }
    default:
      errors.push(['dist', `must be one of ${DISTRIBUTION_KINDS.join(', ')}`]);
  }
  return { dist: errors.length ? null : dist, errors };
}

/** A distribution in words, for the result's assumptions and the CLI. */
export function describeDistribution(d: Distribution, unit: string): string {
  const f = (v: number) => String(Number(v.toPrecision(6)));
  const u = unit ? ` ${unit}` : '';
  switch (d.dist) {
    case 'uniform':
      return `uniform ${f(d.min)}–${f(d.max)}${u}`;
    case 'triangular':
      return `triangular ${f(d.min)}–${f(d.max)}${u}, mode ${f(d.mode)}`;
    case 'normal':
      return `normal, mean ${f(d.mean)}${u}, sd ${f(d.sd)}`;
    case 'lognormal':
      return `lognormal, mean ${f(d.mean)}${u}, sd ${f(d.sd)}`;
    case 'discrete':
      return `discrete ${d.values.map((v, i) => `${f(v)} (${f(d.weights[i])})`).join(', ')}${u}`;
  }
}
