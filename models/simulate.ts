import { HOURS_PER_YEAR } from './calendar.ts';
import { compareClusters } from './compare.ts';
import type { LpSolver } from './lp.ts';
import type { PreparedRun, PrepareOptions } from './prepare/types.ts';
import type { EngineReference } from './reference.ts';
import type { ClusterResult, RunResult } from './result.ts';
import type { Scenario } from './scenario.ts';
import { type HourlySeries, simulateCluster } from './stages/cluster.ts';

/**
 * The engine's entry points. A run is two steps:
 *   prepareRun (models/prepare/): check the scenario against the reference data and resolve every input
 *     for every year — defaults taken are listed as assumptions; a bad value fails here, before any work;
 *   simulate (models/stages/): every cluster, year by year, through the stages
 *     capacity → IT load → facility (cooling, electrical) → tariff → on-site supply and storage →
 *     contracts and grid → bill → carbon and network → targets → finance;
 *   then the cross-cluster comparison. docs/ARCHITECTURE.md draws the pipeline.
 */

/** Engine version written into every result; bump when a computed number changes (see CHANGELOG). */
export const ENGINE_VERSION = '0.3.0';

export { checkScenario, prepareRun } from './prepare/cluster.ts';

import { type EngineCache, engineCache, returnScratch, takeScratch } from './engine-cache.ts';

export { type EngineCache, engineCache } from './engine-cache.ts';
export type { PreparedRun } from './prepare/types.ts';
export type {
  ClusterReference,
  EngineReference,
  IncentiveReference,
  SourcedDefault,
  TargetReference,
  WorkloadShape,
} from './reference.ts';
export type { HourlySeries } from './stages/cluster.ts';

/** Options of a run. */
export interface RunOptions extends PrepareOptions {
  /** Called after each simulated cluster-year with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Keep the hourly series of these cluster-years in the result's `hourly` side channel. */
  keepHourly?: (clusterId: string, year: number) => boolean;
  /**
   * What to reuse across years, clusters and runs (`engineCache()`): a caller that runs many scenarios
   * against the same reference data (a server worker, the page's worker, a sweep) makes one and passes
   * it to every run; without it each run makes its own. It changes no number, only the work done.
   */
  cache?: EngineCache;
  /**
   * The linear-program solver (HiGHS: `loadLpSolver()`, models/lp.ts) a battery with `policy:
   * "optimal"` needs; loaded by the caller, as the engine loads nothing itself.
   */
  lp?: LpSolver;
}

/**
 * Simulate a prepared run: every cluster hour by hour for every year (8,760 h each).
 * Pure: the same prepared run gives the same result, with or without an engine cache
 * (`RunOptions.cache`, which only saves work).
 */
export function simulate(
  run: PreparedRun,
  ref: EngineReference,
  opts: RunOptions = {},
): RunResult & { hourly: HourlySeries[] } {
  const { clusters, hourly } = simulateClusters(run, ref, opts);
  return { ...runResult(run.scenario, clusters), hourly };
}

/**
 * The clusters of a prepared run simulated one after another (they share the run's buffers), with
 * the hourly series `keepHourly` asked for. A run prepared with only some of its clusters
 * (`prepareRun(…, { clusters: [i] })`) gives just those: a caller can simulate the clusters of one
 * scenario in parallel, on a worker each, and put them together with `runResult` — the same result
 * to the last bit, since no cluster reads another's.
 */
export function simulateClusters(
  run: PreparedRun,
  ref: EngineReference,
  opts: RunOptions = {},
): { clusters: ClusterResult[]; hourly: HourlySeries[] } {
  const total = run.clusters.length * run.years.length;
  let done = 0;
  const progress = () => {
    done++;
    opts.onProgress?.(done, total);
  };
  const hourly: HourlySeries[] = [];
  const cache = opts.cache ?? engineCache();
  const scratch = takeScratch(cache); // hourly buffers shared by the run's clusters
  const clusters = run.clusters.map((pc) =>
    simulateCluster(pc, run.years, ref, opts.keepHourly, progress, hourly, cache, scratch, opts.lp ?? null),
  );
  returnScratch(cache, scratch);
  return { clusters, hourly };
}

/** A run's result from its simulated clusters, in scenario order: the head, the engine, the comparison. */
export function runResult(scenario: Scenario, clusters: ClusterResult[]): RunResult {
  return {
    scenario: { name: scenario.name, startYear: scenario.startYear, years: scenario.years },
    engine: { version: ENGINE_VERSION, clusterHours: clusters.length * scenario.years * HOURS_PER_YEAR },
    clusters,
    comparison: compareClusters(clusters),
  };
}
