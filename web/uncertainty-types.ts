import type { TornadoBar } from '../models/uncertainty/montecarlo.ts';
import type { ClusterSpread, Spread } from '../models/uncertainty/summary.ts';
import type { ClusterSeed } from '../seeds/schema.ts';

/**
 * Messages between the page and its uncertainty worker (web/uncertainty.worker.ts): a Monte Carlo of
 * a few hundred samples whose summary comes back every few samples, a tornado on a chosen output, and
 * the least-cost green-supply curve of one cluster, point by point.
 */

/** Annual outputs the plan page's fan chart can show (result field names). */
export const FAN_KEYS = [
  'pue',
  'electricityCostCny',
  'greenShare',
  'carbonLocationTco2',
  'facilityEnergyMwh',
  'peakFacilityKw',
  'wueLPerKwh',
] as const;
export type FanKey = (typeof FAN_KEYS)[number];

/** Outputs a tornado and the inputs' ranking can be on (issue 22, point 4). */
export const TORNADO_OUTPUTS = ['costPerRackYearCny', 'npvCny', 'pue', 'greenShare'] as const;
export type TornadoOutput = (typeof TORNADO_OUTPUTS)[number];

/** Green-share targets of the sizing curve. */
export const CURVE_TARGETS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95] as const;

export type UncertaintyRequest =
  | {
      type: 'montecarlo';
      id: number;
      scenario: unknown;
      extraClusters: ClusterSeed[];
      samples: number;
      seed: number;
      grades: boolean;
      /** The cluster (position) whose annual outputs the fan chart shows; null: no fan. */
      fanCluster: number | null;
      /** The tornado's output and cluster (run after the samples). */
      output: TornadoOutput;
      cluster: number;
    }
  | { type: 'tornado'; id: number; output: TornadoOutput; cluster: number }
  | {
      type: 'size';
      id: number;
      scenario: unknown;
      extraClusters: ClusterSeed[];
      cluster: number;
      year: number | null;
      targets: number[];
    };

/** An input of the run as the page lists it. */
export interface InputInfo {
  key: string;
  label: string;
  kind: 'scenario' | 'grade';
  grade?: string;
  distribution: string;
  unit: string;
}

/** Per year of the fan's cluster: each output's spread and the plain run's value. */
export interface FanYear {
  year: number;
  spread: Record<FanKey, Spread | null>;
  plain: Record<FanKey, number | null>;
}

/** The samples so far, summed up. */
export interface MonteCarloProgress {
  type: 'progress';
  id: number;
  done: number;
  total: number;
  failed: number;
  firstError: string | null;
  inputs: InputInfo[];
  clusters: ClusterSpread[];
  /** The plain run's cost per rack-year, NPV and cost rank per cluster (the ranking without uncertainty). */
  plain: Array<{
    name: string;
    clusterId: string;
    costPerRackYearCny: number | null;
    npvCny: number | null;
    rank: number | null;
  }>;
  /** Every sample's NPV and cost per rack-year per cluster so far (histograms and CDFs). */
  values: Array<{ npvCny: number[]; costPerRackYearCny: number[] }>;
  fan: { cluster: number; name: string; years: FanYear[] } | null;
}

/** A tornado and the inputs ranked by rank correlation, on one output of one cluster. */
export interface TornadoAnswer {
  type: 'tornado';
  id: number;
  output: TornadoOutput;
  cluster: number;
  base: number;
  bars: TornadoBar[];
  rankCorrelation: Array<{ key: string; label: string; rho: number }>;
}

/** One point of the sizing curve; `target` null is the cheapest mix without a target. */
export interface SizingPoint {
  target: number | null;
  status: string;
  pvKw: number;
  windKw: number;
  batteryKwh: number;
  batteryKw: number;
  contractedShare: number;
  annualCostCny: number;
  solveMs: number;
  /** The scenario with this mix put into the cluster. */
  scenario: Record<string, unknown>;
}

export type UncertaintyAnswer =
  | MonteCarloProgress
  | TornadoAnswer
  | {
      type: 'size-setup';
      id: number;
      clusterId: string;
      year: number;
      loadMwh: number;
      total: number;
    }
  | ({ type: 'size-point'; id: number; done: number; total: number } & SizingPoint)
  | { type: 'done'; id: number; ms: number }
  | { type: 'error'; id: number; message: string };
