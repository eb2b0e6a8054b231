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
import type { Resolved, SampleValues, UncertainDefault } from './resolve.ts';
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
  /** Fixed one-way latency of equipment and the IP layer, ms. */
  equipmentMs: number;
  finance: {
    /**
     * The facility's capex: one all-in figure per physical rack or per kW of IT (as given), or the build
     * cost model — per kW of IT (split by `shares` into shell, site, power, cooling, back of house) plus
     * a fit-out per physical rack.
     */
    capex:
      | { kind: 'per-rack'; cnyPerRack: Resolved }
      | { kind: 'per-kw'; cnyPerKw: Resolved }
      | { kind: 'build'; cnyPerKw: Resolved; fitOutCnyPerRack: Resolved; shares: Record<BuildPart, number> };
    itCapexCnyPerKw: Resolved | null;
    gridConnectionCny: number;
    /** Rent per occupied physical rack-month, or per occupied kW of IT design power per month. */
    rent: { kind: 'per-rack'; cny: Resolved } | { kind: 'per-kw'; cny: Resolved };
    otherOpexCnyPerYear: Resolved | null;
    /** Staff: an all-in figure per year, or a headcount per 10 MW (or part) × a cost per head. */
    staff:
      | { kind: 'given'; cnyPerYear: Resolved }
      | { kind: 'per-10mw'; heads: Resolved; cnyPerHead: Resolved };
    maintenanceFractionOfCapex: Resolved;
    landLeaseCnyPerYear: Resolved | null;
    incentiveAwardCny: number;
    /** Life of the facility (building, M&E, fit-out) for the salvage value, years. */
    facilityLifeYears: number;
    waterPriceCnyPerM3: Resolved;
    discountRate: number;
  };
  green: PreparedGreen | null;
  targets: TargetReference[];
  assumptions: AssumptionUsed[];
  /** The numeric defaults listed in `assumptions` that a grade band can move (`--grades`). */
  uncertain: UncertainDefault[];
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
  /** A Monte Carlo sample: values of the scenario's distributions and factors on defaults (models/uncertainty/). */
  sample?: SampleValues;
}

/** A scenario checked and resolved against the reference data, ready to simulate. */
export interface PreparedRun {
  scenario: Scenario;
  years: number[];
  clusters: PreparedCluster[];
}

/** The parts of the build cost per kW of IT, in the order the capex breakdown lists them. */
export const BUILD_PARTS = ['shell', 'site', 'power', 'cooling', 'back of house'] as const;
export type BuildPart = (typeof BUILD_PARTS)[number];
