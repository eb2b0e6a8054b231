import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { Piscina } from 'piscina';
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

/** What a job sends to a worker. */
export type JobInput = JobRequest;

/**
 * The worker module: the TypeScript source when this file runs from source (tsx), else the bundle the
 * build writes next to this chunk (dist/worker.mjs).
 */
export const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./worker.ts', import.meta.url)
  : new URL('./worker.mjs', import.meta.url);

/** Registers tsx in the worker thread, then hands each task to a TypeScript worker module. */
const BOOT = new URL('./boot.mjs', import.meta.url);

/** Options of a pool: a bound on the jobs waiting (beyond it `submit` throws `QueueFullError`). */
export interface PoolOptions {
  maxQueue?: number;
  /**
   * Run the workers at a lower CPU priority than the calling thread (default true: a server's event
   * loop stays prompt while its workers compute); a command-line run, which waits for them, sets false.
   */
  lowPriority?: boolean;
}

/** Worker failures in a row (no job finished in between) after which the pool gives up. */
const MAX_CRASHES_IN_A_ROW = 3;

interface Job {
  id: string;
  input: JobInput;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (fraction: number) => void;
  onStart?: () => void;
  /** Set once a worker has the job: aborting it terminates that worker (piscina starts another). */
  abort?: AbortController;
  port?: MessagePort;
  reply?: JobReply;
}

/** Piscina's message for a worker that exited (`worker exited with code: 3`) in this pool's words. */
const crashMessage = (e: Error) => e.message.replace(/^worker exited with code: /, 'exited with code ');

/**
 * A fixed pool of worker threads (piscina) running jobs — simulations, validations, hourly exports —
 * off the event loop. Jobs wait here, FIFO, up to `maxQueue`, and go to piscina only when a thread is
 * free, so `onStart` fires when a worker takes a job and a waiting job is cancelled without touching a
 * thread. A running job is cancelled through its AbortSignal (piscina terminates and replaces the
 * thread); progress and the answer come back on a MessagePort of the job's own, the answer's buffers
 * transferred rather than copied. A worker that dies fails its job with the reason.
 */
export class WorkerPool {
  private readonly piscina: Piscina;
  private readonly queue: Job[] = [];
  private readonly running = new Map<string, Job>();
  private closed = false;
  private crashesInARow = 0;
  private broken: string | null = null;
  readonly maxQueue: number;

  /** `entry`: the worker module (file URL); tests pass their own. */
  constructor(
    readonly size: number,
    entry: string | URL = WORKER_ENTRY,
    opts: PoolOptions = {},
  ) {
    this.maxQueue = opts.maxQueue ?? Number.POSITIVE_INFINITY;
    const href = entry instanceof URL ? entry.href : entry;
    const ts = href.endsWith('.ts');
    this.piscina = new Piscina({
      filename: ts ? BOOT.href : href,
      workerData: { entry: href, lowPriority: opts.lowPriority !== false },
      minThreads: size,
      maxThreads: size,
      idleTimeout: Number.POSITIVE_INFINITY,
      atomics: 'disabled',
      recordTiming: false,
    });
    // A worker that fails while starting, with no job to fail: piscina does not start another, so a
    // pool left without its threads gives up rather than keep jobs waiting.
    this.piscina.on('error', (e: Error) => {
      if (this.closed) return;
      if (this.piscina.threads.length < size) this.fail(`worker pool failed: ${e.message}`);
      else this.crashed(e);
    });
  }

  /** Everything waiting or running fails with `message`, and so does every later job. */
  private fail(message: string): void {
    this.broken = message;
    for (const job of [...this.queue.splice(0), ...this.running.values()])
      this.settle(job, new JobError(message));
  }

  private crashed(e: Error): void {
    if (++this.crashesInARow > MAX_CRASHES_IN_A_ROW * this.size)
      this.fail(`worker pool failed: ${e.message}`);
  }

  /** End a job once: free its thread (aborting it if it still runs), resolve or reject, start the next. */
  private settle(job: Job, outcome: Error | { result: unknown }): void {
    if (this.running.get(job.id) === job) {
      this.running.delete(job.id);
      job.port?.close();
      if (outcome instanceof Error) job.abort?.abort(outcome);
    } else {
      const i = this.queue.indexOf(job);
      if (i < 0) return; // already settled
      this.queue.splice(i, 1);
    }
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome.result);
    this.pump();
  }

  private onReply(job: Job, m: JobReply): void {
    if (m.type === 'progress') job.onProgress?.(m.done / m.total);
    else job.reply = m;
  }

  /** Hand waiting jobs to piscina while it has a free thread. */
  private pump(): void {
    while (!this.closed && !this.broken && this.running.size < this.size && this.queue.length) {
      const job = this.queue.shift()!;
      const { port1, port2 } = new MessageChannel();
      job.port = port1;
      job.abort = new AbortController();
      port1.on('message', (m: JobReply) => this.onReply(job, m));
      this.running.set(job.id, job);
      job.onStart?.();
      this.piscina
        .run({ ...job.input, port: port2 }, { transferList: [port2], signal: job.abort.signal })
        .then(
          () => {
            // The answer was posted before the task returned: read what the listener has not yet seen.
            for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
              this.onReply(job, m.message as JobReply);
            }
            const reply = job.reply;
            if (reply?.type === 'done') {
              this.crashesInARow = 0;
              this.settle(job, { result: reply.result });
            } else if (reply?.type === 'error') {
              this.crashesInARow = 0;
              this.settle(job, new JobError(reply.message, reply.fieldErrors));
            } else this.settle(job, new JobError('worker failed: the job ended without an answer'));
          },
          (e: Error) => {
            if (this.running.get(job.id) !== job) return; // cancelled or failed here first
            this.crashed(e);
            this.settle(job, new JobError(`worker failed: ${crashMessage(e)}`));
          },
        );
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
      this.queue.push({ id, input, resolve: resolve as (r: unknown) => void, reject, ...hooks });
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
  cancel(id: string, message?: string): boolean {
    const job = this.running.get(id) ?? this.queue.find((j) => j.id === id);
    if (!job) return false;
    this.settle(job, new CancelledError(message));
    return true;
  }

  /** Ids of the jobs waiting (not yet started), oldest first. */
  queuedIds(): string[] {
    return this.queue.map((j) => j.id);
  }

  /** Jobs waiting and running. */
  stats(): { size: number; busy: number; queued: number } {
    return { size: this.size, busy: this.running.size, queued: this.queue.length };
  }

  /** Cancel every job and stop the threads. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of [...this.queue, ...this.running.values()]) this.settle(job, new CancelledError());
    await this.piscina.destroy();
  }
}
