import { availableParallelism } from 'node:os';
import type { ClimateYear } from '../models/climate.ts';
import type { ClusterResult, RunResult } from '../models/result.ts';
import { parseScenario, ValidationError } from '../models/scenario.ts';
import { runResult } from '../models/simulate.ts';
import type { ClusterSeed } from '../seeds/schema.ts';
import { firstNonFinite } from './finite.ts';
import { JobError, WorkerPool } from './jobs/pool.ts';

/**
 * Speed from parallelism (issue 19): the clusters of a scenario are independent until the comparison,
 * so groups of them can be simulated on workers of their own (a piscina pool, server/jobs/pool.ts)
 * and the results put together in scenario order (`runResult`). The result is the same, to the last
 * bit, as one thread's (`runScenario`; tested). Workers keep their own engine cache from job to job.
 */

/** Threads for a pool: the machine's cores (at least 1). */
export const defaultThreads = (): number => Math.max(1, availableParallelism());

/** A pool of engine workers for a command-line run (at normal priority: the caller waits); close it when done. */
export function enginePool(threads = defaultThreads()): WorkerPool {
  return new WorkerPool(threads, undefined, { lowPriority: false });
}

/** Positions 0 … n − 1 in `groups` contiguous groups of near-equal size (none empty). */
export function clusterGroups(n: number, groups: number): number[][] {
  const g = Math.max(1, Math.min(n, groups));
  return Array.from({ length: g }, (_, k) => {
    const from = Math.floor((k * n) / g);
    const to = Math.floor(((k + 1) * n) / g);
    return Array.from({ length: to - from }, (_, i) => from + i);
  });
}

/**
 * Simulate a scenario on a worker pool — its clusters in `groups` contiguous groups, one job each
 * (default: as many as the pool has threads; 1 runs the whole scenario as one job, which is what many
 * runs in flight want) — and assemble the result. Each job parses the scenario and prepares only its
 * clusters. Invalid input throws `ValidationError` (the first failing group's field errors, as
 * `runScenario` would); a non-finite number in the result throws as in `runScenario`.
 */
export async function runScenarioOnPool(
  input: unknown,
  pool: WorkerPool,
  opts: {
    extraClusters?: ClusterSeed[];
    weather?: Record<string, ClimateYear>;
    onProgress?: (done: number, total: number) => void;
    groups?: number;
  } = {},
): Promise<RunResult> {
  const scenario = parseScenario(input); // schema errors here, before any job
  const total = scenario.clusters.length * scenario.years;
  const groups = clusterGroups(scenario.clusters.length, opts.groups ?? pool.size);
  const doneBy = new Array<number>(groups.length).fill(0);
  const jobs = groups.map((indices, k) =>
    pool.submit<ClusterResult[]>(
      `clusters-${indices[0]}-${Math.random().toString(36).slice(2)}`,
      {
        type: 'clusters',
        scenario: input,
        extraClusters: opts.extraClusters ?? [],
        indices,
        weather: opts.weather,
      },
      {
        onProgress: (fraction) => {
          doneBy[k] = Math.round(fraction * indices.length * scenario.years);
          opts.onProgress?.(
            doneBy.reduce((a, b) => a + b, 0),
            total,
          );
        },
      },
    ),
  );
  // Every job settles before the answer, and the first group's failure is the one reported, as one
  // thread would report it.
  const settled = await Promise.allSettled(jobs);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    const e = failed.reason as Error;
    if (e instanceof JobError && e.fieldErrors?.length) throw new ValidationError(e.fieldErrors);
    throw e;
  }
  // Each worker checked its clusters for non-finite numbers; the comparison is checked here.
  const clusters = settled.flatMap((s) => (s as PromiseFulfilledResult<ClusterResult[]>).value);
  const result = runResult(scenario, clusters);
  const bad = firstNonFinite(result.comparison, 'comparison');
  if (bad)
    throw new Error(
      `the simulation produced a non-finite number at ${bad}; the inputs are outside what the engine can compute`,
    );
  return result;
}
