import { describeDistribution, isDistributionInput, quantile } from '../distribution.ts';
import { GRADE_BANDS, gradeFactor } from '../grade-bands.ts';
import type { Bounds, Distribution } from '../input-row.ts';
import { clusterField } from '../inputs.ts';
import { fieldDistribution, type SampleValues } from '../prepare/resolve.ts';
import type { PreparedRun } from '../prepare/types.ts';
import { imanConover, latinHypercube, randomUniforms, rng } from '../sampling.ts';
import type { Scenario } from '../scenario.ts';
import { ValidationError } from '../validation.ts';

/**
 * The uncertain inputs of a run and the values each Monte Carlo sample gives them (issue 22):
 * - every distribution the scenario writes (`{ "dist": … }` on a quantity), one input each — one
 *   written in `defaults` is one input shared by every cluster that takes it;
 * - with `grades`, every numeric default the plain run listed and can move (`PreparedCluster.uncertain`),
 *   as a factor from its grade's band (models/grade-bands.ts) — one input per figure: the same default
 *   (field, value and source) in several clusters is one input, since one figure has one error.
 * A sample is a row of a sampling plan (Latin hypercube or random, optionally rank-correlated by
 * Iman–Conover), each input's u turned into a value by its quantile function. Pure: the same
 * scenario, options and seed give the same samples anywhere.
 */

/** One uncertain input. */
export interface UncertainInput {
  /** Where it is written (`defaults.occupancy`, `clusters[1].finance.buildCnyPerKwIt`), or `grade:<field>@<clusters>`. */
  key: string;
  /** What it is (the field's label). */
  label: string;
  /** 'scenario': a distribution the scenario gives (a value); 'grade': a band on a default (a factor). */
  kind: 'scenario' | 'grade';
  /** The field within a cluster (`occupancy`, `buildout[0].racks`, `cooling.overrides.x`). */
  field: string;
  /** The clusters (positions) it applies to. */
  clusters: number[];
  /** The distribution of the value (scenario) or of the factor on the default (grade). */
  dist: Distribution;
  /** Bounds of the drawn number (the field's hard bounds; for a factor, the bounds ÷ the default). */
  bounds: { min?: number; max?: number };
  unit: string;
  /** The grade the band comes from (grade inputs). */
  grade?: string;
  /** The default's value (grade inputs with one number), in `unit`. */
  defaultValue?: number | null;
  /** The distribution in words. */
  text: string;
}

/** A listed default that gets no band, and why. */
export interface UnbandedDefault {
  cluster: number;
  field: string;
  grade: string;
  why: string;
}

/** Options of a Monte Carlo run's sampling. */
export interface SamplingOptions {
  samples: number;
  seed: number;
  /** Latin hypercube (default) or plain random sampling. */
  method?: 'lhs' | 'random';
  /** Band every default the run used by its grade. */
  grades?: boolean;
  /** Rank correlations between inputs, by their keys (Iman–Conover). */
  correlations?: Array<{ a: string; b: string; rho: number }>;
}

/** Most samples of one Monte Carlo run. */
export const MAX_SAMPLES = 10_000;

/** The path of a field within a cluster without its list positions (`buildout[2].racks` → `buildout[].racks`). */
const rowPath = (field: string) => field.replace(/\[\d+\]/g, '[]');

/** Every distribution in an object, by its path (`tariff.energyPriceCnyPerKwh`, `buildout[0].racks`). */
function distributionsIn(obj: unknown, prefix: string, out: Array<[string, unknown]>): void {
  if (isDistributionInput(obj)) {
    out.push([prefix, obj]);
    return;
  }
  if (Array.isArray(obj))
    obj.forEach((v, i) => {
      distributionsIn(v, `${prefix}[${i}]`, out);
    });
  else if (obj && typeof obj === 'object')
    for (const [k, v] of Object.entries(obj)) distributionsIn(v, prefix ? `${prefix}.${k}` : k, out);
}

/**
 * The distributions a scenario writes, one input per place written: a cluster's own, or the
 * `defaults`' (shared by the clusters that take that top-level field from `defaults`). `raw` is the
 * scenario as written (to tell a cluster's own fields from the defaults merged in).
 */
export function scenarioInputs(scenario: Scenario, raw: unknown): UncertainInput[] {
  const rawClusters = ((raw as { clusters?: unknown[] } | null)?.clusters ?? []) as Array<
    Record<string, unknown>
  >;
  const byKey = new Map<string, UncertainInput>();
  scenario.clusters.forEach((c, i) => {
    const found: Array<[string, unknown]> = [];
    distributionsIn(c, '', found);
    for (const [field, input] of found) {
      const top = field.split(/[.[]/)[0];
      const own = rawClusters[i] && Object.hasOwn(rawClusters[i], top);
      const key = own ? `clusters[${i}].${field}` : `defaults.${field}`;
      const prev = byKey.get(key);
      if (prev) {
        prev.clusters.push(i);
        continue;
      }
      const row = clusterField(rowPath(field));
      const dist = fieldDistribution(
        input as never,
        row,
        own ? `clusters[${i}].${field}` : `defaults.${field}`,
      );
      const unit = row.unit === 'rack' ? '' : (row.unit ?? '');
      byKey.set(key, {
        key,
        label: row.label,
        kind: 'scenario',
        field,
        clusters: [i],
        dist,
        bounds: { min: row.min, max: row.max },
        unit,
        text: describeDistribution(dist, unit),
      });
    }
  });
  return [...byKey.values()];
}

/**
 * The grade bands of a plain run's defaults (`--grades`): every default each cluster listed that a
 * factor can move (`PreparedCluster.uncertain`) with a band for its grade — one input per figure
 * (field, value, source) — and the listed defaults that get none, with the reason.
 */
export function gradeInputs(run: PreparedRun): { inputs: UncertainInput[]; unbanded: UnbandedDefault[] } {
  const byFigure = new Map<string, UncertainInput>();
  const unbanded: UnbandedDefault[] = [];
  for (const pc of run.clusters) {
    const movable = new Map(pc.uncertain.map((u) => [u.field, u]));
    for (const a of pc.assumptions) {
      if (a.grade === 'input') continue; // the scenario's own (a distribution's median): not a default
      const u = movable.get(a.field);
      const why = !u
        ? typeof a.value === 'number' && a.value === 0
          ? 'the default is 0 (not modelled unless given): a band around 0 is 0'
          : typeof a.value === 'number'
            ? 'a convention, a design choice or a whole number (a count, a switch, a year)'
            : 'not a number (a choice, an id or a text)'
        : gradeFactor(u.grade)
          ? null
          : `no band for grade "${u.grade}"`;
      if (why || !u) {
        unbanded.push({ cluster: pc.index, field: a.field, grade: a.grade, why: why ?? '' });
        continue;
      }
      const figure = `${u.field}|${a.value}|${a.source}`;
      const prev = byFigure.get(figure);
      if (prev) {
        prev.clusters.push(pc.index);
        continue;
      }
      const dist = gradeFactor(u.grade) as Distribution;
      const b = u.bounds;
      // A factor on one number keeps the value inside the field's bounds: truncated there.
      const bounds =
        u.value !== null && u.value > 0
          ? {
              min: b.min !== undefined ? Math.max(0, b.min / u.value) : 0,
              max: b.max !== undefined ? b.max / u.value : undefined,
            }
          : { min: 0 };
      const unit = typeof a.unit === 'string' ? a.unit : '';
      byFigure.set(figure, {
        key: `grade:${u.field}@${pc.index}`,
        label: u.field,
        kind: 'grade',
        field: u.field,
        clusters: [pc.index],
        dist,
        bounds,
        unit,
        grade: u.grade,
        defaultValue: u.value,
        text: `× triangular ${1 - GRADE_BANDS[u.grade as keyof typeof GRADE_BANDS].band}–${1 + GRADE_BANDS[u.grade as keyof typeof GRADE_BANDS].band} (grade ${u.grade}) on ${typeof a.value === 'number' ? `${a.value}${unit ? ` ${unit}` : ''}` : a.value}`,
      });
    }
  }
  // Keys name every cluster a shared figure applies to.
  const inputs = [...byFigure.values()].map((x) => ({
    ...x,
    key: `grade:${x.field}@${x.clusters.join(',')}`,
  }));
  return { inputs, unbanded };
}

/**
 * The sampling plan: n × k uniform numbers (column-major: u[j·n + i]), Latin hypercube or random,
 * reordered to the given rank correlations. Throws for a bad option with the option named.
 */
export function samplingPlan(inputs: UncertainInput[], o: SamplingOptions): Float64Array {
  const n = o.samples;
  const k = inputs.length;
  if (!(Number.isInteger(n) && n >= 2 && n <= MAX_SAMPLES))
    throw new ValidationError([{ path: 'samples', message: `must be a whole number 2–${MAX_SAMPLES}` }]);
  if (!(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff))
    throw new ValidationError([{ path: 'seed', message: 'must be a whole number 0–4294967295' }]);
  const r = rng(o.seed);
  const u = (o.method ?? 'lhs') === 'lhs' ? latinHypercube(n, k, r) : randomUniforms(n, k, r);
  const corr = o.correlations ?? [];
  if (corr.length) {
    const target = new Float64Array(k * k);
    for (let j = 0; j < k; j++) target[j * k + j] = 1;
    const errors: Array<{ path: string; message: string }> = [];
    corr.forEach((c, i) => {
      const a = inputs.findIndex((x) => x.key === c.a);
      const b = inputs.findIndex((x) => x.key === c.b);
      if (a < 0) errors.push({ path: `correlations[${i}].a`, message: `no uncertain input "${c.a}"` });
      if (b < 0) errors.push({ path: `correlations[${i}].b`, message: `no uncertain input "${c.b}"` });
      if (a >= 0 && a === b) errors.push({ path: `correlations[${i}].b`, message: 'must differ from a' });
      if (!(c.rho > -1 && c.rho < 1))
        errors.push({ path: `correlations[${i}].rho`, message: 'must be > −1 and < 1' });
      if (a >= 0 && b >= 0 && a !== b) {
        target[a * k + b] = c.rho;
        target[b * k + a] = c.rho;
      }
    });
    if (errors.length) throw new ValidationError(errors);
    try {
      imanConover(u, n, k, target);
    } catch (e) {
      throw new ValidationError([
        { path: 'correlations', message: (e as Error).message.replace(/^correlation: /, '') },
      ]);
    }
  }
  return u;
}

/** The value (or factor) an input takes at u. */
export function inputValue(x: UncertainInput, u: number): number {
  return quantile(x.dist, u, x.bounds);
}

/**
 * A sample's values for the preparation: each input's value at its u, under the path of every
 * cluster it applies to (`clusters[i].<field>`), as a distribution's value or a default's factor.
 */
export function sampleValues(inputs: UncertainInput[], us: ArrayLike<number>): SampleValues {
  const values: Record<string, number> = {};
  const factors: Record<string, number> = {};
  inputs.forEach((x, j) => {
    const v = inputValue(x, us[j]);
    for (const c of x.clusters) (x.kind === 'scenario' ? values : factors)[`clusters[${c}].${x.field}`] = v;
  });
  return { values, factors };
}

/** The u of every input in sample i of a column-major plan. */
export function planRow(u: Float64Array, n: number, k: number, i: number): Float64Array {
  const row = new Float64Array(k);
  for (let j = 0; j < k; j++) row[j] = u[j * n + i];
  return row;
}

export type { Bounds };
