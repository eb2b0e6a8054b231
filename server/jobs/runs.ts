import { createHash, randomUUID } from 'node:crypto';
import { ValidationError } from '../../models/scenario.ts';
import { ENGINE_VERSION } from '../../models/simulate.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
import type { ClustersRepo, RunLife, RunRow, RunsRepo, StoredResult } from '../db/repositories.ts';
import { workBudgetProblem } from '../limits.ts';
import { badRequest, busy, validationProblem } from '../problem.ts';
import { CancelledError, JobError, QueueFullError, type WorkerPool } from './pool.ts';
import { ResultCache, type ResultView } from './result-cache.ts';

/**
 * JSON with object keys sorted (and undefined members dropped, as `JSON.stringify` does), so equal
 * inputs hash equally whatever their key order.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null], c: undefined }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A run as the API shows it (the result is added, as JSON text, by `body()` when the run is done). */
export interface RunView extends RunLife {
  cached: boolean;
  engineVersion: string;
  links: { self: string; summary: string; annualCsv: string; hourlyCsv: string };
}

/** What the service keeps bounded: the run queue, and the finished runs stored. */
export interface RunLimits {
  /** Runs waiting for a worker beyond which `POST /runs` answers 503 (default 100). */
  maxQueue: number;
  /** Finished runs kept; the oldest are deleted beyond it (default 1,000). */
  maxRuns: number;
  /** Bytes of stored results kept; the oldest runs are deleted beyond it (default 1 GiB). */
  maxBytes: number;
}

export const DEFAULT_LIMITS: RunLimits = { maxQueue: 100, maxRuns: 1000, maxBytes: 1024 * 1024 * 1024 };

/** Ids of the clusters a raw scenario names (each entry's `cluster`, else the defaults'); null if unreadable. */
function namedClusters(scenario: unknown): Set<string> | null {
  if (!scenario || typeof scenario !== 'object') return null;
  const s = scenario as { clusters?: unknown; defaults?: { cluster?: unknown } };
  if (!Array.isArray(s.clusters)) return null;
  const ids = new Set<string>();
  for (const c of s.clusters) {
    const id =
      c && typeof c === 'object' && 'cluster' in c
        ? (c as { cluster: unknown }).cluster
        : s.defaults?.cluster;
    if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

/** Resolve after `promise` settles or `ms` pass, whichever is first. */
async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  if (ms <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** A 400 from a job's field errors, else rethrow. */
function asProblem(e: unknown): never {
  if (e instanceof ValidationError) throw validationProblem(e);
  if (e instanceof JobError && e.fieldErrors?.length)
    throw validationProblem(new ValidationError(e.fieldErrors));
  throw e;
}

/** A run as the API shows it, with links to its result and exports. */
function runView(r: RunRow, cached = false): RunView {
  return {
    id: r.id,
    status: r.status,
    progress: r.progress,
    error: r.error,
    cached,
    scenarioId: r.scenarioId,
    scenarioVersion: r.scenarioVersion,
    engineVersion: r.engineVersion,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    queueMs: r.queueMs,
    durationMs: r.durationMs,
    links: {
      self: `/api/runs/${r.id}`,
      summary: `/api/runs/${r.id}?view=summary`,
      annualCsv: `/api/runs/${r.id}/annual.csv`,
      hourlyCsv: `/api/runs/${r.id}/hourly.csv?cluster={clusterId}&year={year}`,
    },
  };
}

/** What the run service is built on. */
export interface RunServiceDeps {
  runs: RunsRepo;
  clusters: ClustersRepo;
  /** Worker pool for runs. */
  pool: WorkerPool;
  /** Worker pool for short jobs: full validation and hourly exports. */
  tasks: WorkerPool;
  seedHash: string;
  limits?: Partial<RunLimits>;
  log: (msg: string) => void;
}

/**
 * Runs: reuse the stored (or in-flight) run when identical inputs ran before — content hash of the
 * scenario, the user clusters it references, the seed bundle and the engine version — otherwise
 * check the work bounds in the request (cheap), validate in full (schema too) on the task pool,
 * queue the run on the run pool (bounded: 503 beyond it) and write its result — serialised once, in
 * the worker — in one transaction when it finishes; then keep the stored runs within their bounds.
 */
export class RunService {
  readonly limits: RunLimits;
  private readonly pending = new Map<string, Promise<void>>();
  private readonly results: ResultCache;
  /** Mean compute time of recent runs (ms), for `Retry-After`. */
  private meanComputeMs = 1000;
  private stopping = false;

  constructor(private readonly deps: RunServiceDeps) {
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.results = new ResultCache(deps.runs);
  }

  /** A run as the API shows it (the result is added by `body()`). */
  view(r: RunRow, cached = false): RunView {
    return runView(r, cached);
  }

  /**
   * The response body of a run, in chunks to write in order: its view and, when done, `result` (the
   * DESIGN.md result JSON, or its summary), the stored bytes sent as they are.
   */
  body(r: RunRow, cached = false, v: ResultView = 'full'): Buffer[] {
    const head = JSON.stringify(runView(r, cached));
    const json = r.status === 'done' ? this.results.stored(r.id, v) : undefined;
    if (json === undefined) return [Buffer.from(head)];
    return [Buffer.from(`${head.slice(0, -1)},"result":`), json, Buffer.from('}')];
  }

  /**
   * Validate a scenario against the reference data (schema, cluster and tariff references, every
   * year's values): the work bounds here, the rest on the task pool. Resolves with its
   * name and the user clusters it references; rejects with a 400 (or 503 when the task queue is full).
   */
  async validate(scenario: unknown): Promise<{ name: string; extra: ClusterSeed[] }> {
    const over = workBudgetProblem(scenario);
    if (over) throw badRequest(`${over.path}: ${over.message}`);
    // Even the schema check (zod, linear in a body of up to 1 MiB) runs on the task pool.
    const extra = this.referencedClusters(scenario);
    let out: { name: string };
    try {
      out = await this.deps.tasks.submit(`validate-${randomUUID()}`, {
        type: 'validate',
        scenario,
        extraClusters: extra,
      });
    } catch (e) {
      if (e instanceof QueueFullError) throw busy('validation: too many requests are being validated', 1);
      asProblem(e);
    }
    return { name: out.name, extra };
  }

  /**
   * Start a run — or join the identical one that is done or in flight — and wait up to `waitMs` for
   * it. `created` is false when an identical run was reused. 503 when the run queue is full.
   */
  async start(
    scenario: unknown,
    source: { scenarioId: number | null; scenarioVersion: number | null },
    waitMs: number,
  ): Promise<{ created: boolean; run: RunRow }> {
    const { runs, seedHash } = this.deps;
    const inputsHash = createHash('sha256')
      .update(
        canonicalJson({
          scenario,
          userClusters: this.referencedClusters(scenario),
          engine: ENGINE_VERSION,
          seeds: seedHash,
        }),
      )
      .digest('hex');
    let hit = runs.reusableByHash(inputsHash);
    if (hit) return this.join(hit, waitMs);
    this.refuseWhenFull();
    const { extra } = await this.validate(scenario);
    // An identical run may have started while this one was being validated.
    hit = runs.reusableByHash(inputsHash);
    if (hit) return this.join(hit, waitMs);
    this.refuseWhenFull();

    const id = randomUUID();
    runs.create({
      id,
      inputsHash,
      ...source,
      scenario,
      userClusters: extra,
      engineVersion: ENGINE_VERSION,
      seedHash,
    });
    const done = this.launch(id, scenario, extra);
    this.pending.set(id, done);
    await waitAtMost(done, waitMs);
    return { created: true, run: runs.get(id)! };
  }

  /** Cancel a queued or running run; false if it already finished. */
  cancel(id: string): boolean {
    const r = this.deps.runs.get(id);
    if (!r || (r.status !== 'queued' && r.status !== 'running')) return false;
    this.deps.runs.cancel(id);
    this.deps.pool.cancel(id);
    return true;
  }

  /** Delete a finished run with its result; false when it is unknown or still in flight. */
  delete(id: string): boolean {
    this.results.forget(id);
    const ok = this.deps.runs.delete(id);
    if (ok) this.deps.runs.vacuum();
    return ok;
  }

  /** Wait for every run in flight (used in tests). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  /**
   * Shutdown: refuse new runs, cancel those still waiting, give running ones up to `graceMs` to
   * finish (their results are stored), then cancel the rest. Every run ends in a final status.
   */
  async shutdown(graceMs: number): Promise<void> {
    const { runs, pool } = this.deps;
    this.stopping = true;
    const why = 'cancelled: the server shut down before the run started';
    for (const id of pool.queuedIds()) {
      runs.cancel(id, why);
      pool.cancel(id, why);
    }
    await waitAtMost(Promise.allSettled([...this.pending.values()]), graceMs);
    for (const id of this.pending.keys()) {
      runs.cancel(id, 'cancelled: the server shut down before the run finished');
      pool.cancel(id, 'cancelled: the server shut down before the run finished');
    }
    await Promise.allSettled([...this.pending.values()]);
  }

  /** The user clusters a scenario names (they are part of its inputs). */
  private referencedClusters(scenario: unknown): ClusterSeed[] {
    const ids = namedClusters(scenario) ?? new Set<string>();
    return this.deps.clusters.userClusters().filter((c) => ids.has(c.id));
  }

  /** Join an identical run: wait for it if it is still in flight. */
  private async join(id: string, waitMs: number): Promise<{ created: boolean; run: RunRow }> {
    const live = this.pending.get(id);
    if (live) await waitAtMost(live, waitMs);
    return { created: false, run: this.deps.runs.get(id)! };
  }

  /** 503 while shutting down or when the run queue is full. */
  private refuseWhenFull(): void {
    const { pool } = this.deps;
    if (this.stopping) throw busy('runs: the server is shutting down', 5);
    if (pool.stats().queued >= this.limits.maxQueue) {
      throw busy(
        `runs: ${pool.stats().queued} runs are waiting for a worker, the most the queue holds (DCPLAN_MAX_QUEUE); retry later`,
        this.retryAfterS(),
      );
    }
  }

  /** Seconds a client should wait before trying again when the run queue is full. */
  private retryAfterS(): number {
    const s = this.deps.pool.stats();
    return Math.min(120, Math.max(1, ((s.queued + s.busy) / s.size) * (this.meanComputeMs / 1000)));
  }

  /**
   * Queue a created run on the run pool and record how it ends: its result (and the bytes kept for
   * whoever reads it next), a cancellation or a failure; then keep the stored runs within bounds.
   */
  private launch(id: string, scenario: unknown, extra: ClusterSeed[]): Promise<void> {
    const { runs, pool, log } = this.deps;
    const created = performance.now();
    let started = created;
    return pool
      .run<StoredResult>(
        id,
        scenario,
        extra,
        (f) => runs.progress(id, f),
        () => {
          started = performance.now();
          runs.markRunning(id, started - created);
        },
      )
      .then(
        (out) => {
          const ms = performance.now() - started;
          this.meanComputeMs = 0.8 * this.meanComputeMs + 0.2 * ms;
          runs.writeResult(id, out, ms);
          // Whoever waits for this run reads it next: keep the bytes the worker made, not a re-read.
          this.results.remember(id, 'full', out.resultJson);
          this.results.remember(id, 'summary', out.summaryJson);
          for (const gone of runs.evict(this.limits, id)) this.results.forget(gone);
        },
        (e: Error) => {
          if (e instanceof CancelledError) runs.cancel(id, e.message === 'cancelled' ? undefined : e.message);
          else runs.fail(id, e instanceof JobError ? e.message : `internal error: ${e.message}`);
        },
      )
      .catch((e: Error) => {
        log(`run ${id}: could not record the outcome: ${e.message}`);
        runs.fail(id, `could not store the result: ${e.message}`);
      })
      .finally(() => this.pending.delete(id));
  }
}

/** The run service `createApp` shares with the routers. */
export function createRunService(deps: RunServiceDeps): RunService {
  return new RunService(deps);
}
