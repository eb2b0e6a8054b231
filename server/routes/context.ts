import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type {
  ChecksRepo,
  ClustersRepo,
  DocsRepo,
  MetaRepo,
  RunRow,
  RunsRepo,
  ScenariosRepo,
} from '../db/repositories.ts';
import type { StudiesRepo } from '../db/study-repository.ts';
import type { Vacuum } from '../db/vacuum.ts';
import type { WorkerPool } from '../jobs/pool.ts';
import type { RunService } from '../jobs/runs.ts';
import type { StudyService } from '../jobs/studies.ts';
import { MAX_USER_CLUSTERS, type SavedLimits } from '../limits.ts';
import { conflict, gone, HttpProblem, notFound } from '../problem.ts';

/** What the routers share: the database, its repositories, the run service and the worker pool. */
export interface AppContext {
  db: Db;
  meta: MetaRepo;
  clusters: ClustersRepo;
  scenarios: ScenariosRepo;
  runs: RunsRepo;
  /** Operators' meter checks. */
  checks: ChecksRepo;
  tariffs: DocsRepo;
  targets: DocsRepo;
  service: RunService;
  /** Monte Carlo and sizing jobs (issue 22), queued with the runs. */
  studies: StudiesRepo;
  study: StudyService;
  /** Worker pool for runs. */
  pool: WorkerPool;
  /** Worker pool for full validation (of saves and runs). */
  validations: WorkerPool;
  /** Worker pool for reads that take work: hourly exports and comparisons. */
  reads: WorkerPool;
  /** Gives the pages of deleted rows back to the file system, a step at a time. */
  vacuum: Vacuum;
  /** Hash of the seed bundle loaded at start-up. */
  seedHash: string;
  bodyLimitBytes: number;
  /** Bounds on saved scenarios and user clusters. */
  savedLimits: SavedLimits;
  /** Process start, ms since the epoch (for `uptimeS`). */
  startedMs: number;
  /** Event-loop delay (ms) in the last complete 5-s window. */
  eventLoopDelay: () => { p50Ms: number; p99Ms: number; maxMs: number };
}

const WHOLE = /^[1-9]\d{0,14}$/;

/** A path or query value that must be a whole number ≥ 1 (e.g. `"3"` → 3). */
export const PositiveInt = z
  .string({ error: 'must be a positive whole number' })
  .regex(WHOLE, { error: 'must be a positive whole number' })
  .transform(Number);

/** `:id` of a scenario. */
export const ScenarioIdParams = z.object({ id: PositiveInt });

/** `:id` of a run (a UUID; an unknown one is a 404). */
export const RunIdParams = z.object({ id: z.string().max(64, { error: 'must be a run id' }) });

/** A run by id; a 410 problem saying when and why for a run deleted or evicted, else a 404. */
export function getRun(ctx: AppContext, id: string): RunRow {
  const r = ctx.runs.get(id);
  if (r) return r;
  const t = ctx.runs.gone(id);
  if (t) throw gone(`run ${id} is gone: ${t.reason}, at ${t.goneAt}`, { goneAt: t.goneAt, reason: t.reason });
  throw notFound(`run ${id} does not exist`);
}

/** A finished run; 404 for an unknown run, 409 when it has not finished. */
export function finishedRun(ctx: AppContext, id: string): RunRow {
  const r = getRun(ctx, id);
  if (r.status !== 'done') throw conflict(`run ${id} is ${r.status}; results exist only for done runs`);
  return r;
}

/**
 * Room for a save: `add` more scenarios or user clusters and `bytes` more of saved documents (what a
 * save adds: the new version, or a cluster's new document less its old one). A 507 naming the bound
 * otherwise — saved documents are never deleted to make room; the client deletes what it no longer needs.
 */
export function roomToSave(
  ctx: AppContext,
  add: { scenarios?: number; clusters?: number; checks?: number; bytes: number },
): void {
  const { maxScenarios, maxChecks, maxSavedBytes } = ctx.savedLimits;
  const s = ctx.scenarios.totals();
  const c = ctx.clusters.userTotals();
  const k = ctx.checks.totals();
  const full = (detail: string) => new HttpProblem(507, 'Insufficient storage', detail);
  if (add.scenarios && s.n + add.scenarios > maxScenarios)
    throw full(
      `scenarios: ${s.n} saved scenarios are kept, the most DCPLAN_KEEP_SCENARIOS allows; delete one first`,
    );
  if (add.clusters && c.n + add.clusters > MAX_USER_CLUSTERS)
    throw full(`clusters: ${c.n} user clusters are kept, the most the server allows; delete one first`);
  if (add.checks && k.n + add.checks > maxChecks)
    throw full(`checks: ${k.n} meter checks are kept, the most DCPLAN_KEEP_CHECKS allows; delete one first`);
  const held = s.bytes + c.bytes + k.bytes;
  if (add.bytes > 0 && held + add.bytes > maxSavedBytes) {
    const kib = (b: number) => Math.ceil(b / 1024);
    throw full(
      `saved: saved scenarios, user clusters and meter checks take ${kib(held)} KiB; this save adds ${kib(add.bytes)} KiB to the ${kib(maxSavedBytes)} KiB DCPLAN_SAVED_MB allows; delete some first`,
    );
  }
}
