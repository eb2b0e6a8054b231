import type { RunResult } from '../models/result.ts';
import type { FieldError } from '../models/scenario.ts';
import type { ClusterSeed } from '../seeds/schema.ts';

/**
 * What a view draws, so the worker sends only that: `plan` the focused cluster in full and the others'
 * names and defaults; `compare` every cluster's annual rows, finance and context; `overview` the annual
 * rows and latencies; `operator` the annual rows, targets and context; `full` everything.
 */
export type EngineView = 'plan' | 'compare' | 'overview' | 'operator' | 'full';

/** A request to the engine worker: a raw scenario (validated there) and the cluster-year to chart hourly. */
export interface EngineRequest {
  id: number;
  scenario: unknown;
  focus?: { clusterIndex: number; year?: number };
  view?: EngineView;
  extraClusters?: ClusterSeed[];
}

/**
 * The dispatch of every hour of the focus year, kW (Float32 to halve the transfer): facility load and
 * what meets it — PV, wind, battery discharge, contracted green power, other grid import — and where
 * surplus goes (battery charging, export or curtailment), so that
 * pv + wind + discharge + contracted + grid − charge − surplus = load.
 */
export interface DispatchView {
  loadKw: Float32Array;
  pvKw: Float32Array;
  windKw: Float32Array;
  dischargeKw: Float32Array;
  chargeKw: Float32Array;
  contractedKw: Float32Array;
  gridKw: Float32Array;
  surplusKw: Float32Array;
  /** Hour of the year of the highest facility load (the default week is the one that holds it). */
  peakHour: number;
  /** True when the green share is bought on annual energy (no green block): no hourly green supply. */
  annualShareOnly: boolean;
}

/** Energy charge of one month split by TOU period (CNY), with the capacity charge and green premiums. */
export interface MonthlyCost {
  month: number;
  valleyCny: number;
  flatCny: number;
  peakCny: number;
  criticalCny: number;
  capacityCny: number;
  greenPremiumCny: number;
}

/** Hourly views of one cluster-year. */
export interface FocusView {
  clusterIndex: number;
  clusterId: string;
  year: number;
  /** Hourly PUE (NaN where no IT load). */
  pue: Float32Array;
  /** 0 mechanical, 1 partial, 2 free cooling. */
  coolingMode: Uint8Array;
  monthlyCost: MonthlyCost[];
  dispatch: DispatchView;
  calendar: {
    id: string;
    label: string;
    status: string;
    effectiveFrom: string;
    weekday: number[][];
    /** All-in price, CNY/kWh, of the first day of each month, hour by hour (after incentives). */
    pricesByMonthPeriod: number[][];
    incentive: string;
  };
}

export type EngineResponse =
  | {
      id: number;
      ok: true;
      result: RunResult;
      focus: FocusView | null;
      ms: number;
      /** Wall-clock times (ms since the epoch) the worker received the request and posted the answer. */
      receivedAt: number;
      postedAt: number;
      /** Set by the client: a newer request of the same caller is already on its way. */
      superseded?: boolean;
    }
  | { id: number; ok: false; errors: FieldError[] };
