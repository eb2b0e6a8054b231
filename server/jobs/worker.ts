import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread, type MessagePort, workerData } from 'node:worker_threads';
import { csvFormat } from 'd3-dsv';
import type { ClimateYear } from '../../models/climate.ts';
import { type LpSolver, loadLpSolver } from '../../models/lp.ts';
import { type CheckRequest, runCheck } from '../../models/operator/check.ts';
import type { AnnualRow, ClusterResult } from '../../models/result.ts';
import { parseScenario, ValidationError } from '../../models/scenario.ts';
import { checkScenario, engineCache, prepareRun, simulateClusters } from '../../models/simulate.ts';
import { type MonteCarloOptions, monteCarlo } from '../../models/uncertainty/montecarlo.ts';
import { engineReference } from '../../seeds/index.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
import { useClimateCache } from '../climate-cache.ts';
import { type CompareInput, compareRuns } from '../compare-rows.ts';
import { firstNonFinite } from '../finite.ts';
import { HOURLY_CHECK_KEYS, hourlyCsv } from '../hourly.ts';
import { RESULT_FORMS, resultForms } from '../result-forms.ts';
import { runScenario } from '../run.ts';
import { type SizeOptions, sizeReport } from '../sizing.ts';

/**
 * Pool → worker: a run, some clusters of a run, a full validation, one cluster-year's hourly export,
 * or a comparison of stored runs.
 */
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
      /** The run's scenario and user clusters as stored (JSON text: parsed here, not on the event loop). */
      scenarioJson: string;
      userClustersJson: string;
      /** Position of the cluster in the scenario, its id, and the year wanted. */
      index: number;
      clusterId: string;
      year: number;
      /** The run's stored annual row of that cluster-year: the export must reproduce it. */
      expect: Pick<AnnualRow, (typeof HOURLY_CHECK_KEYS)[number]>;
    }
  | {
      type: 'check';
      /** The meter file as CSV text (a JSON body's rows are written as CSV in the worker). */
      csv?: string;
      rows?: Array<Record<string, unknown>>;
      request: CheckRequest;
      extraClusters: ClusterSeed[];
    }
  | {
      type: 'compare';
      /** Each run's id and its stored comparison input (UTF-8 JSON, `CompareInput`). */
      runs: Array<{ runId: string; input: Uint8Array }>;
    }
  | {
      /** A Monte Carlo study: the report of `dcplan montecarlo --format json` (UTF-8 JSON). */
      type: 'montecarlo';
      scenario: unknown;
      extraClusters: ClusterSeed[];
      options: Pick<
        MonteCarloOptions,
        'samples' | 'seed' | 'method' | 'grades' | 'correlations' | 'output' | 'cluster' | 'tornado'
      >;
    }
  | {
      /** A sizing study: the report of `dcplan size --format json` (UTF-8 JSON). */
      type: 'size';
      scenario: unknown;
      extraClusters: ClusterSeed[];
      options: Omit<SizeOptions, 'weather'>;
    };
/** A job as the worker gets it: the request and the port its progress and answer go back on. */
export type JobTask = JobRequest & { port: MessagePort };
/** Worker → pool, on the job's port: progress, the answer, or an error (field errors for invalid input). */
export type JobReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: unknown }
  | { type: 'error'; message: string; fieldErrors?: Array<{ path: string; message: string }> };

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

const utf8 = new TextEncoder();

/** HiGHS, loaded once per worker when a study or a scenario needs it. */
let highs: Promise<LpSolver> | null = null;
const lpSolver = () => {
  highs ??= loadLpSolver();
  return highs;
};

/** A progress callback posting at most ~50 messages a job. */
function progressTo(port: MessagePort): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    if (done === total || done - last >= Math.max(1, Math.floor(total / 50))) {
      last = done;
      port.postMessage({ type: 'progress', done, total } satisfies JobReply);
    }
  };
}

/** A Monte Carlo or sizing study (issue 22, point 7): its report as UTF-8 JSON. */
async function study(msg: Extract<JobTask, { type: 'montecarlo' | 'size' }>): Promise<Uint8Array> {
  const ref = reference(msg.extraClusters);
  const onProgress = progressTo(msg.port);
  if (msg.type === 'size') {
    const report = sizeReport(msg.scenario, ref, msg.options, await lpSolver(), onProgress);
    return utf8.encode(JSON.stringify(report));
  }
  const lp = JSON.stringify(msg.scenario).includes('"optimal"') ? await lpSolver() : undefined;
  const report = monteCarlo(msg.scenario, ref, { ...msg.options, cache, lp, onProgress });
  return utf8.encode(JSON.stringify(report));
}
const text = new TextDecoder();

function hourly(msg: Extract<JobRequest, { type: 'hourly' }>): HourlyOutput {
  // Re-simulate this one cluster from the first year up to the requested one (a battery's state of
  // charge and fade carry across years), keeping only that year's hours.
  const s = parseScenario(JSON.parse(msg.scenarioJson));
  const extra = (JSON.parse(msg.userClustersJson) as ClusterSeed[]).filter((c) => c.id === msg.clusterId);
  const one = runScenario(
    { ...s, years: msg.year - s.startYear + 1, clusters: [s.clusters[msg.index]] },
    reference(extra),
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

/** Answer of a 'check' job: the stored form of the check, or the meter file's defects. */
export type CheckOutput =
  | { ok: true; json: Uint8Array; summary: CheckSummary }
  | { ok: false; defects: Array<{ path: string; message: string }>; total: number };
/** What the check list shows and stores in columns. */
export interface CheckSummary {
  periodStart: string;
  periodEnd: string;
  coverageShare: number;
  pue: number | null;
  gb40879Grade: number | null;
}

function check(msg: Extract<JobRequest, { type: 'check' }>): CheckOutput {
  // A JSON body's rows become the CSV the CLI reads (header: the union of the rows' keys, timestamp
  // first), so both go through one reader and one set of rules; a defect's line then names a row.
  let csv = msg.csv ?? '';
  if (msg.rows) {
    const keys = [...new Set(msg.rows.flatMap((r) => Object.keys(r)))];
    const cols = ['timestamp', ...keys.filter((k) => k !== 'timestamp')];
    csv = csvFormat(
      msg.rows.map((r) =>
        Object.fromEntries(
          cols.map((c) => [c, r[c] === null || r[c] === undefined ? '' : String(r[c] as string | number)]),
        ),
      ),
      cols,
    );
  }
  const r = runCheck(csv, msg.request, reference(msg.extraClusters));
  if (!r.ok) {
    const where = (line: number, column: string | null) =>
      msg.rows
        ? line <= 1
          ? `rows${column ? `[*].${column}` : ''}`
          : `rows[${line - 2}]${column ? `.${column}` : ''}`
        : `line ${line}${column ? ` [${column}]` : ''}`;
    return {
      ok: false,
      defects: r.refusal.defects.map((d) => ({ path: where(d.line, d.column), message: d.message })),
      total: r.refusal.total,
    };
  }
  const c = r.result;
  return {
    ok: true,
    json: utf8.encode(JSON.stringify(c)),
    summary: {
      periodStart: c.coverage.start,
      periodEnd: c.coverage.end,
      coverageShare: c.coverage.share,
      pue: c.pue,
      gb40879Grade: c.gb40879Grade,
    },
  };
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
    const { name, startYear, years, clusters } = scenario;
    return { result: { name, startYear, years, clusters: clusters.length }, transfer: [] };
  }
  if (msg.type === 'hourly') return { result: hourly(msg), transfer: [] };
  if (msg.type === 'compare') {
    const runs = msg.runs.map((r) => ({
      runId: r.runId,
      input: JSON.parse(text.decode(r.input)) as CompareInput,
    }));
    const out = utf8.encode(JSON.stringify(compareRuns(runs)));
    return { result: out, transfer: [out.buffer as ArrayBuffer] };
  }
  if (msg.type === 'check') {
    const out = check(msg);
    return { result: out, transfer: out.ok ? [out.json.buffer as ArrayBuffer] : [] };
  }
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
  const out = resultForms(r);
  return { result: out, transfer: RESULT_FORMS.map((f) => out.bytes[f].buffer as ArrayBuffer) };
}

/**
 * The pool's task (piscina calls the default export): do the job and post its answer — or its error,
 * with field errors for invalid input — on the job's port before returning.
 */
export default function job(msg: JobTask): void | Promise<void> {
  if (msg.type === 'montecarlo' || msg.type === 'size')
    return study(msg).then(
      (out) =>
        msg.port.postMessage({ type: 'done', result: out } satisfies JobReply, [out.buffer as ArrayBuffer]),
      (e: Error) =>
        msg.port.postMessage({
          type: 'error',
          message: e.message,
          fieldErrors: e instanceof ValidationError ? e.errors : undefined,
        } satisfies JobReply),
    );
  try {
    const { result, transfer } = answer(msg);
    msg.port.postMessage({ type: 'done', result } satisfies JobReply, transfer);
  } catch (e) {
    const fieldErrors = e instanceof ValidationError ? e.errors : undefined;
    msg.port.postMessage({ type: 'error', message: (e as Error).message, fieldErrors } satisfies JobReply);
  }
}
