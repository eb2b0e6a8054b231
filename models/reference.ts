import type { ClimateYear } from './climate.ts';
import type { DemandCentre } from './network.ts';
import type { PowerCurve } from './powerCurve.ts';
import type { TargetDef, TargetSelector } from './targets.ts';
import type { TariffCalendar } from './tariff.ts';
import type { TariffBook } from './tariff-book.ts';

/**
 * The reference data a run reads besides the scenario (clusters, climates, tariffs, curves, targets,
 * sourced defaults). Built once by the caller (server, CLI, browser) from seeds/ or the database; the
 * engine only reads it.
 */

/** A sourced default value the engine may fall back on, reported in the result when used. */
export interface SourcedDefault {
  value: number;
  source: string;
  grade: string;
}

/** A cluster as the engine needs it: plain numbers, already resolved from seeds or the database. */
export interface ClusterReference {
  id: string;
  name: string;
  province: string;
  latDeg: number;
  lonDeg: number;
  hubNode: boolean;
  /** GB 50176 building climate zone (binds zone targets). */
  climateZone: string;
  /** Grid region (regional grid emission factors). */
  gridRegion: string;
  /** Climate id (a key of `EngineReference.climates`). */
  climate: string;
  /**
   * A TOU calendar the cluster is billed on in every year, by id; null: the province's calendars, each
   * in the months it is in force (the seeded clusters). A user-added cluster names one.
   */
  tariffCalendar: string | null;
  /** The provincial coal-fired benchmark price: the energy price where the province has no tariff book. */
  referenceEnergyPrice: SourcedDefault;
  /** Non-residential water price incl. sewage, CNY/m³ (null: none seeded). */
  waterPrice: SourcedDefault | null;
  /** Published grid factors by year (kg/kWh), with their source; the nearest year is held outside. */
  gridFactors: { byYear: Record<string, number>; source: string; grade: string };
  /** The cluster's regional grid and the national average factors (`gridFactorScope`). */
  regionGridFactors?: { byYear: Record<string, number>; source: string; grade: string };
  nationalGridFactors?: { byYear: Record<string, number>; source: string; grade: string };
  /** The national factor excluding market-traded non-fossil power: the residual mix of market-based carbon. */
  residualGridFactors?: { byYear: Record<string, number>; source: string; grade: string };
  outboundCapacityGbps: number | null;
  publishedLatency: Array<{ text: string; source: string; grade: string }>;
}

/** A target as seeded, with the cluster properties that bind it. */
export interface TargetReference extends TargetDef {
  appliesTo: TargetSelector;
  optIn?: boolean;
}

/** A normalised weekly utilisation shape derived from a public trace. */
export interface WorkloadShape {
  id: string;
  label: string;
  /** 168 values, mean 1, index 0 = Sunday 00:00. */
  weekly: number[];
  /** Mean CPU utilisation of the trace (0–1): the default `serverUtilisation`. */
  meanUtilisation: number;
  source: string;
  grade: string;
}

/** A quantitative electricity incentive as seeded (seeds/tariffs/incentives.json). */
export interface IncentiveReference {
  id: string;
  province: string;
  kind: 'delivered-price' | 'discount' | 'cap';
  cnyPerKwh?: number;
  fraction?: number;
  label: string;
  source: string;
  grade: string;
}

/** Everything a run reads besides the scenario. Built once by the caller (server, CLI, browser). */
export interface EngineReference {
  clusters: Record<string, ClusterReference>;
  /** Quantitative incentives a scenario can pick by id (`tariff.incentive: { kind: 'seeded', id }`). */
  incentives?: Record<string, IncentiveReference>;
  climates: Record<string, ClimateYear>;
  tariffCalendars: Record<string, TariffCalendar>;
  /** Each province's tariff book (T&D by period, grid-agency purchase components by date), by province. */
  tariffBooks: Record<string, TariffBook>;
  powerCurves: Record<string, PowerCurve>;
  defaultPowerCurve: string;
  workloadShapes: Record<string, WorkloadShape>;
  defaultWorkloadShape: string;
  targets: TargetReference[];
  gb40879Thresholds: [number, number, number];
  demandCentres: DemandCentre[];
  assumptions: {
    routeFactor: SourcedDefault;
    latencyEquipmentMs: SourcedDefault;
    egressPeakFactor: SourcedDefault;
    discountRate: SourcedDefault;
    /** Default wind full-load hours by province (null: none sourced — the station's wind is used). */
    windFullLoadHoursByProvince?: {
      source: string;
      grade: string;
      provinces: Record<string, number | null>;
    };
  };
  costs: {
    pvCapexCnyPerW: SourcedDefault;
    windCapexCnyPerW: SourcedDefault;
    storageCapexCnyPerWh2h: SourcedDefault;
    storageCapexCnyPerWh4h: SourcedDefault;
    certificatePriceCnyPerMwh: SourcedDefault;
    pvOmFractionPerYear: SourcedDefault;
    windOmFractionPerYear: SourcedDefault;
    storageOmFractionPerYear: SourcedDefault;
    assetLifeYears: SourcedDefault;
    dcBuildUsdPerMwIt: SourcedDefault;
    cnyPerUsd: SourcedDefault;
    dcShellShare: SourcedDefault;
    dcSiteShare: SourcedDefault;
    dcCriticalShare: SourcedDefault;
    dcWhiteSpaceShare: SourcedDefault;
    dcOtherShare: SourcedDefault;
    dcPowerShareOfCritical: SourcedDefault;
    dcLiquidCoolingPremium: SourcedDefault;
    dcMidSpecKwPerRack: SourcedDefault;
    dcMaintenanceFractionOfCapex: SourcedDefault;
    dcStaffPer10Mw: SourcedDefault;
    staffWageCnyPerYear: SourcedDefault;
    staffOnCost: SourcedDefault;
    rentCnyPerKwMonth: SourcedDefault;
    dcFacilityLifeYears: SourcedDefault;
  };
}
