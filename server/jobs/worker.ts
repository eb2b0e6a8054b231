import { parentPort } from 'node:worker_threads';
import { ValidationError } from '../../models/scenario.ts';
import { engineReference } from '../../seeds/index.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
import { runScenario } from '../run.ts';

/** Messages between the pool and a worker. */
export type JobRequest = { type: 'run'; runId: string; scenario: unknown; extraClusters: ClusterSeed[] };
/** Worker → pool: progress, the result, or an error (with field errors for invalid input). */
export type JobReply =
  | { type: 'progress'; runId: string; done: number; total: number }
  | { type: 'done'; runId: string; result: unknown }
  | { type: 'error'; runId: string; message: string; fieldErrors?: Array<{ path: string; message: string }> };

// Build the seeded reference (climate years) once per worker; user clusters are added per job.
let base: ReturnType<typeof engineReference> | null = null;

parentPort?.on('message', (msg: JobRequest) => {
  if (msg.type !== 'run') return;
  try {
    base ??= engineReference();
    const ref = msg.extraClusters.length ? engineReference({ extraClusters: msg.extraClusters }) : base;
    let last = 0;
    const { hourly: _hourly, ...result } = runScenario(msg.scenario, ref, {
      onProgress: (done, total) => {
        // at most ~50 progress messages per run
        if (done === total || done - last >= Math.max(1, Math.floor(total / 50))) {
          last = done;
          parentPort?.postMessage({ type: 'progress', runId: msg.runId, done, total } satisfies JobReply);
        }
      },
    });
    parentPort?.postMessage({ type: 'done', runId: msg.runId, result } satisfies JobReply);
  } catch (e) {
    const fieldErrors = e instanceof ValidationError ? e.errors : undefined;
    parentPort?.postMessage({
      type: 'error',
      runId: msg.runId,
      message: (e as Error).message,
      fieldErrors,
    } satisfies JobReply);
  }
});
