import type { RunResult } from '../models/result.ts';
import type { FieldError } from '../models/scenario.ts';
import type { ClusterSeed } from '../seeds/schema.ts';

/** A request to the engine worker: a raw scenario (validated there) and the cluster-year to chart hourly. */
export interface EngineRequest {
  id: number;
  scenario: unknown;
  focus?: { clusterIndex: number; year?: number };
  extraClusters?: ClusterSeed[];
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
    }
  | { id: number; ok: false; errors: FieldError[] };
