import { createHash, randomUUID } from 'node:crypto';
import { parseScenario, type Scenario, ValidationError } from '../../models/scenario.ts';
import { ENGINE_VERSION, type EngineReference, prepareRun } from '../../models/simulate.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
import type { ClustersRepo, RunRow, RunsRepo } from '../db/repositories.ts';
import { validationProblem } from '../problem.ts';
import { CancelledError, JobError, type WorkerPool } from './pool.ts';

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
export interface RunView {
  id: string;
  status: RunRow['status'];
  progress: number;
  error: string | null;
  cached: boolean;
  scenarioId: number | null;
  scenarioVersion: number | null;
  engineVersion: string;
  createdAt: string;
  durationMs: number | null;
  links: { self: string; annualCsv: string; hourlyCsv: string };
}

/** Finished results kept serialised in memory (they never change); older ones are re-read from SQLite. */
const RESULT_CACHE_ENTRIES = 16;

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

/**
 * Runs: reuse the stored (or in-flight) run when identical inputs ran before — content hash of the
 * scenario, the user clusters it references, the seed bundle and the engine version — otherwise
 * validate in the request (fast, so bad input is a 400 before any work), queue the run on the worker
 * pool and write its result in one transaction when it finishes.
 */
export function createRunService(deps: {
  runs: RunsRepo;
  clusters: ClustersRepo;
  pool: WorkerPool;
  reference: (extra: ClusterSeed[]) => EngineReference;
  seedHash: string;
  log: (msg: string) => void;
}) {
  const { runs, pool } = deps;
  const pending = new Map<string, Promise<void>>();
  const resultJson = new Map<string, string>();

  function view(r: RunRow, cached = false): RunView {
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
      durationMs: r.durationMs,
      links: {
        self: `/api/runs/${r.id}`,
        annualCsv: `/api/runs/${r.id}/annual.csv`,
        hourlyCsv: `/api/runs/${r.id}/hourly.csv?cluster={clusterId}&year={year}`,
      },
    };
  }

  /** The response body of a run: its view and, when done, `result` (the DESIGN.md result JSON). */
  function body(r: RunRow, cached = false): string {
    const head = JSON.stringify(view(r, cached));
    if (r.status !== 'done') return head;
    let json = resultJson.get(r.id);
    if (json === undefined) {
      json = JSON.stringify(runs.result(r.id));
      resultJson.set(r.id, json);
      if (resultJson.size > RESULT_CACHE_ENTRIES) resultJson.delete(resultJson.keys().next().value as string);
    }
    return `${head.slice(0, -1)},"result":${json}}`;
  }

  /**
   * Validate a scenario against the reference data (schema, cluster and tariff references, every
   * year's values); returns it parsed, with the user clusters it references. Throws `ValidationError`.
   */
  function validate(scenario: unknown): { parsed: Scenario; extra: ClusterSeed[] } {
    const parsed = parseScenario(scenario);
    const ids = new Set(parsed.clusters.map((c) => c.cluster));
    const extra = deps.clusters.userClusters().filter((c) => ids.has(c.id));
    prepareRun(parsed, deps.reference(extra));
    return { parsed, extra };
  }

  return {
    validate,
    view,
    body,
    /**
     * Start a run — or join the identical one that is done or in flight — and wait up to `waitMs` for
     * it. `created` is false when an identical run was reused.
     */
    async start(
      scenario: unknown,
      source: { scenarioId: number | null; scenarioVersion: number | null },
      waitMs: number,
    ): Promise<{ created: boolean; run: RunRow }> {
      const named = namedClusters(scenario) ?? new Set<string>();
      const referenced = deps.clusters.userClusters().filter((c) => named.has(c.id));
      const inputsHash = createHash('sha256')
        .update(
          canonicalJson({ scenario, userClusters: referenced, engine: ENGINE_VERSION, seeds: deps.seedHash }),
        )
        .digest('hex');
      const hit = runs.reusableByHash(inputsHash);
      if (hit) {
        const live = pending.get(hit);
        if (live) await waitAtMost(live, waitMs);
        return { created: false, run: runs.get(hit)! };
      }

      let extra: ClusterSeed[];
      try {
        extra = validate(scenario).extra;
      } catch (e) {
        if (e instanceof ValidationError) throw validationProblem(e);
        throw e;
      }
      const id = randomUUID();
      runs.create({
        id,
        inputsHash,
        ...source,
        scenario,
        userClusters: extra,
        engineVersion: ENGINE_VERSION,
      });
      const t0 = performance.now();
      const done = pool
        .run(id, scenario, extra, (f) => runs.progress(id, f))
        .then(
          (result) => {
            runs.writeResult(id, result, performance.now() - t0);
          },
          (e: Error) => {
            if (e instanceof CancelledError) runs.cancel(id);
            else runs.fail(id, e instanceof JobError ? e.message : `internal error: ${e.message}`);
          },
        )
        .catch((e: Error) => {
          deps.log(`run ${id}: could not record the outcome: ${e.message}`);
          runs.fail(id, `could not store the result: ${e.message}`);
        })
        .finally(() => pending.delete(id));
      runs.markRunning(id);
      pending.set(id, done);
      await waitAtMost(done, waitMs);
      return { created: true, run: runs.get(id)! };
    },
    /** Cancel a queued or running run; false if it already finished. */
    cancel(id: string): boolean {
      const r = runs.get(id);
      if (!r || (r.status !== 'queued' && r.status !== 'running')) return false;
      runs.cancel(id);
      pool.cancel(id);
      return true;
    },
    /** Wait for every run in flight (used at shutdown and in tests). */
    async settle(): Promise<void> {
      await Promise.allSettled([...pending.values()]);
    },
  };
}

/** The run service `createApp` shares with the routers. */
export type RunService = ReturnType<typeof createRunService>;
