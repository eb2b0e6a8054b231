// Worker-thread bootstrap: lower the thread's priority, then load the job worker. From source (a .ts
// entry) tsx is registered first; the compiled worker (dist/worker.mjs) needs no loader.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';

// Simulations run at a lower CPU priority than the event loop (nice +10 for this thread only), so a
// machine saturated by runs still answers requests promptly. Linux names the thread's id through
// /proc/thread-self, and setpriority() on a thread id applies to that thread; elsewhere this is skipped.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
} catch {}

if (String(workerData.entry).endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
