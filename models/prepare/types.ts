import type { BuildoutPhase } from '../capacity.ts';
import type { ClimateYear } from '../climate.ts';
import type { CoolingDesign } from '../cooling.ts';
import type { EngineCache } from '../engine-cache.ts';
import type { PowerCurve } from '../powerCurve.ts';
import type { PvParams } from '../pv.ts';
import type { ClusterReference, TargetReference, WorkloadShape } from '../reference.ts';
import type { AssumptionUsed } from '../result.ts';
import type { ClusterScenario, Scenario } from '../scenario.ts';
import type { DispatchPolicy } from '../storage.ts';
import type { WindParams } from '../wind.ts';
import type { Resolved } from './resolve.ts';
import type { PreparedTariff } from './tariff.ts';

export interface PreparedGreen {
  pv: {
    dcKw: Resolved;
    fromYear: number;
    capexCnyPerW: number;
    /** Parameters the scenario gives (orientation, tracking, beam and table overrides); the rest are `PV_TABLE`'s. */
    params: Partial<PvParams>;
  } | null;
  wind: {
    ratedKw: Resolved;
    fromYear: number;
    capexCnyPerW: number;
    /** Parameters the scenario gives (hub height and table overrides); the rest are `WIND_TABLE`'s. */
    params: Partial<WindParams>;
    /** Multiplies the station's wind speed (1 = the station as it is; see `green.wind.resource`). */
    speedScale: number;
  } | null;
  battery: {
    energyKwh: Resolved;
    powerKw: Resolved;
    policy: DispatchPolicy;
    roundTripEfficiency: number;
    depthOfDischarge: number;
    fadePerYear: number;
    fadePerCycle: number;
    capexCnyPerWh: number;
    fromYear: number;
  } | null;
  contracted: {
    share: Resolved | null;
    mwh: Resolved | null;
    premium: Resolved;
    price: Resolved | null;
  } | null;
  certificates: { mwh: Resolved; price: Resolved } | null;
  exportCapKw: Resolved;
  exportPrice: Resolved;
}

export interface PreparedCluster {
  index: number;
  scenario: ClusterScenario;
  ref: ClusterReference;
  climate: ClimateYear;
  climateSource: string;
  phases: BuildoutPhase[];
  occupancy: Resolved;
  serverUtilisation: Resolved;
  shape: WorkloadShape;
  phaseShiftHours: number;
  curve: PowerCurve;
  design: CoolingDesign;
  /** The tariff of every year (months, components, second part, incentive) and the calendar of every month. */
  tariff: PreparedTariff;
  greenShare: Resolved;
  gridFactor: Resolved;
  /** Residual-mix factor of the market-based method, kg/kWh. */
  residualFactor: Resolved;
  gbpsPerStandardRack: Resolved | null;
  peakFactor: Resolved | null;
  outboundCapacityGbps: Resolved | null;
  routeFactor: number;
  finance: {
    capexCnyPerRack: Resolved | null;
    capexCnyPerKwIt: Resolved | null;
    itCapexCnyPerKw: Resolved | null;
    gridConnectionCny: number;
    rentCnyPerRackMonth: Resolved | null;
    otherOpexCnyPerYear: Resolved | null;
    staffCnyPerYear: Resolved | null;
    maintenanceFractionOfCapex: Resolved | null;
    landLeaseCnyPerYear: Resolved | null;
    incentiveAwardCny: number;
    waterPriceCnyPerM3: Resolved | null;
    discountRate: number;
  };
  green: PreparedGreen | null;
  targets: TargetReference[];
  assumptions: AssumptionUsed[];
  warnings: string[];
}

/** Options of preparing a run. */
export interface PrepareOptions {
  /** Replace a cluster's climate (e.g. an imported EPW), by cluster id. */
  weather?: Record<string, ClimateYear>;
  /** Prepare only these clusters (positions in the scenario), to simulate them apart; default all. */
  clusters?: number[];
  /** The caller's engine cache: the wind resource's fits (a climate-only series) are kept there. */
  cache?: EngineCache;
}

/** A scenario checked and resolved against the reference data, ready to simulate. */
export interface PreparedRun {
  scenario: Scenario;
  years: number[];
  clusters: PreparedCluster[];
}
