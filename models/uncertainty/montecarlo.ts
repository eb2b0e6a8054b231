import { prepareRun } from '../prepare/cluster.ts';
import type { EngineReference } from '../reference.ts';
import type { RunResult } from '../result.ts';
import { rankCorrelation } from '../sampling.ts';
import { parseScenario, type Scenario } from '../scenario.ts';
import { ENGINE_VERSION, simulate } from '../simulate.ts';
import { type EvaluateOptions, evaluateSample, type MetricLayout, metricLayout } from './evaluate.ts';
import {
  gradeInputs,
  inputValue,
  type SamplingOptions,
  sampleValues,
  samplingPlan,
  scenarioInputs,
  type UnbandedDefault,
  type UncertainInput,
} from './plan.ts';
import { type ClusterSpread, column, outputAt, rankInputs, summarise } from './summary.ts';

/**
 * Monte Carlo over a scenario's uncertain inputs (issue 22): the setup (the inputs, the plain run's
 * layout of numbers, the sampling plan), the samples' runs — here one after another, or in chunks on
 * a worker pool (server/montecarlo.ts) with the same rows — and the report: every metric's P10/P50/
 * P90, mean and SD per cluster, target probabilities, cost-rank probabilities, the inputs ranked by
 * rank correlation with an output and, on request, a tornado. The same scenario, options and seed
 * give the same report on any number of threads.
 */

/** Everything the samples' runs share. */
export interface MonteCarloSetup {
  scenario: Scenario;
  inputs: UncertainInput[];
  unbanded: UnbandedDefault[];
  layout: MetricLayout;
  /** The sampling plan, column-major: u[j·n + i]. */
  u: Float64Array;
  n: number;
  /** The plain run (every distribution at its median, defaults as listed). */
  base: RunResult;
}

/**
 * Parse the scenario, run it plainly (medians), find its uncertain inputs (its distributions and,
 * with `grades`, the bands of the defaults the plain run listed) and draw the sampling plan.
 * Throws `ValidationError` for a bad scenario or option, and when there is nothing uncertain.
 */
export function monteCarloSetup(
  raw: unknown,
  ref: EngineReference,
  o: SamplingOptions,
  opts: EvaluateOptions = {},
): MonteCarloSetup {
  const scenario = parseScenario(raw);
  const run = prepareRun(scenario, ref, { weather: opts.weather, cache: opts.cache });
  const { hourly: _h, ...base } = simulate(run, ref, { cache: opts.cache, lp: opts.lp });
  const fromScenario = scenarioInputs(scenario, raw);
  const graded = o.grades ? gradeInputs(run) : { inputs: [], unbanded: [] };
  const inputs = [...fromScenario, ...graded.inputs];
  if (inputs.length === 0)
    throw new Error(
      'montecarlo: nothing is uncertain — give a distribution ({ "dist": … }) on a quantity of the scenario, or use --grades',
    );
  const u = samplingPlan(inputs, o);
  return { scenario, inputs, unbanded: graded.unbanded, layout: metricLayout(base), u, n: o.samples, base };
}

/** The u rows of samples [from, to) of a plan (row-major, k per row). */
export function planRows(
  s: Pick<MonteCarloSetup, 'u' | 'n' | 'inputs'>,
  from: number,
  to: number,
): Float64Array {
  const k = s.inputs.length;
  const out = new Float64Array((to - from) * k);
  for (let i = from; i < to; i++) for (let j = 0; j < k; j++) out[(i - from) * k + j] = s.u[j * s.n + i];
  return out;
}

/**
 * The runs of some samples, given their u rows (row-major, one row of k per sample): each row's
 * numbers in the layout's order (row-major, `layout.width` per sample) and the first failure's reason.
 */
export function evaluateRows(
  scenario: Scenario,
  ref: EngineReference,
  inputs: UncertainInput[],
  layout: MetricLayout,
  uRows: Float64Array,
  opts: EvaluateOptions & { onSample?: () => void } = {},
): { rows: Float64Array; failed: number; firstError: string | null } {
  const k = inputs.length;
  const count = k ? uRows.length / k : 0;
  const rows = new Float64Array(count * layout.width);
  let failed = 0;
  let firstError: string | null = null;
  for (let i = 0; i < count; i++) {
    const sample = sampleValues(inputs, uRows.subarray(i * k, (i + 1) * k));
    const err = evaluateSample(
      scenario,
      ref,
      sample,
      layout,
      rows.subarray(i * layout.width, (i + 1) * layout.width),
      opts,
    );
    if (err) {
      failed++;
      firstError ??= err;
    }
    opts.onSample?.();
  }
  return { rows, failed, firstError };
}

/** A tornado bar: the output with one input at its P10 and at its P90, the others at their medians. */
export interface TornadoBar {
  key: string;
  label: string;
  /** The input's value (or factor) at its P10 and P90. */
  inputP10: number;
  inputP90: number;
  /** The output with the input at its P10 and P90. */
  atP10: number;
  atP90: number;
  swing: number;
}

/**
 * The u rows of a tornado (issue 22, point 4): first every input at its median, then for each input
 * the row with it at 0.1 and the row with it at 0.9 (2k + 1 rows).
 */
export function tornadoRows(k: number): Float64Array {
  const rows = new Float64Array((2 * k + 1) * k).fill(0.5);
  for (let j = 0; j < k; j++) {
    rows[(1 + 2 * j) * k + j] = 0.1;
    rows[(2 + 2 * j) * k + j] = 0.9;
  }
  return rows;
}

/** The tornado's bars from its rows' outputs (`tornadoRows` order), widest swing first. */
export function tornadoBars(
  inputs: UncertainInput[],
  outputs: ArrayLike<number>,
): { base: number; bars: TornadoBar[] } {
  const bars = inputs.map((x, j) => {
    const lo = outputs[1 + 2 * j];
    const hi = outputs[2 + 2 * j];
    return {
      key: x.key,
      label: x.label,
      inputP10: inputValue(x, 0.1),
      inputP90: inputValue(x, 0.9),
      atP10: lo,
      atP90: hi,
      swing: Math.abs(hi - lo),
    };
  });
  bars.sort((a, b) => (Number.isNaN(b.swing) ? -1 : Number.isNaN(a.swing) ? 1 : b.swing - a.swing));
  return { base: outputs[0], bars };
}

/** The report of a Monte Carlo run (`dcplan montecarlo --format json`). */
export interface MonteCarloReport {
  scenario: { name: string; startYear: number; years: number };
  engine: { version: string };
  samples: number;
  seed: number;
  method: 'lhs' | 'random';
  grades: boolean;
  /** Samples the engine refused or that gave non-finite numbers (left out of every figure), and why the first did. */
  failed: { count: number; first: string | null };
  inputs: Array<{
    key: string;
    label: string;
    kind: 'scenario' | 'grade';
    field: string;
    clusters: number[];
    unit: string;
    grade?: string;
    distribution: string;
    p10: number;
    p50: number;
    p90: number;
  }>;
  /** With `grades`: the listed defaults that get no band, and why. */
  unbanded: UnbandedDefault[];
  /** The rank correlations asked for (Iman–Conover) and those the plan has. */
  correlations: Array<{ a: string; b: string; rho: number; achieved: number }>;
  clusters: ClusterSpread[];
  /** The output the inputs are ranked on and their rank correlations with it; the tornado when asked for. */
  sensitivity: {
    output: string;
    cluster: number;
    rankCorrelation: Array<{ key: string; label: string; rho: number }>;
    tornado: { base: number; bars: TornadoBar[] } | null;
  };
}

/** The report from the setup and every sample's numbers (row-major, in sample order). */
export function monteCarloReport(
  s: MonteCarloSetup,
  o: SamplingOptions,
  rows: Float64Array,
  failed: { count: number; first: string | null },
  sens: { output: string; cluster: number; tornado: { base: number; bars: TornadoBar[] } | null },
): MonteCarloReport {
  const at = outputAt(s.layout, sens.cluster, sens.output);
  return {
    scenario: { name: s.scenario.name, startYear: s.scenario.startYear, years: s.scenario.years },
    engine: { version: ENGINE_VERSION },
    samples: s.n,
    seed: o.seed,
    method: o.method ?? 'lhs',
    grades: Boolean(o.grades),
    failed,
    inputs: s.inputs.map((x) => ({
      key: x.key,
      label: x.label,
      kind: x.kind,
      field: x.field,
      clusters: x.clusters,
      unit: x.kind === 'grade' ? '×' : x.unit,
      ...(x.grade ? { grade: x.grade } : {}),
      distribution: x.text,
      p10: inputValue(x, 0.1),
      p50: inputValue(x, 0.5),
      p90: inputValue(x, 0.9),
    })),
    unbanded: s.unbanded,
    correlations: (o.correlations ?? []).map((c) => {
      const a = s.inputs.findIndex((x) => x.key === c.a);
      const b = s.inputs.findIndex((x) => x.key === c.b);
      return {
        ...c,
        achieved: rankCorrelation(s.u.subarray(a * s.n, (a + 1) * s.n), s.u.subarray(b * s.n, (b + 1) * s.n)),
      };
    }),
    clusters: summarise(s.layout, rows),
    sensitivity: {
      output: sens.output,
      cluster: sens.cluster,
      rankCorrelation: rankInputs(s.inputs, s.u, s.n, column(rows, s.layout.width, at)),
      tornado: sens.tornado,
    },
  };
}

/** Options of a Monte Carlo run on one thread. */
export interface MonteCarloOptions extends SamplingOptions, EvaluateOptions {
  /** The output the inputs are ranked on (a finance or annual metric's name; default costPerRackYearCny). */
  output?: string;
  /** The cluster (position) of that output; default 0. */
  cluster?: number;
  tornado?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * A whole Monte Carlo run on this thread: setup, samples, tornado (when asked), report.
 *
 * @example
 * monteCarlo(scenario, ref, { samples: 200, seed: 1 }).clusters[0].finance.npvCny // → { p10, p50, p90, mean, sd, n }
 */
export function monteCarlo(raw: unknown, ref: EngineReference, o: MonteCarloOptions): MonteCarloReport {
  const s = monteCarloSetup(raw, ref, o, o);
  const output = o.output ?? 'costPerRackYearCny';
  const cluster = o.cluster ?? 0;
  outputAt(s.layout, cluster, output); // a bad output fails before the samples run
  const k = s.inputs.length;
  const total = s.n + (o.tornado ? 2 * k + 1 : 0);
  let done = 0;
  const onSample = () => o.onProgress?.(++done, total);
  const all = evaluateRows(s.scenario, ref, s.inputs, s.layout, planRows(s, 0, s.n), { ...o, onSample });
  let tornado: { base: number; bars: TornadoBar[] } | null = null;
  if (o.tornado) {
    const t = evaluateRows(s.scenario, ref, s.inputs, s.layout, tornadoRows(k), { ...o, onSample });
    tornado = tornadoBars(s.inputs, column(t.rows, s.layout.width, outputAt(s.layout, cluster, output)));
  }
  return monteCarloReport(
    s,
    o,
    all.rows,
    { count: all.failed, first: all.firstError },
    { output, cluster, tornado },
  );
}
