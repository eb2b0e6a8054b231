import { prepareRun } from '../prepare/cluster.ts';
import type { SampleValues } from '../prepare/resolve.ts';
import type { PrepareOptions } from '../prepare/types.ts';
import type { EngineReference } from '../reference.ts';
import { ANNUAL_FIELDS, type ClusterResult, type RunResult } from '../result.ts';
import type { Scenario } from '../scenario.ts';
import { type RunOptions, simulate } from '../simulate.ts';

/**
 * What a Monte Carlo sample keeps of its run (issue 22, point 3): per cluster, every annual metric over
 * the simulated years — summed where its unit is an amount (MWh, CNY, tCO2, m³, h, cycles), else the
 * mean of the years that have it (PUE, shares, prices, kW) — every finance number, whether each
 * target is met in each year it is checked, and the cluster's cost rank among the run's clusters. A
 * sample is one row of numbers in the order of a `MetricLayout`, NaN where the run has no value.
 */

/** Units of annual metrics that add up over the years; the others are averaged. */
export const SUMMED_UNITS = new Set(['MWh', 'CNY', 'tCO2', 'm³', 'h', 'cycles']);

/** Where each number of a sample's row comes from. */
export interface MetricLayout {
  clusters: Array<{
    index: number;
    clusterId: string;
    name: string;
    /** Annual metrics: result field name → position in the row; and how the years combine. */
    annual: Array<{ key: string; at: number; over: 'sum' | 'mean'; unit: string }>;
    finance: Array<{ key: string; at: number; unit: string }>;
    /** Target checks (id, year) → position (1 met, 0 missed, NaN not checkable). */
    targets: Array<{ id: string; label: string; year: number; at: number }>;
    /** Position of the cluster's cost rank (1 = cheapest per rack-year), or −1 with one cluster. */
    rankAt: number;
  }>;
  width: number;
}

/** The layout of a run's numbers, from a plain run's result (its clusters, targets and fields). */
export function metricLayout(result: RunResult): MetricLayout {
  let at = 0;
  const multi = result.clusters.length > 1;
  const clusters = result.clusters.map((c, index) => {
    const annual = Object.entries(ANNUAL_FIELDS)
      .filter(([k]) => k !== 'year')
      .map(([key, f]) => ({
        key,
        at: at++,
        over: SUMMED_UNITS.has(f.unit) ? ('sum' as const) : ('mean' as const),
        unit: f.unit,
      }));
    const finance = Object.entries(c.finance)
      .filter(([, v]) => typeof v === 'number' || v === null)
      .map(([key]) => ({ key, at: at++, unit: '' }));
    const targets = c.targets.map((t) => ({ id: t.id, label: t.label, year: t.year, at: at++ }));
    return {
      index,
      clusterId: c.clusterId,
      name: c.name,
      annual,
      finance,
      targets,
      rankAt: multi ? at++ : -1,
    };
  });
  return { clusters, width: at };
}

/** A run's numbers into `out` (length `layout.width`) in the layout's order. */
export function metricsOf(result: RunResult, layout: MetricLayout, out: Float64Array): void {
  out.fill(Number.NaN);
  // Cost rank as the comparison ranks it (models/compare.ts): cheapest per occupied rack-year first;
  // 1 + the clusters strictly cheaper (ties share a rank); none without a cost.
  const costs = result.clusters.map((c) => c.finance.costPerRackYearCny);
  layout.clusters.forEach((lc, i) => {
    const c: ClusterResult | undefined = result.clusters[i];
    if (!c) return;
    for (const m of lc.annual) {
      let s = 0;
      let n = 0;
      for (const a of c.annual) {
        const v = (a as Record<string, unknown>)[m.key];
        if (typeof v === 'number' && Number.isFinite(v)) {
          s += v;
          n++;
        }
      }
      out[m.at] = n === 0 ? Number.NaN : m.over === 'sum' ? s : s / n;
    }
    const fin = c.finance as unknown as Record<string, unknown>;
    for (const m of lc.finance) {
      const v = fin[m.key];
      out[m.at] = typeof v === 'number' ? v : Number.NaN;
    }
    for (const t of lc.targets) {
      const check = c.targets.find((x) => x.id === t.id && x.year === t.year);
      out[t.at] = check?.met === true ? 1 : check?.met === false ? 0 : Number.NaN;
    }
    const own = costs[i];
    if (lc.rankAt >= 0 && own !== null && Number.isFinite(own))
      out[lc.rankAt] = 1 + costs.filter((x) => x !== null && x < own).length;
  });
}

/** What evaluating samples needs besides the sample: the reference, options of the preparation and run. */
export interface EvaluateOptions extends Pick<PrepareOptions, 'weather'>, Pick<RunOptions, 'cache' | 'lp'> {}

/**
 * One sample's run: the scenario prepared with the sample's values and factors, simulated, its
 * numbers written into `out`. A sample whose values the engine refuses (a drawn value outside a rule
 * the draw cannot see) or that gives non-finite numbers leaves NaN and returns the reason.
 */
export function evaluateSample(
  scenario: Scenario,
  ref: EngineReference,
  sample: SampleValues,
  layout: MetricLayout,
  out: Float64Array,
  opts: EvaluateOptions = {},
): string | null {
  try {
    const run = prepareRun(scenario, ref, { weather: opts.weather, cache: opts.cache, sample });
    const { hourly: _h, ...result } = simulate(run, ref, { cache: opts.cache, lp: opts.lp });
    metricsOf(result, layout, out);
    return null;
  } catch (e) {
    out.fill(Number.NaN);
    return (e as Error).message;
  }
}
