/// <reference lib="webworker" />
import './zod-jitless.ts';
import wasmUrl from 'highs/runtime?url';
import { type LpSolver, loadLpSolver } from '../models/lp.ts';
import type { RunResult } from '../models/result.ts';
import { ValidationError } from '../models/scenario.ts';
import { type EngineReference, prepareRun, simulate } from '../models/simulate.ts';
import { mixSizes, sizingSetup, solveSizing, withMix } from '../models/sizing.ts';
import { metricsOf } from '../models/uncertainty/evaluate.ts';
import {
  type MonteCarloSetup,
  monteCarloSetup,
  planRows,
  tornadoBars,
  tornadoRows,
} from '../models/uncertainty/montecarlo.ts';
import { sampleValues } from '../models/uncertainty/plan.ts';
import { column, outputAt, rankInputs, spreadOf, summarise } from '../models/uncertainty/summary.ts';
import {
  FAN_KEYS,
  type FanKey,
  type FanYear,
  type MonteCarloProgress,
  type TornadoOutput,
  type UncertaintyAnswer,
  type UncertaintyRequest,
} from './uncertainty-types.ts';
import { workerReference } from './worker-reference.ts';

/**
 * Uncertainty in the page (issue 22, point 7): a Monte Carlo of a few hundred samples run here, off the
 * main thread, with the engine's own setup, plan and summaries (models/uncertainty/) — the same
 * samples as `dcplan montecarlo` with the same seed — and its summary posted every few samples so the
 * charts fill in as they come; then a tornado on the chosen output. And the least-cost green-supply
 * curve of one cluster (models/sizing.ts with HiGHS in WebAssembly), one point at a time. The page
 * cancels by terminating this worker.
 */

const post = (m: UncertaintyAnswer) => (self as unknown as Worker).postMessage(m);

/** The reference data and the engine cache of this worker, kept across jobs. */
const kept = workerReference();
let lpSolver: Promise<LpSolver> | null = null;

/** HiGHS, loaded once, from the wasm file Vite serves. */
const lp = () => {
  lpSolver ??= loadLpSolver({ locateFile: () => wasmUrl });
  return lpSolver;
};

/** The last Monte Carlo's setup and rows (a tornado on another output reuses them). */
let last: { s: MonteCarloSetup; rows: Float64Array; lp: LpSolver | undefined; ref: EngineReference } | null =
  null;

const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

function fanOf(
  s: MonteCarloSetup,
  cluster: number,
  values: Record<FanKey, Float64Array>,
  done: number,
): MonteCarloProgress['fan'] {
  const c = s.base.clusters[cluster];
  const years = c.annual.map((a, y): FanYear => {
    const spread = {} as FanYear['spread'];
    const plain = {} as FanYear['plain'];
    for (const k of FAN_KEYS) {
      const all = values[k];
      const col = new Float64Array(done);
      for (let i = 0; i < done; i++) col[i] = all[i * c.annual.length + y];
      spread[k] = spreadOf(col);
      const v = a[k];
      plain[k] = typeof v === 'number' && Number.isFinite(v) && (k !== 'pue' || a.itEnergyMwh > 0) ? v : null;
    }
    return { year: a.year, spread, plain };
  });
  return { cluster, name: c.name, years };
}

/** One sample's run: its numbers in the layout's order, and the fan cluster's annual outputs by year. */
function runSample(
  s: MonteCarloSetup,
  r: EngineReference,
  us: Float64Array,
  out: Float64Array,
  fan: { cluster: number; values: Record<FanKey, Float64Array>; at: number } | null,
  solver: LpSolver | undefined,
): string | null {
  try {
    const run = prepareRun(s.scenario, r, { cache: kept.cache(), sample: sampleValues(s.inputs, us) });
    const { hourly: _h, ...result } = simulate(run, r, { cache: kept.cache(), lp: solver });
    metricsOf(result as RunResult, s.layout, out);
    if (fan) {
      const annual = result.clusters[fan.cluster].annual;
      for (const k of FAN_KEYS)
        annual.forEach((a, y) => {
          const v = a[k];
          fan.values[k][fan.at + y] =
            typeof v === 'number' && (k !== 'pue' || a.itEnergyMwh > 0) ? v : Number.NaN;
        });
    }
    return null;
  } catch (e) {
    out.fill(Number.NaN);
    return (e as Error).message;
  }
}

let current = 0;

async function monteCarlo(req: Extract<UncertaintyRequest, { type: 'montecarlo' }>): Promise<void> {
  const t0 = performance.now();
  const r = kept.reference(req.extraClusters);
  const needsLp = JSON.stringify(req.scenario).includes('"optimal"');
  const solver = needsLp ? await lp() : undefined;
  const s = monteCarloSetup(
    req.scenario,
    r,
    { samples: req.samples, seed: req.seed, grades: req.grades },
    { cache: kept.cache(), lp: solver },
  );
  outputAt(s.layout, req.cluster, req.output); // a bad output fails before the samples run
  const w = s.layout.width;
  const rows = new Float64Array(s.n * w).fill(Number.NaN);
  const fanCluster = req.fanCluster !== null && s.base.clusters[req.fanCluster] ? req.fanCluster : null;
  const nYears = s.base.clusters[0]?.annual.length ?? 0;
  const fanValues = Object.fromEntries(
    FAN_KEYS.map((k) => [k, new Float64Array(fanCluster === null ? 0 : s.n * nYears).fill(Number.NaN)]),
  ) as Record<FanKey, Float64Array>;
  const inputs = s.inputs.map((x) => ({
    key: x.key,
    label: x.label,
    kind: x.kind,
    ...(x.grade ? { grade: x.grade } : {}),
    distribution: x.text,
    unit: x.kind === 'grade' ? '×' : x.unit,
  }));
  const costs = s.base.clusters.map((c) => c.finance.costPerRackYearCny);
  const plain = s.base.clusters.map((c, i) => ({
    name: c.name,
    clusterId: c.clusterId,
    costPerRackYearCny: costs[i],
    npvCny: c.finance.npvCny,
    rank: costs[i] === null ? null : 1 + costs.filter((x) => x !== null && x < (costs[i] as number)).length,
  }));
  const at = (key: string, ci: number) => s.layout.clusters[ci].finance.find((m) => m.key === key)?.at ?? -1;
  const k = s.inputs.length;
  let failed = 0;
  let firstError: string | null = null;
  const report = (done: number) => {
    const part = rows.subarray(0, done * w);
    post({
      type: 'progress',
      id: req.id,
      done,
      total: s.n,
      failed,
      firstError,
      inputs,
      clusters: summarise(s.layout, part),
      plain,
      values: s.layout.clusters.map((_, ci) => ({
        npvCny: Array.from(column(part, w, at('npvCny', ci))).filter(Number.isFinite),
        costPerRackYearCny: Array.from(column(part, w, at('costPerRackYearCny', ci))).filter(Number.isFinite),
      })),
      fan: fanCluster === null ? null : fanOf(s, fanCluster, fanValues, done),
    });
  };
  // A summary every ≈ 5 % of the samples (at least 10): the charts fill in without redrawing them all the time.
  const chunk = Math.max(10, Math.ceil(s.n / 20));
  const plan = planRows(s, 0, s.n);
  for (let i = 0; i < s.n; i++) {
    if (req.id !== current) return;
    const err = runSample(
      s,
      r,
      plan.subarray(i * k, (i + 1) * k),
      rows.subarray(i * w, (i + 1) * w),
      fanCluster === null ? null : { cluster: fanCluster, values: fanValues, at: i * nYears },
      solver,
    );
    if (err) {
      failed++;
      firstError ??= err;
    }
    if ((i + 1) % chunk === 0 || i + 1 === s.n) {
      report(i + 1);
      await yieldToEvents();
    }
  }
  last = { s, rows, lp: solver, ref: r };
  tornado(req.id, req.output, req.cluster);
  post({ type: 'done', id: req.id, ms: performance.now() - t0 });
}

/** The tornado (2k + 1 runs) and the inputs' rank correlations on one output of one cluster. */
function tornado(id: number, output: TornadoOutput, cluster: number): void {
  if (!last) throw new Error('tornado: run the samples first');
  const { s, rows, ref } = last;
  const at = outputAt(s.layout, cluster, output);
  const k = s.inputs.length;
  const t = tornadoRows(k);
  const out = new Float64Array((2 * k + 1) * s.layout.width);
  for (let i = 0; i < 2 * k + 1; i++)
    runSample(
      s,
      ref,
      t.subarray(i * k, (i + 1) * k),
      out.subarray(i * s.layout.width, (i + 1) * s.layout.width),
      null,
      last.lp,
    );
  const bars = tornadoBars(s.inputs, column(out, s.layout.width, at));
  post({
    type: 'tornado',
    id,
    output,
    cluster,
    base: bars.base,
    bars: bars.bars,
    rankCorrelation: rankInputs(s.inputs, s.u, s.n, column(rows, s.layout.width, at)),
  });
}

async function size(req: Extract<UncertaintyRequest, { type: 'size' }>): Promise<void> {
  const t0 = performance.now();
  const r = kept.reference(req.extraClusters);
  const setup = sizingSetup(
    req.scenario,
    r,
    { cluster: req.cluster, year: req.year ?? undefined },
    { cache: kept.cache() },
  );
  const total = req.targets.length + 1;
  post({
    type: 'size-setup',
    id: req.id,
    clusterId: setup.clusterId,
    year: setup.year,
    loadMwh: setup.loadMwh,
    total,
  });
  const solver = await lp();
  const targets: Array<number | null> = [null, ...req.targets];
  for (const [i, target] of targets.entries()) {
    await yieldToEvents();
    if (req.id !== current) return;
    const ts = performance.now();
    const mix = solveSizing(setup, target === null ? null : { greenShare: target }, solver, {
      timeLimitS: 120,
    });
    const solveMs = performance.now() - ts;
    post({
      type: 'size-point',
      id: req.id,
      done: i + 1,
      total,
      target,
      status: mix.status,
      ...mixSizes(mix),
      annualCostCny: mix.lpCostCny,
      solveMs,
      scenario: withMix(setup, mix),
    });
  }
  post({ type: 'done', id: req.id, ms: performance.now() - t0 });
}

self.onmessage = async (ev: MessageEvent<UncertaintyRequest>) => {
  const req = ev.data;
  if (req.type !== 'tornado') current = req.id;
  try {
    if (req.type === 'montecarlo') await monteCarlo(req);
    else if (req.type === 'size') await size(req);
    else tornado(req.id, req.output, req.cluster);
  } catch (e) {
    const message =
      e instanceof ValidationError
        ? e.errors.map((x) => `${x.path}: ${x.message}`).join('; ')
        : (e as Error).message;
    post({ type: 'error', id: req.id, message });
  }
};
