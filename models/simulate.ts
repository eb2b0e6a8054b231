import { HOURS_PER_YEAR } from './calendar.ts';
import { compareClusters } from './compare.ts';
import type { PreparedRun } from './prepare/types.ts';
import type { EngineReference, HourlySeries, RunOptions } from './reference.ts';
import type { RunResult } from './result.ts';
import { returnScratch, simulateCluster, takeScratch } from './stages/cluster.ts';

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
export const ENGINE_VERSION = '0.2.1';

export { prepareRun } from './prepare/cluster.ts';
export type { PreparedRun } from './prepare/types.ts';
export type {
  ClusterReference,
  EngineReference,
  HourlySeries,
  IncentiveReference,
  RunOptions,
  SourcedDefault,
  TargetReference,
  WorkloadShape,
} from './reference.ts';

/**
 * Simulate a prepared run: every cluster hour by hour for every year (8,760 h each).
 * Pure: the same prepared run gives the same result.
 */
export function simulate(
  run: PreparedRun,
  ref: EngineReference,
  opts: RunOptions = {},
): RunResult & { hourly: HourlySeries[] } {
  const total = run.clusters.length * run.years.length;
  let done = 0;
  const progress = () => {
    done++;
    opts.onProgress?.(done, total);
  };
  const hourly: HourlySeries[] = [];
  const scratch = takeScratch(); // buffers and server power series shared by the run's clusters
  const clusters = run.clusters.map((pc) =>
    simulateCluster(pc, run.years, ref, opts, progress, hourly, scratch),
  );
  returnScratch(scratch);
  return {
    scenario: { name: run.scenario.name, startYear: run.scenario.startYear, years: run.scenario.years },
    engine: { version: ENGINE_VERSION, clusterHours: total * HOURS_PER_YEAR },
    clusters,
    comparison: compareClusters(clusters),
    hourly,
  };
}
