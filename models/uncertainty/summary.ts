import { mean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { rankCorrelation } from '../sampling.ts';
import type { MetricLayout } from './evaluate.ts';
import type { UncertainInput } from './plan.ts';

/**
 * A Monte Carlo run's numbers summed up (issue 22, points 3–4): P10, P50, P90 (simple-statistics'
 * `quantileSorted`: linear between the sorted values at h = (n − 1)·p, Hyndman & Fan's type 7),
 * mean and sample standard deviation of every metric; the probability that each target is met; for
 * several clusters the probability of each cost rank; and the inputs ranked by the rank correlation
 * of their draws with a chosen output.
 */

/** The spread of one metric over the samples that have it. */
export interface Spread {
  p10: number;
  p50: number;
  p90: number;
  mean: number;
  sd: number;
  /** Samples with a value (fewer than all where a year has no value, e.g. PUE without IT load). */
  n: number;
}

/** A cluster's spread of metrics, target probabilities and cost ranks. */
export interface ClusterSpread {
  index: number;
  clusterId: string;
  name: string;
  annual: Record<string, Spread | null>;
  finance: Record<string, Spread | null>;
  targets: Array<{
    id: string;
    label: string;
    /** Probability it is met in every year it is checked. */
    probabilityMet: number | null;
    byYear: Array<{ year: number; probabilityMet: number | null }>;
  }>;
  /** Probability of each cost rank (index 0 = cheapest per rack-year), several clusters only. */
  costRank: number[] | null;
}

/** The spread of one column of the samples (NaN left out), or null when no sample has it. */
export function spreadOf(values: ArrayLike<number>): Spread | null {
  const v = Array.from(values).filter((x) => Number.isFinite(x));
  if (v.length === 0) return null;
  v.sort((a, b) => a - b);
  return {
    p10: quantileSorted(v, 0.1),
    p50: quantileSorted(v, 0.5),
    p90: quantileSorted(v, 0.9),
    mean: mean(v),
    sd: v.length > 1 ? sampleStandardDeviation(v) : 0,
    n: v.length,
  };
}

/** Column `at` of the samples (rows of `width` numbers). */
export function column(rows: Float64Array, width: number, at: number): Float64Array {
  const n = rows.length / width;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rows[i * width + at];
  return out;
}

/** Share of samples in which a 0/1 column is 1 (NaN left out), or null. */
function probability(values: ArrayLike<number>): number | null {
  let yes = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    n++;
    if (values[i] === 1) yes++;
  }
  return n ? yes / n : null;
}

/** Every cluster's spreads from the samples' rows. */
export function summarise(layout: MetricLayout, rows: Float64Array): ClusterSpread[] {
  const w = layout.width;
  const n = rows.length / w;
  return layout.clusters.map((lc) => {
    const annual = Object.fromEntries(lc.annual.map((m) => [m.key, spreadOf(column(rows, w, m.at))]));
    const finance = Object.fromEntries(lc.finance.map((m) => [m.key, spreadOf(column(rows, w, m.at))]));
    const ids = [...new Set(lc.targets.map((t) => t.id))];
    const targets = ids.map((id) => {
      const checks = lc.targets.filter((t) => t.id === id);
      // Met in every checked year: all of the sample's checks 1; NaN when none checkable.
      const all = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let seen = false;
        let ok = 1;
        for (const t of checks) {
          const v = rows[i * w + t.at];
          if (Number.isNaN(v)) continue;
          seen = true;
          if (v !== 1) ok = 0;
        }
        all[i] = seen ? ok : Number.NaN;
      }
      return {
        id,
        label: checks[0].label,
        probabilityMet: probability(all),
        byYear: checks.map((t) => ({ year: t.year, probabilityMet: probability(column(rows, w, t.at)) })),
      };
    });
    let costRank: number[] | null = null;
    if (lc.rankAt >= 0) {
      const k = layout.clusters.length;
      const counts = new Array<number>(k).fill(0);
      let m = 0;
      for (let i = 0; i < n; i++) {
        const r = rows[i * w + lc.rankAt];
        if (Number.isNaN(r)) continue;
        m++;
        counts[r - 1]++;
      }
      costRank = counts.map((c) => (m ? c / m : 0));
    }
    return { index: lc.index, clusterId: lc.clusterId, name: lc.name, annual, finance, targets, costRank };
  });
}

/** Where an output metric sits in a layout: `npvCny` (finance) or `pue` (annual) of a cluster. */
export function outputAt(layout: MetricLayout, cluster: number, key: string): number {
  const lc = layout.clusters[cluster];
  if (!lc) throw new Error(`output: no cluster ${cluster}`);
  const m = lc.finance.find((x) => x.key === key) ?? lc.annual.find((x) => x.key === key);
  if (!m)
    throw new Error(
      `output: unknown metric "${key}" (known: ${[...lc.finance, ...lc.annual].map((x) => x.key).join(', ')})`,
    );
  return m.at;
}

/**
 * The inputs ranked by the rank correlation of their drawn u (the same ranks as their values: the
 * quantile function is monotone) with an output over the samples that have it; strongest first.
 *
 * @example
 * rankInputs(inputs, u, n, outputColumn) // → [{ key: 'defaults.occupancy', rho: −0.93 }, …]
 */
export function rankInputs(
  inputs: UncertainInput[],
  u: Float64Array,
  n: number,
  output: Float64Array,
): Array<{ key: string; label: string; rho: number }> {
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(output[i])) keep.push(i);
  const out = keep.map((i) => output[i]);
  return inputs
    .map((x, j) => ({
      key: x.key,
      label: x.label,
      rho: rankCorrelation(
        keep.map((i) => u[j * n + i]),
        out,
      ),
    }))
    .sort((a, b) => Math.abs(b.rho) - Math.abs(a.rho));
}
