import { Worker } from 'node:worker_threads';
import type { ClusterSeed } from '../../seeds/schema.ts';
import type { JobReply, JobRequest } from './worker.ts';

/** A run was cancelled before it finished. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A job failed inside the worker; `fieldErrors` is set for invalid input. */
export class JobError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Array<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

/** The pool's queue is at its bound: the caller should answer 503 with `Retry-After`. */
export class QueueFullError extends Error {
  constructor(readonly queued: number) {
    super(`queue full (${queued} waiting)`);
    this.name = 'QueueFullError';
  }
}

/** What a job sends to a worker, without the id the pool adds. */
export type JobInput = JobRequest extends infer R ? (R extends JobRequest ? Omit<R, 'runId'> : never) : never;

interface Job {
  request: JobRequest;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (fraction: number) => void;
  onStart?: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/** Options of a pool: a bound on the jobs waiting (beyond it `submit` throws `QueueFullError`). */
export interface PoolOptions {
  maxQueue?: number;
}

/** Crashes per worker slot, without a finished job in between, after which the pool gives up. */
const MAX_CRASHES_IN_A_ROW = 3;
const BOOT = new URL('./boot.mjs', import.meta.url);
/**
 * The job worker module: worker.ts next to this file when it runs from source, else the compiled
 * dist/worker.mjs (this code is then in a chunk in dist/, see bin/build.mjs).
 */
export const WORKER_ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.mjs',
  import.meta.url,
).href;

/**
 * A fixed pool of worker threads running jobs (simulations, validations, hourly exports) off the event
 * loop. Jobs queue FIFO up to `maxQueue`; `onStart` fires when a worker takes a job; a job can be
 * cancelled (its worker is terminated and replaced); progress arrives as fractions.
 */
export class WorkerPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private closed = false;
  private crashesInARow = 0;
  private broken: string | null = null;
  readonly maxQueue: number;

  /** `entry`: the worker module (file URL); tests pass their own. */
  constructor(
    readonly size: number,
    private readonly entry: string = WORKER_ENTRY,
    opts: PoolOptions = {},
  ) {
    this.maxQueue = opts.maxQueue ?? Number.POSITIVE_INFINITY;
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
    // Idle workers do not keep the process alive; a busy one does (see pump), so a shutdown can drain.
    slot.worker.unref();
    return slot;
  }

  private release(slot: Slot): void {
    slot.job = null;
    slot.worker.unref();
  }

  private onMessage(slot: Slot, m: JobReply): void {
    const job = slot.job;
    if (!job || m.runId !== job.request.runId) return;
    if (m.type === 'progress') {
      job.onProgress?.(m.done / m.total);
      return;
    }
    this.release(slot);
    this.crashesInARow = 0;
    if (m.type === 'done') job.resolve(m.result);
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
      slot.worker.ref();
      job.onStart?.();
      slot.worker.postMessage(job.request);
    }
  }

  /**
   * Queue a job under `id`; resolves with the worker's answer. Throws `QueueFullError` (synchronously)
   * when `maxQueue` jobs already wait.
   */
  submit<T>(
    id: string,
    input: JobInput,
    hooks: { onProgress?: (fraction: number) => void; onStart?: () => void } = {},
  ): Promise<T> {
    if (this.closed) return Promise.reject(new CancelledError('worker pool is closed'));
    if (this.broken) return Promise.reject(new JobError(this.broken));
    if (this.queue.length >= this.maxQueue) throw new QueueFullError(this.queue.length);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        request: { ...input, runId: id } as JobRequest,
        resolve: resolve as (r: unknown) => void,
        reject,
        ...hooks,
      });
      this.pump();
    });
  }

  /** Queue a run (a `submit` of a 'run' job). */
  run<T = unknown>(
    runId: string,
    scenario: unknown,
    extraClusters: ClusterSeed[],
    onProgress?: (fraction: number) => void,
    onStart?: () => void,
  ): Promise<T> {
    return this.submit<T>(runId, { type: 'run', scenario, extraClusters }, { onProgress, onStart });
  }

  /** True when a job submitted now would be refused. */
  full(): boolean {
    return this.queue.length >= this.maxQueue;
  }

  /** Cancel a queued or running job; false when the pool does not hold it. */
  cancel(runId: string, message?: string): boolean {
    const qi = this.queue.findIndex((j) => j.request.runId === runId);
    if (qi >= 0) {
      const [job] = this.queue.splice(qi, 1);
      job.reject(new CancelledError(message));
      return true;
    }
    const slot = this.slots.find((s) => s.job?.request.runId === runId);
    if (!slot) return false;
    const job = slot.job!;
    slot.job = null;
    const i = this.slots.indexOf(slot);
    void slot.worker.terminate();
    this.slots[i] = this.spawn();
    job.reject(new CancelledError(message));
    this.pump();
    return true;
  }

  /** Ids of the jobs waiting (not yet started), oldest first. */
  queuedIds(): string[] {
    return this.queue.map((j) => j.request.runId);
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
