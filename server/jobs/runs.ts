import { createHash, randomUUID } from 'node:crypto';
import { ValidationError } from '../../models/scenario.ts';
import { ENGINE_VERSION } from '../../models/simulate.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
import type { ClustersRepo, RunsRepo } from '../db/repositories.ts';
import { PART_BYTES, type RetentionBounds, type RunLife, type RunRow } from '../db/run-repository.ts';
import type { Vacuum } from '../db/vacuum.ts';
import { workBudgetProblem } from '../limits.ts';
import { badRequest, busy, validationProblem } from '../problem.ts';
import { expectedResultBytes, RESULT_FORMS, type ResultForm, type ResultForms } from '../result-forms.ts';
import type { Parts } from '../send.ts';
import { CancelledError, JobError, QueueFullError, type WorkerPool } from './pool.ts';
import { MAX_CACHED_FORM_BYTES, ResultCache } from './result-cache.ts';

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

/** A run as the API shows it (the result is added, as stored, when the run is done). */
export interface RunView extends RunLife {
  cached: boolean;
  engineVersion: string;
  links: { self: string; summary: string; annualCsv: string; hourlyCsv: string };
}

/** What the service keeps bounded: the run queue, and the runs and bytes stored. */
export interface RunLimits {
  /** Runs waiting for a worker beyond which `POST /runs` answers 503 (default 100). */
  maxQueue: number;
  /** Runs kept, in flight and ended; beyond it the oldest evictable ones go (default 1,000). */
  maxRuns: number;
  /**
   * Bytes kept (default 1 GiB): every run's scenario and user clusters, every ended run's result, and
   * what the results of runs in flight are expected to take; beyond it the oldest evictable runs go.
   */
  maxBytes: number;
  /** An ended run nobody has read is never evicted before it is this old (s; default 3,600). */
  keepUnreadS: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  maxQueue: 100,
  maxRuns: 1000,
  maxBytes: 1024 * 1024 * 1024,
  keepUnreadS: 3600,
};

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
  /** Worker pool for full validation (of runs and saves), apart from the reads. */
  validations: WorkerPool;
  /** Gives the pages of deleted rows back to the file system, a step at a time. */
  vacuum: Vacuum;
  seedHash: string;
  limits?: Partial<RunLimits>;
  log: (msg: string) => void;
}

/** What a full validation tells about a scenario: its name and shape, and the user clusters it names. */
export interface Validated {
  name: string;
  startYear: number;
  years: number;
  clusters: number;
  extra: ClusterSeed[];
}

/** Let other work of the event loop run (between two parts of a result). */
const turn = () => new Promise((r) => setImmediate(r));

/**
 * Runs: reuse the stored (or in-flight) run when identical inputs ran before — content hash of the
 * scenario, the user clusters it references, the seed bundle and the engine version — otherwise
 * check the work bounds in the request (cheap), validate in full (schema too) on the validation
 * pool, make room for it in storage (admission: the bytes its result is expected to take, reserved;
 * 503 when only unread results and runs in flight hold the space), queue it on the run pool (bounded:
 * 503 beyond it) and store its result — serialised once, in the worker — part by part when it
 * finishes, then mark it done in one transaction.
 */
export class RunService {
  readonly limits: RunLimits;
  private readonly pending = new Map<string, Promise<void>>();
  private readonly cache = new ResultCache();
  /** Runs whose result is being sent (count of responses each): retention and DELETE leave them. */
  private readonly pins = new Map<string, number>();
  /** Mean compute time of recent runs (ms), for `Retry-After`. */
  private meanComputeMs = 1000;
  private stopping = false;

  constructor(private readonly deps: RunServiceDeps) {
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
  }

  /** The retention bounds, as the repository takes them. */
  private get bounds(): RetentionBounds {
    const { maxRuns, maxBytes, keepUnreadS } = this.limits;
    return { maxRuns, maxBytes, keepUnreadMs: keepUnreadS * 1000 };
  }

  /** True while the server shuts down (new work is refused). */
  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** A run as the API shows it, as JSON text (the result is added by the caller). */
  viewJson(r: RunRow, cached = false): string {
    return JSON.stringify(runView(r, cached));
  }

  /**
   * A stored form of a done run, to send: from memory when it is small (read whole once, then kept),
   * else its parts one at a time. Undefined when the run has no such form.
   */
  source(id: string, form: ResultForm): Buffer | Parts | undefined {
    const hit = this.cache.get(id, form);
    if (hit) return hit;
    const { runs } = this.deps;
    const { parts, bytes } = runs.formSize(id, form);
    if (parts === 0) return undefined;
    if (bytes <= MAX_CACHED_FORM_BYTES) return this.cache.remember(id, form, runs.form(id, form));
    return { parts, bytes, read: (seq) => runs.part(id, form, seq) };
  }

  /** A whole stored form of a done run (from memory when small), e.g. what comparisons read. */
  formBytes(id: string, form: ResultForm): Buffer {
    const src = this.source(id, form);
    if (src === undefined) return Buffer.alloc(0);
    return Buffer.isBuffer(src) ? src : this.deps.runs.form(id, form);
  }

  /** Hold a run while a response reads it (retention and DELETE leave it); returns the release. */
  pin(id: string): () => void {
    this.pins.set(id, (this.pins.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.pins.get(id) ?? 1) - 1;
      if (n > 0) this.pins.set(id, n);
      else this.pins.delete(id);
    };
  }

  /** A client was shown the run's final state (its result, error or cancellation): it may now be evicted. */
  markRead(id: string): void {
    this.deps.runs.markRead(id);
  }

  /**
   * Validate a scenario against the reference data (schema, cluster and tariff references, every
   * year's values): the work bounds here, the rest on the validation pool. Resolves with its name and
   * shape and the user clusters it references; rejects with a 400 (or 503 when that pool's queue is
   * full).
   */
  async validate(scenario: unknown): Promise<Validated> {
    const over = workBudgetProblem(scenario);
    if (over) throw badRequest(`${over.path}: ${over.message}`);
    // Even the schema check (zod, linear in a body of up to 1 MiB) runs on the validation pool.
    const extra = this.referencedClusters(scenario);
    let out: Omit<Validated, 'extra'>;
    try {
      out = await this.deps.validations.submit(`validate-${randomUUID()}`, {
        type: 'validate',
        scenario,
        extraClusters: extra,
      });
    } catch (e) {
      if (e instanceof QueueFullError) throw busy('validation: too many requests are being validated', 1);
      asProblem(e);
    }
    return { ...out, extra };
  }

  /**
   * Start a run — or join the identical one that is done or in flight — and wait up to `waitMs` for
   * it. `created` is false when an identical run was reused. 503 when the run queue is full, or when
   * storage has no room for its result that evicting read or old results would make.
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
    const v = await this.validate(scenario);
    // An identical run may have started while this one was being validated.
    hit = runs.reusableByHash(inputsHash);
    if (hit) return this.join(hit, waitMs);
    this.refuseWhenFull();
    const expectedBytes = expectedResultBytes(v.clusters, v.clusters * v.years);
    this.admit(expectedBytes + Buffer.byteLength(JSON.stringify(scenario)));

    const id = randomUUID();
    runs.create({
      id,
      inputsHash,
      ...source,
      scenario,
      userClusters: v.extra,
      engineVersion: ENGINE_VERSION,
      seedHash,
      name: v.name,
      clusters: v.clusters,
      startYear: v.startYear,
      years: v.years,
      expectedBytes,
    });
    const done = this.launch(id, scenario, v.extra);
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

  /**
   * Delete an ended run with its result (its tombstone says when and that a client deleted it) and
   * give its pages back: 'deleted', or why not — 'pinned' while a response is sending it, 'missing'
   * when it is unknown or still in flight.
   */
  delete(id: string): 'deleted' | 'pinned' | 'missing' {
    if (this.pins.has(id)) return 'pinned';
    this.cache.forget(id);
    if (!this.deps.runs.delete(id, `deleted by a client (DELETE /api/runs/${id})`)) return 'missing';
    this.deps.vacuum.request();
    return 'deleted';
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
    const ids = namedClusters(scenario);
    return ids?.size ? this.deps.clusters.userClustersNamed(ids) : [];
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

  /**
   * Room in storage for one more run that needs `bytes`: the oldest runs that were read (or are older
   * than `keepUnreadS`) are evicted for it; a 503 with `Retry-After` when that is not enough — the
   * space is held by unread results and runs in flight, which are never evicted.
   */
  private admit(bytes: number): void {
    const room = this.deps.runs.makeRoom(bytes, this.bounds, new Set(this.pins.keys()));
    for (const id of room.gone) this.cache.forget(id);
    if (room.admitted) return;
    const mib = (b: number) => Math.ceil(b / (1024 * 1024));
    const { maxRuns, maxBytes, keepUnreadS } = this.limits;
    const which =
      room.n + 1 > maxRuns
        ? `${room.n} runs are kept, the most DCPLAN_KEEP_RUNS allows`
        : `${mib(room.bytes)} MiB are held and this run's result needs about ${mib(bytes)} MiB of the ${mib(maxBytes)} DCPLAN_KEEP_MB allows`;
    throw busy(
      `runs: ${which}; what is left is results not yet read (kept until read once or ${keepUnreadS} s old, DCPLAN_KEEP_UNREAD_S) and runs in flight; read or delete finished runs, or retry later`,
      this.storageRetryAfterS(),
    );
  }

  /** Seconds until storage may have room: the oldest unread result's age limit, or the queue's turn. */
  private storageRetryAfterS(): number {
    const oldest = this.deps.runs.oldestUnreadAt();
    const byAge = oldest
      ? (Date.parse(oldest) + this.limits.keepUnreadS * 1000 - Date.now()) / 1000
      : Number.POSITIVE_INFINITY;
    return Math.min(600, Math.max(1, Math.min(byAge, Math.max(5, this.retryAfterS()))));
  }

  /** Seconds a client should wait before trying again when the run queue is full. */
  private retryAfterS(): number {
    const s = this.deps.pool.stats();
    return Math.min(120, Math.max(1, ((s.queued + s.busy) / s.size) * (this.meanComputeMs / 1000)));
  }

  /**
   * Store a finished run's result: each form cut into parts of `PART_BYTES`, one part a transaction
   * and a turn of the event loop (a 44 MB result never holds the loop for more than a part), then the
   * run marked done in one transaction. Nobody reads the parts before that; if anything fails (or the
   * run was cancelled meanwhile) they are removed and the error rethrown.
   */
  private async store(id: string, out: ResultForms, computeMs: number): Promise<void> {
    const { runs } = this.deps;
    try {
      for (const form of RESULT_FORMS) {
        const b = out.bytes[form];
        for (let seq = 0, at = 0; at < b.length || seq === 0; seq++, at += PART_BYTES) {
          runs.writePart(id, form, seq, b.subarray(at, at + PART_BYTES));
          await turn();
        }
      }
      runs.finish(id, out, computeMs);
    } catch (e) {
      runs.dropParts(id);
      throw e;
    }
    // Whoever waits for this run reads it next: keep the small forms the worker made, not a re-read.
    for (const form of RESULT_FORMS) this.cache.remember(id, form, out.bytes[form]);
  }

  /**
   * Queue a created run on the run pool and record how it ends: its result (stored in parts), a
   * cancellation or a failure; then keep the stored runs within their bounds.
   */
  private launch(id: string, scenario: unknown, extra: ClusterSeed[]): Promise<void> {
    const { runs, pool, log } = this.deps;
    const created = performance.now();
    let started = created;
    return pool
      .run<ResultForms>(
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
        async (out) => {
          const ms = performance.now() - started;
          this.meanComputeMs = 0.8 * this.meanComputeMs + 0.2 * ms;
          await this.store(id, out, ms);
          for (const gone of runs.evictOver(this.bounds, new Set(this.pins.keys()))) this.cache.forget(gone);
        },
        (e: Error) => {
          if (e instanceof CancelledError) runs.cancel(id, e.message === 'cancelled' ? undefined : e.message);
          else runs.fail(id, e instanceof JobError ? e.message : `internal error: ${e.message}`);
        },
      )
      .catch((e: Error) => {
        log(`run ${id}: could not record the outcome: ${e.message}`);
        try {
          runs.fail(id, `could not store the result: ${e.message}`);
        } catch (again) {
          log(`run ${id}: could not mark it failed either: ${(again as Error).message}`);
        }
      })
      .finally(() => this.pending.delete(id));
  }
}

/** The run service `createApp` shares with the routers. */
export function createRunService(deps: RunServiceDeps): RunService {
  return new RunService(deps);
}
