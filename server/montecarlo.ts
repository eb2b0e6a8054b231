import type { ClimateYear } from '../models/climate.ts';
import type { LpSolver } from '../models/lp.ts';
import type { EngineReference } from '../models/reference.ts';
import { engineCache } from '../models/simulate.ts';
import {
  evaluateRows,
  type MonteCarloReport,
  type MonteCarloSetup,
  monteCarloReport,
  monteCarloSetup,
  planRows,
  type TornadoBar,
  tornadoBars,
  tornadoRows,
} from '../models/uncertainty/montecarlo.ts';
import type { SamplingOptions } from '../models/uncertainty/plan.ts';
import { column, outputAt } from '../models/uncertainty/summary.ts';
import { CancelledError, WorkerPool } from './jobs/pool.ts';

/**
 * Monte Carlo on the worker pool (issue 22, point 3): the setup (plain run, inputs, sampling plan) on
 * this thread, then the samples in chunks on piscina workers (server/montecarlo-worker.ts, each with
 * its own engine cache), put back in sample order — or all on this thread with `threads: 1`, yielding
 * to the event loop between chunks so a signal can stop it. The plan is drawn before any chunk goes
 * out and a sample's numbers depend on its own u row alone: the report is the same on any pool size.
 */

/** The worker module: its TypeScript source from source (tsx), else the bundle beside this chunk. */
export const MONTECARLO_WORKER = import.meta.url.endsWith('.ts')
  ? new URL('./montecarlo-worker.ts', import.meta.url)
  : new URL('./montecarlo-worker.mjs', import.meta.url);

export interface PooledMonteCarloOptions extends SamplingOptions {
  output?: string;
  cluster?: number;
  tornado?: boolean;
  /** Worker threads (1: this thread). */
  threads: number;
  weather?: Record<string, ClimateYear>;
  /** The LP solver, when the scenario needs one (loaded by the caller). */
  lp?: LpSolver;
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops the run: queued chunks are dropped, running ones terminated; rejects with CancelledError. */
  signal?: AbortSignal;
}

/** Samples per chunk: ≈ 8 chunks per thread (progress and balance), at least 4 samples each. */
function chunkSize(n: number, threads: number): number {
  return Math.max(4, Math.ceil(n / (threads * 8)));
}

/** The numbers of some u rows (row-major), on the pool in chunks, in row order. */
async function rowsOnPool(
  s: MonteCarloSetup,
  uRows: Float64Array,
  pool: WorkerPool | null,
  o: PooledMonteCarloOptions,
  ref: EngineReference,
  progress: (n: number) => void,
): Promise<{ rows: Float64Array; failed: number; firstError: string | null }> {
  if (o.signal?.aborted) throw new CancelledError();
  const k = s.inputs.length;
  const count = uRows.length / k;
  const size = chunkSize(count, o.threads);
  const chunks: Array<[number, number]> = [];
  for (let i = 0; i < count; i += size) chunks.push([i, Math.min(count, i + size)]);
  const rows = new Float64Array(count * s.layout.width);
  let failed = 0;
  let firstError: string | null = null;
  const errors: Array<string | null> = new Array(chunks.length).fill(null);
  if (!pool) {
    const cache = engineCache();
    for (const [c, [from, to]] of chunks.entries()) {
      if (o.signal?.aborted) throw new CancelledError();
      const r = evaluateRows(s.scenario, ref, s.inputs, s.layout, uRows.subarray(from * k, to * k), {
        cache,
        weather: o.weather,
        lp: o.lp,
        onSample: () => progress(1),
      });
      rows.set(r.rows, from * s.layout.width);
      failed += r.failed;
      errors[c] = r.firstError;
      await new Promise((res) => setImmediate(res)); // let a signal in
    }
  } else {
    const tag = Math.random().toString(36).slice(2);
    const ids = chunks.map((_, c) => `mc-${tag}-${c}`);
    const abort = () => {
      for (const id of ids) pool.cancel(id, 'cancelled');
    };
    o.signal?.addEventListener('abort', abort, { once: true });
    try {
      await Promise.all(
        chunks.map(([from, to], c) => {
          let seen = 0;
          return pool
            .submit<{ rows: Float64Array; failed: number; firstError: string | null }>(
              ids[c],
              {
                type: 'samples',
                scenario: s.scenario,
                inputs: s.inputs,
                layout: s.layout,
                uRows: uRows.slice(from * k, to * k),
                weather: o.weather,
                lp: Boolean(o.lp),
              } as never,
              {
                onProgress: (f) => {
                  const now = Math.round(f * (to - from));
                  progress(now - seen);
                  seen = now;
                },
              },
            )
            .then((r) => {
              progress(to - from - seen);
              rows.set(r.rows, from * s.layout.width);
              failed += r.failed;
              errors[c] = r.firstError;
            });
        }),
      );
    } finally {
      o.signal?.removeEventListener('abort', abort);
    }
  }
  // The first failure in sample order, whatever thread met it first.
  firstError = errors.find((e) => e !== null) ?? null;
  return { rows, failed, firstError };
}

/**
 * A Monte Carlo run of a scenario (as written) with its samples on `threads` workers: the report of
 * `monteCarlo` (models/uncertainty/montecarlo.ts), the same to the last bit for any thread count.
 */
export async function runMonteCarlo(
  raw: unknown,
  ref: EngineReference,
  o: PooledMonteCarloOptions,
): Promise<MonteCarloReport> {
  const s = monteCarloSetup(raw, ref, o, { weather: o.weather, cache: engineCache(), lp: o.lp });
  const output = o.output ?? 'costPerRackYearCny';
  const cluster = o.cluster ?? 0;
  outputAt(s.layout, cluster, output);
  const k = s.inputs.length;
  const total = s.n + (o.tornado ? 2 * k + 1 : 0);
  let done = 0;
  const progress = (d: number) => {
    done += d;
    o.onProgress?.(done, total);
  };
  const pool = o.threads > 1 ? new WorkerPool(o.threads, MONTECARLO_WORKER, { lowPriority: false }) : null;
  try {
    const all = await rowsOnPool(s, planRows(s, 0, s.n), pool, o, ref, progress);
    let tornado: { base: number; bars: TornadoBar[] } | null = null;
    if (o.tornado) {
      const t = await rowsOnPool(s, tornadoRows(k), pool, o, ref, progress);
      tornado = tornadoBars(s.inputs, column(t.rows, s.layout.width, outputAt(s.layout, cluster, output)));
    }
    return monteCarloReport(
      s,
      o,
      all.rows,
      { count: all.failed, first: all.firstError },
      { output, cluster, tornado },
    );
  } finally {
    await pool?.close();
  }
}
