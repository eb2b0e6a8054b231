// Worker-thread bootstrap for piscina: from source (a .ts worker) register tsx first; the compiled
// worker (dist/worker.mjs) needs no loader. The worker module is loaded at once (so the thread is warm
// for its first job) and handed each task. A module that cannot load fails each task with the reason
// (the pool gives up after a few in a row).
import { workerData } from 'node:worker_threads';

const entry = String(workerData.entry);
const loading = (async () => {
  if (entry.endsWith('.ts')) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  return import(entry);
})();
loading.catch(() => {}); // reported by the first task

/** The task piscina calls: the worker module's default export. */
export default async function task(msg) {
  const { default: run } = await loading;
  return run(msg);
}
