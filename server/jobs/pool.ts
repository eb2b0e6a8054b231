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

/** Crashes per worker slot, without a finished job in between, after which the pool gives up. */
const MAX_CRASHES_IN_A_ROW = 3;
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
  private crashesInARow = 0;
  private broken: string | null = null;

  /** `entry`: the worker module (file URL); tests pass their own. */
  constructor(
    readonly size: number,
    private readonly entry: string = ENTRY,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(BOOT, { workerData: { entry: this.entry } }), job: null };
    slot.worker.on('message', (m: JobReply) => this.onMessage(slot, m));
    slot.worker.on('error', (e) => this.onCrash(slot, e));
    // A worker that exits by itself (not terminated by cancel or close) fails its job and is replaced.
    slot.worker.on('exit', (code) => {
      if (this.slots.includes(slot) && !this.closed)
        this.onCrash(slot, new Error(`exited with code ${code}`));
    });
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
    this.crashesInARow = 0;
    if (m.type === 'done') job.resolve(m.result as RunResult);
    else job.reject(new JobError(m.message, m.fieldErrors));
    this.pump();
  }

  private onCrash(slot: Slot, e: Error): void {
    const job = slot.job;
    slot.job = null;
    job?.reject(new JobError(`worker failed: ${e.message}`));
    const i = this.slots.indexOf(slot);
    if (i < 0 || this.closed) return;
    // Workers that keep dying without finishing a job (e.g. cannot load) are not respawned forever.
    if (++this.crashesInARow > MAX_CRASHES_IN_A_ROW * this.size) {
      this.broken = `worker pool failed: ${e.message}`;
      this.slots.splice(i, 1);
      for (const j of this.queue.splice(0)) j.reject(new JobError(this.broken));
      return;
    }
    this.slots[i] = this.spawn();
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
    if (this.broken) return Promise.reject(new JobError(this.broken));
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
