import { createHash, randomUUID } from 'node:crypto';
import type { RunResult } from '../models/result.ts';
import { parseScenario, ValidationError } from '../models/scenario.ts';
import { ENGINE_VERSION, type EngineReference, prepareRun } from '../models/simulate.ts';
import type { ClusterSeed } from '../seeds/schema.ts';
import type { clustersRepo, RunRow, runsRepo } from './db/repositories.ts';
import { CancelledError, JobError, type WorkerPool } from './jobs/pool.ts';
import { badRequest } from './problem.ts';

/** JSON with object keys sorted, so equal inputs hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

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
  result?: RunResult;
}

/**
 * Runs: validate in the request (fast, so bad input is a 400 before any work), reuse the stored result
 * when identical inputs ran before (content hash of the scenario, the referenced user clusters, the seed
 * bundle and the engine version), otherwise queue the run on the worker pool and write its result in
 * one transaction when it finishes.
 */
export function createRunService(deps: {
  runs: ReturnType<typeof runsRepo>;
  clusters: ReturnType<typeof clustersRepo>;
  pool: WorkerPool;
  reference: (extra: ClusterSeed[]) => EngineReference;
  seedHash: string;
  log: (msg: string) => void;
}) {
  const { runs, pool } = deps;
  const pending = new Map<string, Promise<void>>();

  function view(r: RunRow, cached = false): RunView {
    const v: RunView = {
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
    if (r.status === 'done') v.result = runs.result(r.id);
    return v;
  }

  /** Validate a scenario against the reference data; returns the user clusters it references. */
  function validate(scenario: unknown): ClusterSeed[] {
    const parsed = parseScenario(scenario);
    const ids = new Set(parsed.clusters.map((c) => c.cluster));
    const extra = deps.clusters.userClusters().filter((c) => ids.has(c.id));
    prepareRun(parsed, deps.reference(extra));
    return extra;
  }

  return {
    validate,
    view,
    /**
     * Start (or reuse) a run and wait up to `waitMs` for it. Returns the view and whether it was created.
     */
    async start(
      scenario: unknown,
      source: { scenarioId: number | null; scenarioVersion: number | null },
      waitMs: number,
    ): Promise<{ created: boolean; view: RunView }> {
      let extra: ClusterSeed[];
      try {
        extra = validate(scenario);
      } catch (e) {
        if (e instanceof ValidationError)
          throw badRequest(
            `scenario.${e.message}`,
            e.errors.map((x) => ({ path: `scenario.${x.path}`, message: x.message })),
          );
        throw e;
      }
      const inputsHash = createHash('sha256')
        .update(canonicalJson({ scenario, extra, engine: ENGINE_VERSION, seeds: deps.seedHash }))
        .digest('hex');
      const hit = runs.doneByHash(inputsHash);
      if (hit) return { created: false, view: view(runs.get(hit)!, true) };

      const id = randomUUID();
      runs.create({ id, inputsHash, ...source, scenario, engineVersion: ENGINE_VERSION });
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
      if (waitMs > 0) {
        await Promise.race([done, new Promise((r) => setTimeout(r, waitMs).unref())]);
      }
      return { created: true, view: view(runs.get(id)!) };
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

export type RunService = ReturnType<typeof createRunService>;
