import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread, type MessagePort, workerData } from 'node:worker_threads';
import type { ClimateYear } from '../../models/climate.ts';
import type { AnnualRow, ClusterResult, RunResult } from '../../models/result.ts';
import { parseScenario, ValidationError } from '../../models/scenario.ts';
import { checkScenario, engineCache, prepareRun, simulateClusters } from '../../models/simulate.ts';
import { engineReference } from '../../seeds/index.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
import { useClimateCache } from '../climate-cache.ts';
import { compareInput } from '../compare-rows.ts';
import { firstNonFinite } from '../finite.ts';
import { HOURLY_CHECK_KEYS, hourlyCsv } from '../hourly.ts';
import { runScenario } from '../run.ts';

/** Pool → worker: a run, one cluster of a run, a full validation, or one cluster-year's hourly export. */
export type JobRequest =
  | { type: 'run'; scenario: unknown; extraClusters: ClusterSeed[] }
  | {
      type: 'clusters';
      scenario: unknown;
      extraClusters: ClusterSeed[];
      /** Positions of the clusters in the scenario to simulate. */
      indices: number[];
      /** Imported climates by cluster id (`--weather`). */
      weather?: Record<string, ClimateYear>;
    }
  | { type: 'validate'; scenario: unknown; extraClusters: ClusterSeed[] }
  | {
      type: 'hourly';
      scenario: unknown;
      extraClusters: ClusterSeed[];
      /** Position of the cluster in the scenario, and the year wanted. */
      index: number;
      year: number;
      /** The run's stored annual row of that cluster-year: the export must reproduce it. */
      expect: Pick<AnnualRow, (typeof HOURLY_CHECK_KEYS)[number]>;
    };
/** A job as the worker gets it: the request and the port its progress and answer go back on. */
export type JobTask = JobRequest & { port: MessagePort };
/** Worker → pool, on the job's port: progress, the answer, or an error (field errors for invalid input). */
export type JobReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: unknown }
  | { type: 'error'; message: string; fieldErrors?: Array<{ path: string; message: string }> };

/**
 * A finished run, serialised here (off the main thread) once: the full result JSON, the summary JSON
 * (no monthly or hourly-profile blocks), what comparisons read (`CompareInput`), and per cluster its document and annual
 * rows for the database.
 */
export interface RunOutput {
  head: string;
  /** UTF-8 JSON, in buffers of their own (transferred to the main thread, not copied). */
  resultJson: Uint8Array;
  summaryJson: Uint8Array;
  compareJson: string;
  clusters: Array<{ clusterId: string; doc: string; annual: Array<{ year: number; doc: string }> }>;
}

/** Answer of a 'hourly' job: the CSV, or why it does not match the run's stored figures. */
export type HourlyOutput = { csv: string } | { mismatch: string };

// Build the seeded reference (climate years) once per worker; user clusters are added per job.
useClimateCache(); // a worker thread has its own module state: read dist/climates.bin here too
let base: ReturnType<typeof engineReference> | null = null;
const reference = (extra: ClusterSeed[]) => {
  base ??= engineReference();
  return extra.length ? engineReference({ extraClusters: extra }) : base;
};
/**
 * This worker's engine cache (models/engine-cache.ts): climate-only and tariff series and the hourly
 * buffers carry from one job to the next. Reference objects are never edited, so it is never dropped;
 * its bounds are the cache's own.
 */
const cache = engineCache();

/** The result without the blocks a summary leaves out (monthly rows, hourly green profile). */
export function summaryOf(result: RunResult): RunResult {
  return {
    ...result,
    clusters: result.clusters.map(({ monthly: _m, greenProfile: _g, ...c }) => c),
  } as unknown as RunResult;
}

const utf8 = new TextEncoder();

function serialise(result: RunResult): RunOutput {
  return {
    head: JSON.stringify({ scenario: result.scenario, engine: result.engine }),
    resultJson: utf8.encode(JSON.stringify(result)),
    summaryJson: utf8.encode(JSON.stringify(summaryOf(result))),
    compareJson: JSON.stringify(compareInput(result)),
    clusters: result.clusters.map(({ annual, ...rest }) => ({
      clusterId: rest.clusterId,
      doc: JSON.stringify(rest),
      annual: annual.map((a) => ({ year: a.year, doc: JSON.stringify(a) })),
    })),
  };
}

function hourly(msg: Extract<JobRequest, { type: 'hourly' }>): HourlyOutput {
  // Re-simulate this one cluster from the first year up to the requested one (a battery's state of
  // charge and fade carry across years), keeping only that year's hours.
  const s = parseScenario(msg.scenario);
  const one = runScenario(
    { ...s, years: msg.year - s.startYear + 1, clusters: [s.clusters[msg.index]] },
    reference(msg.extraClusters),
    { keepHourly: (_id, y) => y === msg.year, cache },
  );
  const row = one.clusters[0].annual.find((a) => a.year === msg.year)!;
  for (const k of HOURLY_CHECK_KEYS) {
    const want = msg.expect[k];
    const got = row[k];
    if (Math.abs(got - want) > 1e-6 * Math.max(1, Math.abs(want))) {
      return { mismatch: `${k} re-simulates to ${got}, the run stored ${want}` };
    }
  }
  return { csv: hourlyCsv(one.hourly[0]) };
}

/** Some clusters of a scenario, simulated apart from the others (server/parallel.ts puts them together). */
function someClusters(msg: Extract<JobTask, { type: 'clusters' }>): ClusterResult[] {
  const ref = reference(msg.extraClusters);
  const run = prepareRun(parseScenario(msg.scenario), ref, {
    weather: msg.weather,
    clusters: msg.indices,
    cache,
  });
  let last = 0;
  const total = run.years.length * run.clusters.length;
  const { clusters } = simulateClusters(run, ref, {
    cache,
    onProgress: (done) => {
      if (done === total || done - last >= Math.max(1, Math.floor(total / 20))) {
        last = done;
        msg.port.postMessage({ type: 'progress', done, total } satisfies JobReply);
      }
    },
  });
  // The non-finite check of runScenario, here in the worker: the thread that assembles does no walk.
  clusters.forEach((c) => {
    const bad = firstNonFinite(c, `clusters[${c.clusterId}]`);
    if (bad)
      throw new Error(
        `the simulation produced a non-finite number at ${bad}; the inputs are outside what the engine can compute`,
      );
  });
  return clusters;
}

// Simulations run at a lower CPU priority than the event loop (nice +10 for this thread only), so a
// machine saturated by runs still answers requests promptly. Linux names the thread's id through
// /proc/thread-self, and setpriority() on a thread id applies to that thread; elsewhere this is skipped.
if (!isMainThread && (workerData as { lowPriority?: boolean } | null)?.lowPriority !== false) {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {}
}

/** The answer of one job and the buffers to transfer with it. */
function answer(msg: JobTask): { result: unknown; transfer: ArrayBuffer[] } {
  if (msg.type === 'validate') {
    // every field error at once (issue 23): the schema's and the reference checks' together
    const { scenario } = checkScenario(msg.scenario, reference(msg.extraClusters));
    return { result: { name: scenario.name }, transfer: [] };
  }
  if (msg.type === 'hourly') return { result: hourly(msg), transfer: [] };
  if (msg.type === 'clusters') return { result: someClusters(msg), transfer: [] };
  let last = 0;
  const { hourly: _hourly, ...r } = runScenario(msg.scenario, reference(msg.extraClusters), {
    cache,
    onProgress: (done, total) => {
      // at most ~50 progress messages per run
      if (done === total || done - last >= Math.max(1, Math.floor(total / 50))) {
        last = done;
        msg.port.postMessage({ type: 'progress', done, total } satisfies JobReply);
      }
    },
  });
  const out = serialise(r);
  return {
    result: out,
    transfer: [out.resultJson.buffer as ArrayBuffer, out.summaryJson.buffer as ArrayBuffer],
  };
}

/**
 * The pool's task (piscina calls the default export): do the job and post its answer — or its error,
 * with field errors for invalid input — on the job's port before returning.
 */
export default function job(msg: JobTask): void {
  try {
    const { result, transfer } = answer(msg);
    msg.port.postMessage({ type: 'done', result } satisfies JobReply, transfer);
  } catch (e) {
    const fieldErrors = e instanceof ValidationError ? e.errors : undefined;
    msg.port.postMessage({ type: 'error', message: (e as Error).message, fieldErrors } satisfies JobReply);
  }
}
