// Worker-thread bootstrap: register tsx so the TypeScript worker runs without a build step.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
