// A stand-in worker for the pool tests: answers by the scenario it is given.
import { parentPort } from 'node:worker_threads';
import type { JobRequest } from '../../../server/jobs/worker.ts';

if ((process.env.FAKE_WORKER_MODE ?? '') === 'broken') throw new Error('cannot load');

parentPort?.on('message', (m: JobRequest) => {
  const kind = m.scenario as string;
  if (kind === 'exit') process.exit(3);
  if (kind === 'hang') return;
  if (kind === 'fail') {
    parentPort?.postMessage({ type: 'error', runId: m.runId, message: 'years: must be ≥ 1' });
    return;
  }
  parentPort?.postMessage({ type: 'progress', runId: m.runId, done: 1, total: 2 });
  parentPort?.postMessage({ type: 'done', runId: m.runId, result: { echo: kind } });
});
