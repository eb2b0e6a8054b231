import type { MessagePort } from 'node:worker_threads';
import type { ClimateYear } from '../models/climate.ts';
import { type LpSolver, loadLpSolver } from '../models/lp.ts';
import type { Scenario } from '../models/scenario.ts';
import { engineCache } from '../models/simulate.ts';
import type { MetricLayout } from '../models/uncertainty/evaluate.ts';
import { evaluateRows } from '../models/uncertainty/montecarlo.ts';
import type { UncertainInput } from '../models/uncertainty/plan.ts';
import { engineReference } from '../seeds/index.ts';
import { useClimateCache } from './climate-cache.ts';

/**
 * The Monte Carlo pool's worker (server/montecarlo.ts): runs a chunk of samples — their u rows, the
 * setup's inputs and layout — and posts the rows of numbers back, transferred. It keeps the seeded
 * reference, an engine cache (climate-only series, tariff series, buffers) and, once a scenario
 * needs it, HiGHS from chunk to chunk. The numbers of a sample depend on its u row alone, so a chunk
 * gives the same rows on any worker.
 */

/** Pool → worker: a chunk of samples. */
export interface SamplesJob {
  type: 'samples';
  scenario: Scenario;
  inputs: UncertainInput[];
  layout: MetricLayout;
  /** The chunk's u rows, row-major (k per sample). */
  uRows: Float64Array;
  weather?: Record<string, ClimateYear>;
  /** Load HiGHS (a battery with the optimal policy). */
  lp: boolean;
  port: MessagePort;
}

useClimateCache();
const ref = engineReference();
const cache = engineCache();
let lp: Promise<LpSolver> | null = null;

/** The pool's task: the chunk's rows, progress every few samples, the answer on the job's port. */
export default async function job(msg: SamplesJob): Promise<void> {
  try {
    if (msg.lp) lp ??= loadLpSolver();
    const solver = msg.lp && lp ? await lp : undefined;
    const k = msg.inputs.length;
    const total = k ? msg.uRows.length / k : 0;
    let done = 0;
    const out = evaluateRows(msg.scenario, ref, msg.inputs, msg.layout, msg.uRows, {
      cache,
      weather: msg.weather,
      lp: solver,
      onSample: () => {
        done++;
        if (done === total || done % 5 === 0) msg.port.postMessage({ type: 'progress', done, total });
      },
    });
    msg.port.postMessage({ type: 'done', result: out }, [out.rows.buffer as ArrayBuffer]);
  } catch (e) {
    msg.port.postMessage({ type: 'error', message: (e as Error).message });
  }
}
