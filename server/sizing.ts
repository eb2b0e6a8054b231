import { performance } from 'node:perf_hooks';
import type { ClimateYear } from '../models/climate.ts';
import type { LpSolver } from '../models/lp.ts';
import type { EngineReference } from '../models/reference.ts';
import { engineCache } from '../models/simulate.ts';
import {
  confirmSizing,
  mixSizes,
  type SizedMix,
  type SizingBounds,
  type SizingConfirmation,
  type SizingTarget,
  sizingSetup,
  solveSizing,
} from '../models/sizing.ts';

/**
 * The sizing report (issue 22, point 6) that `dcplan size` prints and the API's sizing jobs store:
 * the least-cost mix for the target (models/sizing.ts, HiGHS) confirmed by a full simulation, and —
 * with `curve` — the cheapest mix without a target and the trade-off curve (target 0.5–0.95 → cost).
 */

/** The report of `dcplan size --format json`. */
export interface SizeReport {
  scenario: string;
  cluster: number;
  clusterId: string;
  year: number;
  target: SizingTarget;
  status: SizedMix['status'];
  pvKw: number;
  windKw: number;
  batteryKwh: number;
  batteryKw: number;
  contractedShare: number;
  contractedMwh: number;
  /** Green share of the year as re-simulated with the mix. */
  greenShare: number;
  /** With --hourly: the share of hours at or above the level, as re-simulated. */
  hoursShare: number | null;
  /** Whether the re-simulated year meets the target. */
  met: boolean;
  /** The year's electricity cost with the mix (re-simulated) + the mix's capital recovery and O&M, CNY. */
  annualCostCny: number;
  /** The program's own figure of that cost. */
  lpCostCny: number;
  mipGap: number;
  solveMs: number;
  noTarget: {
    pvKw: number;
    windKw: number;
    batteryKwh: number;
    batteryKw: number;
    contractedShare: number;
    annualCostCny: number;
  } | null;
  /** annualCostCny − noTarget.annualCostCny. */
  targetCostCny: number | null;
  curve: Array<{
    target: number;
    status: string;
    annualCostCny: number;
    pvKw: number;
    windKw: number;
    batteryKwh: number;
    contractedShare: number;
  }>;
  /** Why there is no curve (an hourly target). */
  curveNote?: string;
  assumptions: Array<{ field: string; value: number | string; unit?: string; source: string; grade: string }>;
}

/** What a sizing is asked for. */
export interface SizeOptions {
  /** The cluster's position in the scenario. */
  cluster: number;
  year?: number;
  greenShare: number;
  hourlyLevel?: number;
  bounds?: SizingBounds;
  /** Also the cheapest mix without a target and the trade-off curve (an annual target only). */
  curve: boolean;
  /** Seconds per solve before HiGHS stops with its best mix. */
  timeLimitS: number;
  weather?: Record<string, ClimateYear>;
  /** The report's scenario name (default the scenario's own). */
  name?: string;
}

/** Targets of the trade-off curve. */
export const CURVE_TARGETS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

/** How many programs a sizing solves (for progress). */
export function sizePrograms(o: Pick<SizeOptions, 'curve' | 'hourlyLevel'>): number {
  return 1 + (o.curve ? 1 + (o.hourlyLevel === undefined ? CURVE_TARGETS.length : 0) : 0);
}

/**
 * Size one cluster-year: the mix for the target, confirmed by simulation, and with `curve` the mix
 * without a target and the curve. `onStep(done, total)` after each program. Throws `ValidationError`
 * for a bad option and an Error when no mix meets the target within the bounds.
 */
export function sizeReport(
  input: unknown,
  ref: EngineReference,
  o: SizeOptions,
  lp: LpSolver,
  onStep?: (done: number, total: number) => void,
): SizeReport {
  const { weather, hourlyLevel, greenShare } = o;
  const cache = engineCache();
  const setup = sizingSetup(
    input,
    ref,
    { cluster: o.cluster, year: o.year, bounds: o.bounds },
    { weather, cache },
  );
  const target: SizingTarget = hourlyLevel !== undefined ? { greenShare, hourlyLevel } : { greenShare };
  // The curve of an hourly target would be five MILPs a point: only the annual target draws one.
  const curveTargets = o.curve && hourlyLevel === undefined ? CURVE_TARGETS : [];
  const total = sizePrograms(o);
  const curveNote =
    o.curve && hourlyLevel !== undefined
      ? 'no trade-off curve for an hourly target (five MILPs a point): run without --hourly for the annual curve'
      : null;
  let done = 0;
  const step = () => onStep?.(++done, total);
  const solveOpts = { timeLimitS: o.timeLimitS, mipRelGap: 1e-3 };
  const t0 = performance.now();
  const mix = solveSizing(setup, target, lp, solveOpts);
  const solveMs = performance.now() - t0;
  step();
  if (mix.status !== 'optimal' && mix.status !== 'time-limit')
    throw new Error(
      `size: no mix meets the target within the bounds (HiGHS: ${mix.statusText}); raise a bound (--max-contracted-share, --max-pv-kw, …) or lower the target`,
    );
  const confirmed: SizingConfirmation = confirmSizing(setup, mix, target, ref, { weather, cache });
  let noTarget: SizeReport['noTarget'] = null;
  let curve: SizeReport['curve'] = [];
  if (o.curve) {
    const free = solveSizing(setup, null, lp, solveOpts);
    step();
    const freeConfirmed = confirmSizing(setup, free, null, ref, { weather, cache });
    noTarget = { ...mixSizes(free), annualCostCny: freeConfirmed.annualCostCny };
    curve = curveTargets.map((x) => {
      const m = solveSizing(setup, { greenShare: x }, lp, solveOpts);
      step();
      return {
        target: x,
        status: m.status,
        annualCostCny: m.lpCostCny,
        pvKw: m.pvKw,
        windKw: m.windKw,
        batteryKwh: m.batteryKwh,
        contractedShare: m.contractedShare,
      };
    });
  }
  return {
    scenario: o.name ?? setup.scenario.name,
    cluster: o.cluster,
    clusterId: setup.clusterId,
    year: setup.year,
    target,
    status: mix.status,
    ...mixSizes(mix),
    contractedMwh: mix.contractedMwh,
    greenShare: confirmed.greenShare,
    hoursShare: confirmed.hoursShare,
    met: confirmed.met,
    annualCostCny: confirmed.annualCostCny,
    lpCostCny: mix.lpCostCny,
    mipGap: mix.mipGap,
    solveMs,
    noTarget,
    targetCostCny: noTarget ? confirmed.annualCostCny - noTarget.annualCostCny : null,
    curve,
    ...(curveNote ? { curveNote } : {}),
    assumptions: setup.assumptions,
  };
}
