// Worker-thread bootstrap for piscina when the worker is TypeScript source: register tsx, load the
// worker module (started at once, so the thread is warm for its first job) and hand it each task. A
// module that cannot load fails each task with the reason (the pool gives up after a few in a row).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const loading = import(workerData.entry);
loading.catch(() => {}); // reported by the first task

/** The task piscina calls: the worker module's default export. */
export default async function task(msg) {
  const { default: run } = await loading;
  return run(msg);
}
