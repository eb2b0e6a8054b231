import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startCheckpointer } from './db/checkpointer.ts';
import type { Db } from './db/database.ts';
import { checksRepo, clustersRepo, docsRepo, metaRepo, runsRepo, scenariosRepo } from './db/repositories.ts';
import { studiesRepo } from './db/study-repository.ts';
import { stepVacuum } from './db/vacuum.ts';
import { WorkerPool } from './jobs/pool.ts';
import { createRunService, type RunLimits } from './jobs/runs.ts';
import { StudyService } from './jobs/studies.ts';
import { DEFAULT_SAVED_LIMITS, type SavedLimits } from './limits.ts';
import type { AppContext } from './routes/context.ts';

/** Short jobs waiting in either task pool beyond which requests needing one get a 503. */
const TASK_QUEUE = 200;

/** What the shared state is built from (a subset of `AppDeps`). */
export interface ServiceDeps {
  db: Db;
  workers?: number;
  taskWorkers?: number;
  limits?: Partial<RunLimits>;
  savedLimits?: Partial<SavedLimits>;
  bodyLimitBytes: number;
  log: (msg: string) => void;
  faults?: { afterFirstPart?: () => void };
}

/** Event-loop delay over 5-s windows (ms): `last()` is the last complete window. */
function eventLoopWindows() {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let last = { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  const timer = setInterval(() => {
    last = { p50Ms: ms(loop.percentile(50)), p99Ms: ms(loop.percentile(99)), maxMs: ms(loop.max) };
    loop.reset();
  }, 5000);
  timer.unref();
  return {
    last: () => last,
    stop: () => {
      clearInterval(timer);
      loop.disable();
    },
  };
}

/**
 * What the routers share (`AppContext`): the repositories over the open database, a worker pool for
 * runs and two for short jobs — validations (what a save or a run waits for) and reads (hourly
 * exports, comparisons, which anyone may ask for) — so a save never waits behind reads nor either
 * behind long runs; the run service, the stepped vacuum, a WAL checkpointer and the event-loop
 * monitor. `close()` stops the pools (runs in flight are cancelled, results being stored are let
 * finish), the checkpointer and the monitor.
 */
export function createServices(deps: ServiceDeps): { ctx: AppContext; close: () => Promise<void> } {
  const { db, log } = deps;
  const meta = metaRepo(db);
  const clusters = clustersRepo(db);
  const runs = runsRepo(db, deps.faults);
  const checkpointer = startCheckpointer(db, 1000, log);
  const pool = new WorkerPool(deps.workers ?? 2);
  const validations = new WorkerPool(deps.taskWorkers ?? 1, undefined, { maxQueue: TASK_QUEUE });
  const reads = new WorkerPool(deps.taskWorkers ?? 1, undefined, { maxQueue: TASK_QUEUE });
  const vacuum = stepVacuum(db);
  const seedHash = meta.seedHash();
  const service = createRunService({
    runs,
    clusters,
    pool,
    validations,
    vacuum,
    seedHash,
    limits: deps.limits,
    log,
  });
  const studies = studiesRepo(db);
  const study = new StudyService({ studies, pool, runs: service, seedHash, log });
  const loop = eventLoopWindows();
  const ctx: AppContext = {
    db,
    meta,
    clusters,
    scenarios: scenariosRepo(db),
    runs,
    checks: checksRepo(db),
    tariffs: docsRepo(db, 'tariffs'),
    targets: docsRepo(db, 'targets'),
    service,
    studies,
    study,
    pool,
    validations,
    reads,
    vacuum,
    seedHash,
    bodyLimitBytes: deps.bodyLimitBytes,
    savedLimits: { ...DEFAULT_SAVED_LIMITS, ...deps.savedLimits },
    startedMs: Date.now(),
    eventLoopDelay: loop.last,
  };
  return {
    ctx,
    async close() {
      loop.stop();
      await Promise.all([pool.close(), validations.close(), reads.close()]);
      await service.settle(); // results being stored finish (or fail) before the database closes
      await study.settle();
      await vacuum.idle();
      await checkpointer.close();
    },
  };
}
