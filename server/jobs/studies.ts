import { createHash, randomUUID } from 'node:crypto';
import { ENGINE_VERSION } from '../../models/simulate.ts';
import type { StudiesRepo, StudyKind, StudyRow } from '../db/study-repository.ts';
import { busy } from '../problem.ts';
import { CancelledError, JobError, type WorkerPool } from './pool.ts';
import { canonicalJson, type RunService } from './runs.ts';
import type { JobRequest } from './worker.ts';

/**
 * Studies (issue 22, point 7): Monte Carlo and sizing as API jobs, stored like runs. A study is
 * validated as a run is (the run service's full validation on the validation pool: 400 with field
 * errors), reused when identical inputs — kind, scenario, user clusters, options, engine and seed
 * bundle — are done or in flight, queued on the run pool (503 when its queue is full), its progress
 * recorded as the worker reports it, cancellable while queued or running, and its report — the JSON
 * of `dcplan montecarlo` / `dcplan size` — stored with its status in one statement. The newest
 * `MAX_STUDIES` ended studies are kept.
 */

/** Ended studies kept; older ones are deleted as new ones end. */
export const MAX_STUDIES = 200;

/** A study as the API shows it (the report is added, as stored, when it is done). */
export interface StudyView {
  id: string;
  kind: StudyKind;
  status: StudyRow['status'];
  progress: number;
  error: string | null;
  cached: boolean;
  scenarioId: number | null;
  scenarioVersion: number | null;
  engineVersion: string;
  options: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  links: { self: string; cancel: string };
}

/** The path of a kind's studies. */
export const STUDY_PATH: Record<StudyKind, string> = { montecarlo: '/api/montecarlo', sizing: '/api/sizing' };

/** What the study service is built on. */
export interface StudyServiceDeps {
  studies: StudiesRepo;
  /** The run pool: studies queue with runs. */
  pool: WorkerPool;
  /** Validation, user clusters and the run queue's bound come from the run service. */
  runs: RunService;
  seedHash: string;
  log: (msg: string) => void;
}

/** What a study is asked to do: the scenario (as sent), where it came from, and the job's options. */
export interface StudyInput {
  kind: StudyKind;
  scenario: unknown;
  source: { scenarioId: number | null; scenarioVersion: number | null };
  /** The options, validated, with their defaults. */
  options: Record<string, unknown>;
}

/** Monte Carlo and sizing jobs: start, reuse, cancel, delete; each one's outcome recorded. */
export class StudyService {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly deps: StudyServiceDeps) {
    const n = deps.studies.markInterrupted();
    if (n) deps.log(`studies: ${n} left queued or running by a stopped server marked failed`);
  }

  /** A study as the API shows it, as JSON text. */
  viewJson(r: StudyRow, cached = false): string {
    const view: StudyView = {
      id: r.id,
      kind: r.kind,
      status: r.status,
      progress: r.progress,
      error: r.error,
      cached,
      scenarioId: r.scenarioId,
      scenarioVersion: r.scenarioVersion,
      engineVersion: r.engineVersion,
      options: JSON.parse(r.optionsJson),
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      durationMs: r.durationMs,
      links: { self: `${STUDY_PATH[r.kind]}/${r.id}`, cancel: `${STUDY_PATH[r.kind]}/${r.id}/cancel` },
    };
    return JSON.stringify(view);
  }

  /** A study's view with its report when it is done, as bytes to send. */
  body(r: StudyRow, cached = false): Buffer {
    const head = this.viewJson(r, cached);
    const report = r.status === 'done' ? this.deps.studies.result(r.id) : null;
    if (!report) return Buffer.from(head);
    return Buffer.concat([Buffer.from(`${head.slice(0, -1)},"result":`), report, Buffer.from('}')]);
  }

  /**
   * Start a study, or reuse an identical one done or in flight (`created` false). Validates the
   * scenario in full first (400); 503 when the run queue is full or the server is shutting down.
   */
  async start(input: StudyInput): Promise<{ created: boolean; study: StudyRow }> {
    const { studies, runs, seedHash } = this.deps;
    const v = await runs.validate(input.scenario);
    const inputsHash = createHash('sha256')
      .update(
        canonicalJson({
          kind: input.kind,
          scenario: input.scenario,
          userClusters: v.extra,
          options: input.options,
          engine: ENGINE_VERSION,
          seeds: seedHash,
        }),
      )
      .digest('hex');
    const hit = studies.reusable(inputsHash);
    if (hit) return { created: false, study: studies.get(hit)! };
    this.refuseWhenFull();
    const id = randomUUID();
    studies.create({
      id,
      kind: input.kind,
      inputsHash,
      ...input.source,
      scenario: input.scenario,
      userClusters: v.extra,
      options: input.options,
      engineVersion: ENGINE_VERSION,
      seedHash,
    });
    const job: JobRequest =
      input.kind === 'montecarlo'
        ? {
            type: 'montecarlo',
            scenario: input.scenario,
            extraClusters: v.extra,
            options: input.options as never,
          }
        : { type: 'size', scenario: input.scenario, extraClusters: v.extra, options: input.options as never };
    this.pending.set(id, this.launch(id, job));
    return { created: true, study: studies.get(id)! };
  }

  /** Cancel a queued or running study; false when it has ended (or is unknown). */
  cancel(id: string): boolean {
    if (!this.deps.studies.cancel(id)) return false;
    this.deps.pool.cancel(id);
    return true;
  }

  /** Delete an ended study with its report; false when it is in flight or unknown. */
  delete(id: string): boolean {
    return this.deps.studies.delete(id);
  }

  /** Wait for every study in flight to be recorded (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  private refuseWhenFull(): void {
    const { pool, runs } = this.deps;
    if (runs.shuttingDown) throw busy('studies: the server is shutting down', 5);
    if (pool.stats().queued >= runs.limits.maxQueue)
      throw busy(
        `studies: ${pool.stats().queued} runs and studies are waiting for a worker, the most the queue holds (DCPLAN_MAX_QUEUE); retry later`,
        30,
      );
  }

  /** Queue a study on the run pool and record how it ends; then keep the newest `MAX_STUDIES`. */
  private launch(id: string, job: JobRequest): Promise<void> {
    const { studies, pool, log } = this.deps;
    let started = performance.now();
    return pool
      .submit<Uint8Array>(id, job, {
        onProgress: (f) => studies.progress(id, f),
        onStart: () => {
          started = performance.now();
          studies.markRunning(id);
        },
      })
      .then(
        (report) => {
          studies.finish(id, report, performance.now() - started);
          studies.evictOver(MAX_STUDIES);
        },
        (e: Error) => {
          if (e instanceof CancelledError)
            studies.cancel(id, e.message === 'cancelled' ? undefined : e.message);
          else studies.fail(id, e instanceof JobError ? e.message : `internal error: ${e.message}`);
        },
      )
      .catch((e: Error) => log(`study ${id}: could not record the outcome: ${e.message}`))
      .finally(() => this.pending.delete(id));
  }
}
