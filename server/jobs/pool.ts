import { Worker } from 'node:worker_threads';
import type { RunResult } from '../../models/result.ts';
import type { ClusterSeed } from '../../seeds/schema.ts';
import type { JobReply, JobRequest } from './worker.ts';

/** A run was cancelled before it finished. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** A run failed inside the worker; `fieldErrors` is set for invalid input. */
export class JobError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Array<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

interface Job {
  request: JobRequest;
  resolve: (r: RunResult) => void;
  reject: (e: Error) => void;
  onProgress?: (fraction: number) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

const BOOT = new URL('./boot.mjs', import.meta.url);
const ENTRY = new URL('./worker.ts', import.meta.url).href;

/**
 * A fixed pool of worker threads running simulations off the event loop. Jobs queue FIFO; a running
 * job can be cancelled (its worker is terminated and replaced); progress arrives as fractions.
 */
export class WorkerPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private closed = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(BOOT, { workerData: { entry: ENTRY } }), job: null };
    slot.worker.on('message', (m: JobReply) => this.onMessage(slot, m));
    slot.worker.on('error', (e) => this.onCrash(slot, e));
    slot.worker.unref();
    return slot;
  }

  private onMessage(slot: Slot, m: JobReply): void {
    const job = slot.job;
    if (!job || m.runId !== job.request.runId) return;
    if (m.type === 'progress') {
      job.onProgress?.(m.done / m.total);
      return;
    }
    slot.job = null;
    if (m.type === 'done') job.resolve(m.result as RunResult);
    else job.reject(new JobError(m.message, m.fieldErrors));
    this.pump();
  }

  private onCrash(slot: Slot, e: Error): void {
    const job = slot.job;
    slot.job = null;
    const i = this.slots.indexOf(slot);
    if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    job?.reject(new JobError(`worker failed: ${e.message}`));
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage(job.request);
    }
  }

  /** Queue a run; resolves with its result. */
  run(
    runId: string,
    scenario: unknown,
    extraClusters: ClusterSeed[],
    onProgress?: (fraction: number) => void,
  ): Promise<RunResult> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({
        request: { type: 'run', runId, scenario, extraClusters },
        resolve,
        reject,
        onProgress,
      });
      this.pump();
    });
  }

  /** Cancel a queued or running job; false when the pool does not hold it. */
  cancel(runId: string): boolean {
    const qi = this.queue.findIndex((j) => j.request.runId === runId);
    if (qi >= 0) {
      const [job] = this.queue.splice(qi, 1);
      job.reject(new CancelledError());
      return true;
    }
    const slot = this.slots.find((s) => s.job?.request.runId === runId);
    if (!slot) return false;
    const job = slot.job!;
    slot.job = null;
    const i = this.slots.indexOf(slot);
    void slot.worker.terminate();
    this.slots[i] = this.spawn();
    job.reject(new CancelledError());
    this.pump();
    return true;
  }

  /** Jobs waiting and running. */
  stats(): { size: number; busy: number; queued: number } {
    return { size: this.size, busy: this.slots.filter((s) => s.job).length, queued: this.queue.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new CancelledError());
    await Promise.all(
      this.slots.map((s) => {
        s.job?.reject(new CancelledError());
        return s.worker.terminate();
      }),
    );
  }
}
