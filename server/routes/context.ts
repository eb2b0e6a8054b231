import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type {
  ClustersRepo,
  DocsRepo,
  MetaRepo,
  RunRow,
  RunsRepo,
  ScenariosRepo,
} from '../db/repositories.ts';
import type { Vacuum } from '../db/vacuum.ts';
import type { WorkerPool } from '../jobs/pool.ts';
import type { RunService } from '../jobs/runs.ts';
import { conflict, gone, notFound } from '../problem.ts';

/** What the routers share: the database, its repositories, the run service and the worker pool. */
export interface AppContext {
  db: Db;
  meta: MetaRepo;
  clusters: ClustersRepo;
  scenarios: ScenariosRepo;
  runs: RunsRepo;
  tariffs: DocsRepo;
  targets: DocsRepo;
  service: RunService;
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
