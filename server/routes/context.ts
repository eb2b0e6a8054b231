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
import type { WorkerPool } from '../jobs/pool.ts';
import type { RunService } from '../jobs/runs.ts';
import { conflict, notFound } from '../problem.ts';

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
  /** Worker pool for short jobs (full validation, hourly exports). */
  tasks: WorkerPool;
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

/** A run by id, or a 404 problem. */
export function getRun(ctx: AppContext, id: string): RunRow {
  const r = ctx.runs.get(id);
  if (!r) throw notFound(`run ${id} does not exist`);
  return r;
}

/** A finished run; 404 for an unknown run, 409 when it has not finished. */
export function finishedRun(ctx: AppContext, id: string): RunRow {
  const r = getRun(ctx, id);
  if (r.status !== 'done') throw conflict(`run ${id} is ${r.status}; results exist only for done runs`);
  return r;
}
