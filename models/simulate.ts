import { DAYS_IN_MONTH, HOURS_PER_YEAR, jan1Weekday } from './calendar.ts';
import { type BuildoutPhase, capacityInYear, itPowerSeries } from './capacity.ts';
import { carbonFromImport } from './carbon.ts';
import type { ClimateYear } from './climate.ts';
import { compareClusters } from './compare.ts';
import { type CoolingProfile, coolingDesign, facilityLoad, prepareCooling } from './cooling.ts';
import { irr, npv, paybackYears } from './finance.ts';
import { type DemandCentre, egressGbps, latencies } from './network.ts';
import { type PowerCurve, powerFractionSeries } from './powerCurve.ts';
import { pvDefaults, pvOutputKw } from './pv.ts';
import { compileQuantity, type Quantity } from './quantity.ts';
import type {
  AnnualRow,
  AssumptionUsed,
  ClusterResult,
  FinanceResult,
  MonthlyRow,
  RunResult,
} from './result.ts';
import {
  type ClusterScenario,
  checkRule,
  type QuantityRule,
  RULES,
  type Scenario,
  ValidationError,
} from './scenario.ts';
import { solarPosition } from './solar.ts';
import {
  BATTERY_TABLE,
  type BatteryParams,
  type DispatchPolicy,
  energyBalance,
  fadedCapacityKwh,
} from './storage.ts';
import { sum } from './sum.ts';
import {
  evaluateTargets,
  gb40879Grade,
  type TargetDef,
  type TargetMetrics,
  type TargetSelector,
  targetApplies,
} from './targets.ts';
import {
  escalationFactor,
  hourlyPeriods,
  hourlyPriceCnyPerKwh,
  monthlyBills,
  type TariffCalendar,
  type TariffInput,
} from './tariff.ts';
import { hourlyUtilisation } from './utilisation.ts';
import { speedScaleForFullLoadHours, windDefaults, windFullLoadHours, windOutputKw } from './wind.ts';

/** Engine version written into every result; bump when a computed number changes (see CHANGELOG). */
export const ENGINE_VERSION = '0.2.0';

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
  tariffCalendar: string;
  referenceEnergyPrice: SourcedDefault;
  /** Published grid factors by year (kg/kWh), with their source; the nearest year is held outside. */
  gridFactors: { byYear: Record<string, number>; source: string; grade: string };
  /** The cluster's regional grid and the national average factors (`gridFactorScope`). */
  regionGridFactors?: { byYear: Record<string, number>; source: string; grade: string };
  nationalGridFactors?: { byYear: Record<string, number>; source: string; grade: string };
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

/** Everything a run reads besides the scenario. Built once by the caller (server, CLI, browser). */
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

export interface EngineReference {
  clusters: Record<string, ClusterReference>;
  /** Quantitative incentives a scenario can pick by id (`tariff.incentive: { kind: 'seeded', id }`). */
  incentives?: Record<string, IncentiveReference>;
  climates: Record<string, ClimateYear>;
  tariffCalendars: Record<string, TariffCalendar>;
  powerCurves: Record<string, PowerCurve>;
  defaultPowerCurve: string;
  workloadShapes: Record<string, WorkloadShape>;
  defaultWorkloadShape: string;
  targets: TargetReference[];
  gb40879Thresholds: [number, number, number];
  demandCentres: DemandCentre[];
  assumptions: {
    routeFactor: SourcedDefault;
    egressPeakFactor: SourcedDefault;
    tdCnyPerKwh: SourcedDefault;
    fundsCnyPerKwh: SourcedDefault;
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
  };
}

/** Options of a run. */
export interface RunOptions {
  /** Replace a cluster's climate (e.g. an imported EPW), by cluster id. */
  weather?: Record<string, ClimateYear>;
  /** Called after each simulated cluster-year with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Keep the hourly series of these cluster-years in the result's `hourly` side channel. */
  keepHourly?: (clusterId: string, year: number) => boolean;
  /**
   * Cooling profiles computed by earlier runs, by climate year and design parameters. A caller that
   * re-runs edited scenarios against the same reference data (the web page's worker) passes one and
   * keeps it; the profile depends only on the climate and the design, so reuse changes no number.
   */
  profileCache?: WeakMap<object, Map<string, CoolingProfile>>;
}

/** Hourly series of one cluster-year, kept when `keepHourly` asks for them. */
export interface HourlySeries {
  clusterId: string;
  year: number;
  itKw: Float64Array;
  facilityKw: Float64Array;
  waterL: Float64Array;
  priceCnyPerKwh: Float64Array;
  coolingMode: Uint8Array;
  tDryC: Float64Array;
  tWetC: Float64Array;
  /** Grid import and green supply (on-site used, green discharge, contracted), kW. */
  gridKw: Float64Array;
  greenKw: Float64Array;
}

type Resolved = (year: number) => number;

/** `prepareCooling`, reusing a profile from the caller's cache when the climate and design match. */
function cachedProfile(
  design: ReturnType<typeof coolingDesign>,
  climate: ClimateYear,
  cache: WeakMap<object, Map<string, CoolingProfile>> | undefined,
): CoolingProfile {
  if (!cache) return prepareCooling(design, climate);
  let byDesign = cache.get(climate);
  if (!byDesign) {
    byDesign = new Map();
    cache.set(climate, byDesign);
  }
  const key = `${design.name}|${JSON.stringify(design.p)}`;
  let profile = byDesign.get(key);
  if (!profile) {
    profile = prepareCooling(design, climate);
    byDesign.set(key, profile);
  }
  return profile;
}

interface GreenAnnual {
  pvMwh: number;
  windMwh: number;
  onsiteGreenMwh: number;
  curtailedMwh: number;
  exportedMwh: number;
  batteryChargeMwh: number;
  batteryDischargeMwh: number;
  batteryCycles: number;
  contractedGreenMwh: number;
  certificatesMwh: number;
  greenEnergyMwh: number;
  importMwh: number;
  hours80: number;
  greenCostCny: number;
  exportRevenueCny: number;
}

interface PreparedGreen {
  pv: {
    dcKw: Resolved;
    fromYear: number;
    capexCnyPerW: number;
    tiltDeg?: number;
    azimuthDeg?: number;
    tracking?: 'fixed' | 'single-axis';
    beam?: 'dni' | 'ghi-dhi';
  } | null;
  wind: {
    ratedKw: Resolved;
    fromYear: number;
    capexCnyPerW: number;
    hubHeightM?: number;
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

interface PreparedCluster {
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
  design: ReturnType<typeof coolingDesign>;
  calendar: TariffCalendar;
  tariffAt: (year: number) => TariffInput;
  greenShare: Resolved;
  gridFactor: Resolved;
  gbpsPerStandardRack: Resolved | null;
  peakFactor: Resolved;
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

/** A scenario checked and resolved against the reference data, ready to simulate. */
export interface PreparedRun {
  scenario: Scenario;
  years: number[];
  clusters: PreparedCluster[];
}

/**
 * Compile a quantity and check its rule in every simulated year, so a bad value fails before the run
 * starts with `clusters[0].occupancy: must be ≤ 1 (in 2027)`.
 */
function resolve(input: unknown, rule: QuantityRule, path: string, years: number[]): Resolved {
  // `path.2025: rule` (a schedule entry) keeps its own path; the rest is said once, after the path.
  const fieldError = (e: unknown) => {
    const msg = (e as Error).message;
    const sub = msg.startsWith(`${path}.`) ? /^([^:]*): (.*)$/s.exec(msg) : null;
    if (sub) return new ValidationError([{ path: sub[1], message: sub[2] }]);
    return new ValidationError([{ path, message: msg.replace(`${path}: `, '') }]);
  };
  let qty: Quantity;
  try {
    qty = compileQuantity(input as never, rule.unit === 'rack' ? '' : rule.unit, path);
  } catch (e) {
    throw fieldError(e);
  }
  for (const y of years) {
    let v: number;
    try {
      v = qty.at(y);
    } catch (e) {
      throw fieldError(e);
    }
    const problem = checkRule(v, rule);
    if (problem)
      throw new ValidationError([{ path, message: qty.constant ? problem : `${problem} (in ${y})` }]);
  }
  if (qty.constant) {
    const v = qty.at(years[0]);
    return () => v;
  }
  const cache = new Map<number, number>();
  for (const y of years) cache.set(y, qty.at(y));
  return (y) => cache.get(y) ?? qty.at(y);
}

function resolveConstant(input: unknown, rule: QuantityRule, path: string): number {
  return resolve(input, rule, path, [0])(0);
}

function nearestYearValue(byYear: Record<string, number>, year: number): { value: number; exact: boolean } {
  const ys = Object.keys(byYear)
    .map(Number)
    .sort((a, b) => a - b);
  if (byYear[String(year)] !== undefined) return { value: byYear[String(year)], exact: true };
  const y = year < ys[0] ? ys[0] : ys.filter((v) => v <= year).pop()!;
  return { value: byYear[String(y)], exact: false };
}

/** `rec[key]` only when `key` is the record's own key (never `toString`, `__proto__`… from the prototype). */
function own<T>(rec: Record<string, T> | undefined, key: string): T | undefined {
  return rec !== undefined && Object.hasOwn(rec, key) ? rec[key] : undefined;
}

function unknownRef(path: string, kind: string, id: string, known: Record<string, unknown>): ValidationError {
  const list = Object.keys(known).sort().join(', ');
  return new ValidationError([{ path, message: `unknown ${kind} "${id}" (known: ${list})` }]);
}

function prepareGreen(
  cs: ClusterScenario,
  p: string,
  years: number[],
  ref: EngineReference,
  assumptions: AssumptionUsed[],
): PreparedGreen | null {
  const g = cs.green;
  if (!g) return null;
  const gp = `${p}.green`;
  const start = years[0];
  const cost = (
    given: unknown,
    rule: QuantityRule,
    path: string,
    def: SourcedDefault,
    field: string,
  ): number => {
    if (given !== undefined) return resolveConstant(given, rule, path);
    assumptions.push({ field, value: def.value, source: def.source, grade: def.grade });
    return def.value;
  };
  const c = ref.costs;
  const pv = g.pv
    ? {
        dcKw: resolve(g.pv.dcKw, RULES.pvDcKw, `${gp}.pv.dcKw`, years),
        fromYear: g.pv.fromYear ?? start,
        capexCnyPerW: cost(
          g.pv.capexCnyPerW,
          RULES.capexCnyPerW,
          `${gp}.pv.capexCnyPerW`,
          c.pvCapexCnyPerW,
          'green.pv.capexCnyPerW',
        ),
        tiltDeg: g.pv.tiltDeg,
        azimuthDeg: g.pv.azimuthDeg,
        tracking: g.pv.tracking,
        beam: g.pv.beam,
      }
    : null;
  const wind = g.wind
    ? {
        ratedKw: resolve(g.wind.ratedKw, RULES.windKw, `${gp}.wind.ratedKw`, years),
        fromYear: g.wind.fromYear ?? start,
        capexCnyPerW: cost(
          g.wind.capexCnyPerW,
          RULES.capexCnyPerW,
          `${gp}.wind.capexCnyPerW`,
          c.windCapexCnyPerW,
          'green.wind.capexCnyPerW',
        ),
        hubHeightM: g.wind.hubHeightM,
        speedScale: 1,
      }
    : null;
  let battery: PreparedGreen['battery'] = null;
  if (g.battery) {
    const b = g.battery;
    const energyKwh = resolve(b.energyKwh, RULES.batteryKwh, `${gp}.battery.energyKwh`, years);
    const powerKw = resolve(b.powerKw, RULES.batteryKw, `${gp}.battery.powerKw`, years);
    const hours = powerKw(start) > 0 ? energyKwh(start) / powerKw(start) : 2;
    const def = hours >= 3 ? c.storageCapexCnyPerWh4h : c.storageCapexCnyPerWh2h;
    const dflt = (k: keyof typeof BATTERY_TABLE, v: number | undefined) => {
      if (v !== undefined) return v;
      const row = BATTERY_TABLE[k];
      assumptions.push({
        field: `green.battery.${String(k)}`,
        value: row.value,
        source: row.source,
        grade: row.grade,
      });
      return row.value;
    };
    battery = {
      energyKwh,
      powerKw,
      policy: b.policy,
      roundTripEfficiency: dflt('roundTripEfficiency', b.roundTripEfficiency),
      depthOfDischarge: dflt('depthOfDischarge', b.depthOfDischarge),
      fadePerYear: dflt('fadePerYear', b.fadePerYear),
      fadePerCycle: dflt('fadePerCycle', b.fadePerCycle),
      capexCnyPerWh: cost(
        b.capexCnyPerWh,
        RULES.capexCnyPerWh,
        `${gp}.battery.capexCnyPerWh`,
        def,
        'green.battery.capexCnyPerWh',
      ),
      fromYear: b.fromYear ?? start,
    };
  }
  const ct = g.contracted;
  const contracted = ct
    ? {
        share:
          ct.share !== undefined
            ? resolve(ct.share, RULES.greenShare, `${gp}.contracted.share`, years)
            : null,
        mwh:
          ct.mwh !== undefined ? resolve(ct.mwh, RULES.contractedMwh, `${gp}.contracted.mwh`, years) : null,
        premium:
          ct.premiumCnyPerMwh !== undefined
            ? resolve(ct.premiumCnyPerMwh, RULES.premium, `${gp}.contracted.premiumCnyPerMwh`, years)
            : () => 0,
        price:
          ct.priceCnyPerMwh !== undefined
            ? resolve(
                ct.priceCnyPerMwh,
                { ...RULES.certificatePrice, max: 10000 },
                `${gp}.contracted.priceCnyPerMwh`,
                years,
              )
            : null,
      }
    : null;
  let certificates: PreparedGreen['certificates'] = null;
  if (g.certificates) {
    const price =
      g.certificates.priceCnyPerMwh !== undefined
        ? resolve(
            g.certificates.priceCnyPerMwh,
            RULES.certificatePrice,
            `${gp}.certificates.priceCnyPerMwh`,
            years,
          )
        : (() => {
            const d = c.certificatePriceCnyPerMwh;
            assumptions.push({
              field: 'green.certificates.priceCnyPerMwh',
              value: d.value,
              source: d.source,
              grade: d.grade,
            });
            return () => d.value;
          })();
    certificates = {
      mwh: resolve(g.certificates.mwh, RULES.certificatesMwh, `${gp}.certificates.mwh`, years),
      price,
    };
  }
  return {
    pv,
    wind,
    battery,
    contracted,
    certificates,
    exportCapKw:
      g.exportCapKw !== undefined
        ? resolve(g.exportCapKw, RULES.exportCapKw, `${gp}.exportCapKw`, years)
        : () => 0,
    exportPrice:
      g.exportPriceCnyPerKwh !== undefined
        ? resolve(g.exportPriceCnyPerKwh, RULES.exportPrice, `${gp}.exportPriceCnyPerKwh`, years)
        : () => 0,
  };
}

/**
 * The wind resource (issue 8): the station's 10 m wind as it is, or its hourly shape scaled (through the
 * wind speed) to a full-load-hours figure — the scenario's, else a sourced provincial default (none is
 * seeded: provincial figures are NOT FOUND). The choice goes into the result's assumptions.
 */
function prepareWindResource(
  cs: ClusterScenario,
  p: string,
  cref: ClusterReference,
  climate: ClimateYear,
  ref: EngineReference,
  wind: NonNullable<PreparedGreen['wind']>,
  assumptions: AssumptionUsed[],
  warnings: string[],
): void {
  const given = cs.green?.wind?.resource;
  const params = windDefaults(1, wind.hubHeightM !== undefined ? { hubHeightM: wind.hubHeightM } : {});
  const stationHours = windFullLoadHours(climate.windMps, climate.pressurePa, climate.tDryC, params);
  const provincial = ref.assumptions.windFullLoadHoursByProvince;
  const provDefault = provincial?.provinces[cref.province] ?? null;
  let target: { hours: number; source: string; grade: string; path: string } | null = null;
  if (given && given !== 'station')
    target = {
      hours: given.fullLoadHours,
      source: given.source,
      grade: 'input',
      path: `${p}.green.wind.resource.fullLoadHours`,
    };
  else if (given === undefined && provDefault !== null && provincial)
    target = {
      hours: provDefault,
      source: provincial.source,
      grade: provincial.grade,
      path: `${p}.green.wind.resource`,
    };
  const cf = (h: number) => `${((h / HOURS_PER_YEAR) * 100).toFixed(2)} % capacity factor`;
  if (!target) {
    assumptions.push({
      field: 'green.wind.resource',
      value: `station 10 m wind (${climate.source}): ${Math.round(stationHours)} full-load h, ${cf(stationHours)}`,
      source:
        given === 'station' ? 'scenario choice' : (provincial?.source ?? 'no provincial default seeded'),
      grade: given === 'station' ? 'input' : (provincial?.grade ?? 'NOT FOUND'),
    });
    if (given === undefined)
      warnings.push(
        `green.wind: the station's 10 m wind gives ${Math.round(stationHours)} full-load h (${cf(stationHours)}) — a weather station is not a wind-farm site; provincial wind full-load hours are NOT FOUND in the references: give green.wind.resource { fullLoadHours, source }`,
      );
    return;
  }
  const fit = speedScaleForFullLoadHours(
    climate.windMps,
    climate.pressurePa,
    climate.tDryC,
    params,
    target.hours,
  );
  if (fit.scale === null)
    throw new ValidationError([
      {
        path: target.path,
        message: `the station's wind (${climate.source}) cannot give ${target.hours} full-load h with its calm hours (at most ${Math.round(fit.maxHours)} h); import a site EPW instead`,
      },
    ]);
  wind.speedScale = fit.scale;
  assumptions.push({
    field: 'green.wind.resource',
    value: `${target.hours} full-load h (${cf(target.hours)}): the station's hourly wind × ${fit.scale.toFixed(3)} (station alone: ${Math.round(stationHours)} h)`,
    source: target.source,
    grade: target.grade,
  });
}

function prepareCluster(
  cs: ClusterScenario,
  index: number,
  years: number[],
  ref: EngineReference,
  opts: RunOptions,
): PreparedCluster {
  const p = `clusters[${index}]`;
  const cref = own(ref.clusters, cs.cluster);
  if (!cref) throw unknownRef(`${p}.cluster`, 'cluster', cs.cluster, ref.clusters);
  const assumptions: AssumptionUsed[] = [];
  const warnings: string[] = [];

  const climate = own(opts.weather, cs.cluster) ?? own(ref.climates, cref.climate);
  if (!climate)
    throw new ValidationError([{ path: `${p}.cluster`, message: `no climate "${cref.climate}"` }]);

  const phases: BuildoutPhase[] = cs.buildout.map((ph, i) => {
    const pp = `${p}.buildout[${i}]`;
    const kwPerRack =
      ph.kwPerRack !== undefined ? resolveConstant(ph.kwPerRack, RULES.kwPerRack, `${pp}.kwPerRack`) : 2.5;
    let racks: number;
    if (ph.racks !== undefined) racks = resolveConstant(ph.racks, RULES.racks, `${pp}.racks`);
    else if (ph.standardRacks !== undefined) {
      const std = resolveConstant(ph.standardRacks, RULES.standardRacks, `${pp}.standardRacks`);
      racks = (std * 2.5) / kwPerRack;
    } else {
      const kw = resolveConstant(ph.itPowerKw, RULES.itPowerKw, `${pp}.itPowerKw`);
      racks = kw / kwPerRack;
    }
    return { year: ph.year, racks, kwPerRack, retireYear: ph.retireYear };
  });

  const shapeId = cs.workloadShape ?? ref.defaultWorkloadShape;
  const shape = own(ref.workloadShapes, shapeId);
  if (!shape) throw unknownRef(`${p}.workloadShape`, 'workloadShape', shapeId, ref.workloadShapes);
  let serverUtilisation: Resolved;
  if (cs.serverUtilisation !== undefined) {
    serverUtilisation = resolve(
      cs.serverUtilisation,
      RULES.serverUtilisation,
      `${p}.serverUtilisation`,
      years,
    );
  } else {
    const u = shape.meanUtilisation;
    serverUtilisation = () => u;
    assumptions.push({ field: 'serverUtilisation', value: u, source: shape.source, grade: shape.grade });
  }

  const curveId = cs.powerCurve ?? ref.defaultPowerCurve;
  const curve = own(ref.powerCurves, curveId);
  if (!curve) throw unknownRef(`${p}.powerCurve`, 'powerCurve', curveId, ref.powerCurves);

  let design: ReturnType<typeof coolingDesign>;
  try {
    design = coolingDesign(cs.cooling.design, cs.cooling.overrides, cs.cooling.facilityClass);
  } catch (e) {
    // `cooling.overrides.x: rule` names its own field; anything else is about the design.
    const m = /^cooling\.overrides(\.[^:]*)?: (.*)$/.exec((e as Error).message);
    if (m) throw new ValidationError([{ path: `${p}.cooling.overrides${m[1] ?? ''}`, message: m[2] }]);
    throw new ValidationError([{ path: `${p}.cooling.design`, message: (e as Error).message }]);
  }

  const t = cs.tariff ?? {};
  const calendarId = t.calendar ?? cref.tariffCalendar;
  const calendar = own(ref.tariffCalendars, calendarId);
  if (!calendar) throw unknownRef(`${p}.tariff.calendar`, 'tariff calendar', calendarId, ref.tariffCalendars);
  const tp = `${p}.tariff`;
  if (calendar.status === 'draft') {
    warnings.push(
      `tariff calendar ${calendar.id} is a consultation DRAFT (${calendar.label}); the final text is NOT FOUND`,
    );
  } else if (calendar.status === 'superseded') {
    warnings.push(`tariff calendar ${calendar.id} has been superseded (${calendar.label})`);
  }
  let energyPrice: Resolved;
  if (t.energyPriceCnyPerKwh !== undefined) {
    energyPrice = resolve(t.energyPriceCnyPerKwh, RULES.energyPrice, `${tp}.energyPriceCnyPerKwh`, years);
  } else {
    const v = cref.referenceEnergyPrice.value;
    energyPrice = () => v;
    assumptions.push({
      field: 'tariff.energyPriceCnyPerKwh',
      value: v,
      source: cref.referenceEnergyPrice.source,
      grade: cref.referenceEnergyPrice.grade,
    });
  }
  const fallback = (field: 'tdCnyPerKwh' | 'fundsCnyPerKwh', rule: QuantityRule): Resolved => {
    const given = t[field];
    if (given !== undefined) return resolve(given, rule, `${tp}.${field}`, years);
    const a = ref.assumptions[field];
    assumptions.push({ field: `tariff.${field}`, value: a.value, source: a.source, grade: a.grade });
    warnings.push(`tariff.${field} not given: counted as ${a.value} CNY/kWh (${a.source})`);
    return () => a.value;
  };
  const td = fallback('tdCnyPerKwh', RULES.tdPrice);
  const funds = fallback('fundsCnyPerKwh', RULES.funds);
  const twoPart = t.twoPart ?? { kind: 'none' as const };
  let twoPartAt: (y: number, designItKw: number) => TariffInput['twoPart'];
  if (twoPart.kind === 'capacity') {
    const rate = resolve(twoPart.cnyPerKvaMonth, RULES.capacityCharge, `${tp}.twoPart.cnyPerKvaMonth`, years);
    if (twoPart.kva === undefined && twoPart.kvaPerItKw === undefined) {
      throw new ValidationError([{ path: `${tp}.twoPart.kva`, message: 'give kva or kvaPerItKw' }]);
    }
    const kva =
      twoPart.kva !== undefined ? resolve(twoPart.kva, RULES.kva, `${tp}.twoPart.kva`, years) : null;
    const perKw =
      twoPart.kvaPerItKw !== undefined
        ? resolve(twoPart.kvaPerItKw, RULES.kvaPerItKw, `${tp}.twoPart.kvaPerItKw`, years)
        : null;
    twoPartAt = (y, designItKw) => ({
      kind: 'capacity',
      cnyPerKvaMonth: rate(y),
      kva: kva ? kva(y) : perKw!(y) * designItKw,
    });
  } else if (twoPart.kind === 'demand') {
    const rate = resolve(twoPart.cnyPerKwMonth, RULES.demandCharge, `${tp}.twoPart.cnyPerKwMonth`, years);
    twoPartAt = (y) => ({ kind: 'demand', cnyPerKwMonth: rate(y) });
  } else {
    twoPartAt = () => ({ kind: 'none' });
  }
  let inc = t.incentive ?? { kind: 'none' as const };
  if (inc.kind === 'seeded') {
    const s = ref.incentives?.[inc.id];
    if (!s) throw unknownRef(`${tp}.incentive.id`, 'incentive', inc.id, ref.incentives ?? {});
    if (s.province !== 'all' && s.province !== cref.province)
      throw new ValidationError([
        {
          path: `${tp}.incentive.id`,
          message: `incentive "${inc.id}" is for ${s.province}, not ${cref.province}`,
        },
      ]);
    assumptions.push({
      field: 'tariff.incentive',
      value: `${s.kind} ${s.kind === 'discount' ? s.fraction : s.cnyPerKwh}`,
      source: `${s.label} — ${s.source}`,
      grade: s.grade,
    });
    inc =
      s.kind === 'discount'
        ? { kind: 'discount' as const, fraction: s.fraction! }
        : { kind: s.kind, cnyPerKwh: s.cnyPerKwh! };
  }
  let incentiveAt: (y: number) => TariffInput['incentive'];
  if (inc.kind === 'delivered-price' || inc.kind === 'cap') {
    const v = resolve(inc.cnyPerKwh, RULES.deliveredPrice, `${tp}.incentive.cnyPerKwh`, years);
    const kind = inc.kind;
    incentiveAt = (y) => ({ kind, cnyPerKwh: v(y) });
  } else if (inc.kind === 'discount') {
    const v = resolve(inc.fraction, RULES.discount, `${tp}.incentive.fraction`, years);
    incentiveAt = (y) => ({ kind: 'discount', fraction: v(y) });
  } else {
    incentiveAt = () => ({ kind: 'none' });
  }
  const touAppliesTo = t.touAppliesTo ?? 'energy';
  const escalation = t.escalation ?? { kind: 'none' as const };
  const tariffAt = (y: number): TariffInput => ({
    calendar,
    energyPriceCnyPerKwh: energyPrice(y) * escalationFactor(escalation, y),
    tdCnyPerKwh: td(y),
    fundsCnyPerKwh: funds(y),
    touAppliesTo,
    twoPart: twoPartAt(y, capacityInYear(phases, y).designItKw),
    incentive: incentiveAt(y),
  });

  const greenShare =
    cs.greenShare !== undefined
      ? resolve(cs.greenShare, RULES.greenShare, `${p}.greenShare`, years)
      : () => 0;

  let gridFactor: Resolved;
  if (cs.gridFactorKgPerKwh !== undefined) {
    gridFactor = resolve(cs.gridFactorKgPerKwh, RULES.gridFactor, `${p}.gridFactorKgPerKwh`, years);
  } else {
    const scope = cs.gridFactorScope ?? 'province';
    const factors =
      scope === 'region'
        ? cref.regionGridFactors
        : scope === 'national'
          ? cref.nationalGridFactors
          : cref.gridFactors;
    if (!factors)
      throw new ValidationError([
        { path: `${p}.gridFactorScope`, message: `no ${scope} grid factors seeded for ${cref.id}` },
      ]);
    const what =
      scope === 'province'
        ? `${cref.province} provincial`
        : scope === 'region'
          ? `${cref.gridRegion} regional grid`
          : 'national average';
    const held = years.filter((y) => !nearestYearValue(factors.byYear, y).exact);
    if (held.length) {
      warnings.push(
        `gridFactorKgPerKwh: no published ${what} factor for ${held[0]}${held.length > 1 ? `–${held[held.length - 1]}` : ''}; the nearest published year is held (${factors.source})`,
      );
    }
    assumptions.push({
      field: 'gridFactorKgPerKwh',
      value: `${what} factor by year`,
      source: factors.source,
      grade: factors.grade,
    });
    gridFactor = (y) => nearestYearValue(factors.byYear, y).value;
  }

  const net = cs.network ?? {};
  const np = `${p}.network`;
  const gbpsPerStandardRack =
    net.gbpsPerStandardRack !== undefined
      ? resolve(net.gbpsPerStandardRack, RULES.gbpsPerStandardRack, `${np}.gbpsPerStandardRack`, years)
      : null;
  let peakFactor: Resolved;
  if (net.peakFactor !== undefined)
    peakFactor = resolve(net.peakFactor, RULES.peakFactor, `${np}.peakFactor`, years);
  else {
    const a = ref.assumptions.egressPeakFactor;
    peakFactor = () => a.value;
    if (gbpsPerStandardRack) {
      assumptions.push({ field: 'network.peakFactor', value: a.value, source: a.source, grade: a.grade });
    }
  }
  const outboundCapacityGbps =
    net.outboundCapacityGbps !== undefined
      ? resolve(net.outboundCapacityGbps, RULES.outboundCapacityGbps, `${np}.outboundCapacityGbps`, years)
      : cref.outboundCapacityGbps !== null
        ? (
            (v: number) => () =>
              v
          )(cref.outboundCapacityGbps)
        : null;
  let routeFactor: number;
  if (net.routeFactor !== undefined) {
    routeFactor = resolveConstant(net.routeFactor, RULES.routeFactor, `${np}.routeFactor`);
  } else {
    const a = ref.assumptions.routeFactor;
    routeFactor = a.value;
    assumptions.push({ field: 'network.routeFactor', value: a.value, source: a.source, grade: a.grade });
  }

  const fin = cs.finance ?? {};
  const fp = `${p}.finance`;
  const opt = (v: unknown, rule: QuantityRule, field: string): Resolved | null =>
    v === undefined ? null : resolve(v, rule, `${fp}.${field}`, years);
  let discountRate: number;
  if (fin.discountRate !== undefined) discountRate = fin.discountRate;
  else {
    const a = ref.assumptions.discountRate;
    discountRate = a.value;
    assumptions.push({ field: 'finance.discountRate', value: a.value, source: a.source, grade: a.grade });
  }

  const green = prepareGreen(cs, p, years, ref, assumptions);
  if (green?.wind && cs.green?.wind)
    prepareWindResource(cs, p, cref, climate, ref, green.wind, assumptions, warnings);

  const include = new Set(cs.targets?.include ?? []);
  const exclude = new Set(cs.targets?.exclude ?? []);
  const known = new Set(ref.targets.map((x) => x.id));
  for (const id of [...include, ...exclude]) {
    if (!known.has(id))
      throw new ValidationError([{ path: `${p}.targets`, message: `unknown target "${id}"` }]);
  }
  const targets = ref.targets.filter((x) => {
    if (exclude.has(x.id)) return false;
    if (include.has(x.id)) return true;
    const applies = targetApplies(x.appliesTo, cref);
    return applies && !x.optIn;
  });

  const prepared: PreparedCluster = {
    index,
    scenario: cs,
    ref: cref,
    climate,
    climateSource: own(opts.weather, cs.cluster) ? `imported: ${climate.source}` : climate.source,
    phases,
    occupancy: resolve(cs.occupancy, RULES.occupancy, `${p}.occupancy`, years),
    serverUtilisation,
    shape,
    phaseShiftHours: cs.workloadPhaseShiftHours ?? 0,
    curve,
    design,
    calendar,
    tariffAt,
    greenShare,
    gridFactor,
    gbpsPerStandardRack,
    peakFactor,
    outboundCapacityGbps,
    routeFactor,
    finance: {
      capexCnyPerRack: opt(fin.capexCnyPerRack, RULES.capexCnyPerRack, 'capexCnyPerRack'),
      capexCnyPerKwIt: opt(fin.capexCnyPerKwIt, RULES.capexCnyPerKwIt, 'capexCnyPerKwIt'),
      itCapexCnyPerKw: opt(fin.itCapexCnyPerKw, RULES.itCapexCnyPerKw, 'itCapexCnyPerKw'),
      gridConnectionCny:
        fin.gridConnectionCny === undefined
          ? 0
          : resolveConstant(fin.gridConnectionCny, RULES.cny, `${fp}.gridConnectionCny`),
      rentCnyPerRackMonth: opt(fin.rentCnyPerRackMonth, RULES.rentCnyPerRackMonth, 'rentCnyPerRackMonth'),
      otherOpexCnyPerYear: opt(fin.otherOpexCnyPerYear, RULES.opexCnyPerYear, 'otherOpexCnyPerYear'),
      staffCnyPerYear: opt(fin.staffCnyPerYear, RULES.cnyPerYear, 'staffCnyPerYear'),
      maintenanceFractionOfCapex: opt(
        fin.maintenanceFractionOfCapex,
        RULES.fraction,
        'maintenanceFractionOfCapex',
      ),
      landLeaseCnyPerYear: opt(fin.landLeaseCnyPerYear, RULES.cnyPerYear, 'landLeaseCnyPerYear'),
      incentiveAwardCny:
        fin.incentiveAwardCny === undefined
          ? 0
          : resolveConstant(fin.incentiveAwardCny, RULES.cny, `${fp}.incentiveAwardCny`),
      waterPriceCnyPerM3: opt(fin.waterPriceCnyPerM3, RULES.waterPrice, 'waterPriceCnyPerM3'),
      discountRate,
    },
    green,
    targets,
    assumptions,
    warnings,
  };
  return prepared;
}

/**
 * Check a parsed scenario against the reference data and resolve every quantity for every year.
 * Throws `ValidationError` (`clusters[1].cluster: unknown cluster "x" (known: …)`) before any work.
 */
export function prepareRun(scenario: Scenario, ref: EngineReference, opts: RunOptions = {}): PreparedRun {
  const years = Array.from({ length: scenario.years }, (_, i) => scenario.startYear + i);
  const clusters = scenario.clusters.map((cs, i) => prepareCluster(cs, i, years, ref, opts));
  return { scenario, years, clusters };
}

/** Month index boundaries (hour offsets) of a 365-day year. */
const MONTH_START_HOUR: number[] = (() => {
  const out = [0];
  for (let m = 0; m < 12; m++) out.push(out[m] + DAYS_IN_MONTH[m] * 24);
  return out;
})();

function peak(values: Float64Array, start = 0, end = values.length): number {
  let m = 0;
  for (let i = start; i < end; i++) if (values[i] > m) m = values[i];
  return m;
}

/**
 * The energy component of each hour's price (what a contracted energy price replaces): the all-in
 * price less the same tariff with a zero energy price (T&D, funds, and T&D × ratio where TOU applies to
 * it). Under a delivered price the energy component is the delivered price less T&D and funds.
 *
 * @example
 * // energy 0.30 × ratio + T&D 0.10 → 0.30 × ratio in every hour
 */
function energyComponentCnyPerKwh(
  tariff: TariffInput,
  year: number,
  prices: Float64Array,
  periods: Uint8Array,
): Float64Array {
  const out = new Float64Array(HOURS_PER_YEAR);
  if (tariff.incentive.kind === 'delivered-price') {
    out.fill(Math.max(0, tariff.incentive.cnyPerKwh - tariff.tdCnyPerKwh - tariff.fundsCnyPerKwh));
    return out;
  }
  const rest = hourlyPriceCnyPerKwh({ ...tariff, energyPriceCnyPerKwh: 0 }, year, periods);
  for (let h = 0; h < HOURS_PER_YEAR; h++) out[h] = Math.max(0, prices[h] - rest[h]);
  return out;
}

function simulateCluster(
  pc: PreparedCluster,
  years: number[],
  ref: EngineReference,
  opts: RunOptions,
  progress: () => void,
  hourlyOut: HourlySeries[],
): ClusterResult {
  const profile = cachedProfile(pc.design, pc.climate, opts.profileCache);
  const itKw = new Float64Array(HOURS_PER_YEAR);
  const fractions = new Float64Array(HOURS_PER_YEAR);
  const facilityKw = new Float64Array(HOURS_PER_YEAR);
  const waterL = new Float64Array(HOURS_PER_YEAR);
  const out = { facilityKw, waterL };
  // Utilisation → power fraction depends only on (mean utilisation, weekday of 1 January): cache it.
  const fractionCache = new Map<string, Float64Array>();
  const priceCache = new Map<string, Float64Array>();
  const periodCache = new Map<number, Uint8Array>();

  // On-site renewables: output per kW of capacity depends only on the climate and the array → once.
  const g = pc.green;
  const site = pc.climate.site;
  const pvUnit = g?.pv
    ? pvOutputKw(
        solarPosition(site.latDeg, site.lonDeg, site.utcOffsetHours),
        pc.climate,
        pvDefaults(site.latDeg, 1, {
          ...(g.pv.tiltDeg !== undefined ? { tiltDeg: g.pv.tiltDeg } : {}),
          ...(g.pv.azimuthDeg !== undefined ? { azimuthDeg: g.pv.azimuthDeg } : {}),
          ...(g.pv.tracking ? { tracking: g.pv.tracking } : {}),
          ...(g.pv.beam ? { beam: g.pv.beam } : {}),
        }),
      )
    : null;
  const windUnit = g?.wind
    ? windOutputKw(
        pc.climate.windMps,
        pc.climate.pressurePa,
        pc.climate.tDryC,
        windDefaults(1, {
          ...(g.wind.hubHeightM !== undefined ? { hubHeightM: g.wind.hubHeightM } : {}),
          speedScale: g.wind.speedScale,
        }),
      )
    : null;
  const onsite = pvUnit || windUnit ? new Float64Array(HOURS_PER_YEAR) : null;
  let soc = 0;
  let socGreen = 0;
  let cumCycles = 0;
  let greenProfile: ClusterResult['greenProfile'] = null;

  const annual: AnnualRow[] = [];
  const monthly: MonthlyRow[] = [];
  const metrics: TargetMetrics[] = [];

  for (const year of years) {
    const cap = capacityInYear(pc.phases, year);
    const occupancy = pc.occupancy(year);
    const util = pc.serverUtilisation(year);
    const fKey = `${util}|${jan1Weekday(year)}`;
    let frac = fractionCache.get(fKey);
    if (!frac) {
      const u = hourlyUtilisation(pc.shape.weekly, util, year, { phaseShiftHours: pc.phaseShiftHours });
      frac = powerFractionSeries(pc.curve, u, new Float64Array(HOURS_PER_YEAR));
      fractionCache.set(fKey, frac);
    }
    fractions.set(frac);
    itPowerSeries(cap.designItKw, occupancy, fractions, itKw);
    // Halls, plant and lighting are built for the racks in service; modular UPS capacity is energised
    // for the occupied racks, never below its stated minimum share (docs/models/cooling.md).
    const energised = cap.designItKw * Math.max(occupancy, pc.design.p.upsMinEnergisedFraction);
    const fs = facilityLoad(
      itKw,
      { installedItKw: cap.designItKw, energisedItKw: energised },
      pc.design,
      profile,
      out,
    );

    const tariff = pc.tariffAt(year);
    const pKey = `${jan1Weekday(year)}|${tariff.energyPriceCnyPerKwh}|${tariff.tdCnyPerKwh}|${tariff.fundsCnyPerKwh}|${JSON.stringify(tariff.incentive)}`;
    let prices = priceCache.get(pKey);
    if (!prices) {
      prices = hourlyPriceCnyPerKwh(tariff, year);
      priceCache.set(pKey, prices);
    }
    const wKey = jan1Weekday(year);
    let periods = periodCache.get(wKey);
    if (!periods) {
      periods = hourlyPeriods(pc.calendar, year);
      periodCache.set(wKey, periods);
    }
    const itEnergyMwh = fs.itEnergyKwh / 1000;
    const facilityEnergyMwh = fs.facilityEnergyKwh / 1000;
    const gridFactor = pc.gridFactor(year);

    // Energy balance with on-site renewables, battery and contracted green power.
    let billKw: Float64Array = facilityKw;
    let greenKw: Float64Array | null = null;
    const ga: GreenAnnual = {
      pvMwh: 0,
      windMwh: 0,
      onsiteGreenMwh: 0,
      curtailedMwh: 0,
      exportedMwh: 0,
      batteryChargeMwh: 0,
      batteryDischargeMwh: 0,
      batteryCycles: 0,
      contractedGreenMwh: 0,
      certificatesMwh: 0,
      greenEnergyMwh: 0,
      importMwh: facilityEnergyMwh,
      hours80: 0,
      greenCostCny: 0,
      exportRevenueCny: 0,
    };
    if (g) {
      const pvKw = g.pv && year >= g.pv.fromYear ? g.pv.dcKw(year) : 0;
      const windKw = g.wind && year >= g.wind.fromYear ? g.wind.ratedKw(year) : 0;
      if (onsite) {
        let pvSum = 0;
        let windSum = 0;
        for (let h = 0; h < HOURS_PER_YEAR; h++) {
          const pv = pvUnit ? pvKw * pvUnit[h] : 0;
          const wd = windUnit ? windKw * windUnit[h] : 0;
          onsite[h] = pv + wd;
          pvSum += pv;
          windSum += wd;
        }
        ga.pvMwh = pvSum / 1000;
        ga.windMwh = windSum / 1000;
      }
      let battery: BatteryParams | null = null;
      const gb = g.battery;
      if (gb && year >= gb.fromYear) {
        battery = {
          energyKwh: fadedCapacityKwh(
            gb.energyKwh(year),
            year - gb.fromYear,
            cumCycles,
            gb.fadePerYear,
            gb.fadePerCycle,
          ),
          powerKw: gb.powerKw(year),
          roundTripEfficiency: gb.roundTripEfficiency,
          depthOfDischarge: gb.depthOfDischarge,
          policy: gb.policy,
        };
      }
      const contracted = g.contracted?.share
        ? { kind: 'share' as const, share: g.contracted.share(year) }
        : g.contracted?.mwh
          ? { kind: 'mwh' as const, mwh: g.contracted.mwh(year) }
          : { kind: 'share' as const, share: pc.greenShare(year) };
      const bal = energyBalance({
        loadKw: facilityKw,
        onsiteKw: onsite,
        periods,
        pricesCnyPerKwh: prices,
        battery,
        initialSocKwh: soc,
        initialGreenFraction: socGreen,
        exportCapKw: g.exportCapKw(year),
        contracted,
      });
      soc = bal.endSocKwh;
      socGreen = bal.endGreenFraction;
      cumCycles += bal.cycles;
      billKw = bal.gridKw;
      greenKw = bal.greenKw;
      ga.onsiteGreenMwh = bal.onsiteUsedMwh;
      ga.curtailedMwh = bal.curtailedMwh;
      ga.exportedMwh = bal.exportMwh;
      ga.batteryChargeMwh = bal.chargeMwh;
      ga.batteryDischargeMwh = bal.dischargeMwh;
      ga.batteryCycles = bal.cycles;
      ga.contractedGreenMwh = bal.contractedMwh;
      ga.greenEnergyMwh = bal.greenMwh;
      ga.importMwh = bal.gridMwh;
      ga.hours80 = bal.hoursAtLeast80;
      ga.certificatesMwh = g.certificates ? g.certificates.mwh(year) : 0;
      ga.greenCostCny =
        bal.contractedMwh * (g.contracted ? g.contracted.premium(year) : 0) +
        (g.certificates ? ga.certificatesMwh * g.certificates.price(year) : 0);
      ga.exportRevenueCny = bal.exportMwh * 1000 * g.exportPrice(year);
      // A contracted price replaces only the energy component of the tariff for the contracted energy,
      // hour by hour; T&D and government funds are still due on it (docs/models/green-power.md).
      if (g.contracted?.price && bal.contractedMwh > 0) {
        const contractKwh = g.contracted.price(year) / 1000; // CNY/kWh
        const energy = energyComponentCnyPerKwh(tariff, year, prices, periods);
        let adj = 0;
        for (let h = 0; h < HOURS_PER_YEAR; h++) adj += bal.contractedKw[h] * (contractKwh - energy[h]);
        ga.greenCostCny += adj;
      }
    } else {
      const share = pc.greenShare(year);
      ga.contractedGreenMwh = facilityEnergyMwh * share;
      ga.greenEnergyMwh = ga.contractedGreenMwh;
      let n80 = 0;
      if (share >= 0.8) for (let h = 0; h < HOURS_PER_YEAR; h++) if (facilityKw[h] > 0) n80++;
      ga.hours80 = n80;
    }
    const bill = monthlyBills(billKw, tariff, year, prices, periods);
    const greenEnergyMwh = ga.greenEnergyMwh;
    const green =
      facilityEnergyMwh > 0 ? Math.min(1, (greenEnergyMwh + ga.certificatesMwh) / facilityEnergyMwh) : 0;
    const carbon = carbonFromImport(
      ga.importMwh,
      ga.contractedGreenMwh + ga.certificatesMwh,
      gridFactor,
      itEnergyMwh,
    );
    // PUE and WUE are 0/0 in a year without IT energy: not computed (null), never 0 (issue 8).
    const pue = fs.itEnergyKwh > 0 ? fs.pue : null;
    const wue = fs.itEnergyKwh > 0 ? fs.waterL / fs.itEnergyKwh : null;
    const grade = pue !== null ? gb40879Grade(pue, ref.gb40879Thresholds) : null;
    const egress = pc.gbpsPerStandardRack
      ? egressGbps(cap.standardRacks, occupancy, pc.gbpsPerStandardRack(year), pc.peakFactor(year))
      : null;
    const outbound = pc.outboundCapacityGbps ? pc.outboundCapacityGbps(year) : null;

    annual.push({
      year,
      racksInService: cap.racksInService,
      standardRacks: cap.standardRacks,
      designItKw: cap.designItKw,
      occupancy,
      serverUtilisation: util,
      itEnergyMwh,
      facilityEnergyMwh,
      coolingEnergyMwh: fs.coolingEnergyKwh / 1000,
      electricalLossMwh: fs.electricalLossKwh / 1000,
      pue,
      peakItKw: peak(itKw),
      peakFacilityKw: fs.peakFacilityKw,
      freeCoolingHours: fs.freeCoolingHours,
      partialCoolingHours: fs.partialCoolingHours,
      waterM3: fs.waterL / 1000,
      wueLPerKwh: wue,
      electricityCostCny: bill.totalCny + ga.greenCostCny - ga.exportRevenueCny,
      energyChargeCny: bill.energyChargeCny,
      capacityChargeCny: bill.capacityChargeCny,
      averagePriceCnyPerKwh: bill.energyKwh > 0 ? bill.totalCny / bill.energyKwh : 0,
      gridEnergyMwh: Math.max(0, ga.importMwh - ga.contractedGreenMwh),
      greenEnergyMwh,
      greenShare: green,
      gridFactorKgPerKwh: gridFactor,
      carbonLocationTco2: carbon.carbonLocationTco2,
      carbonMarketTco2: carbon.carbonMarketTco2,
      cueKgPerKwh: carbon.cueLocationKgPerKwh,
      egressGbps: egress,
      outboundCapacityGbps: outbound,
      gb40879Grade: grade,
      pvMwh: ga.pvMwh,
      windMwh: ga.windMwh,
      onsiteGreenMwh: ga.onsiteGreenMwh,
      curtailedMwh: ga.curtailedMwh,
      exportedMwh: ga.exportedMwh,
      batteryChargeMwh: ga.batteryChargeMwh,
      batteryDischargeMwh: ga.batteryDischargeMwh,
      batteryCycles: ga.batteryCycles,
      contractedGreenMwh: ga.contractedGreenMwh,
      certificatesMwh: ga.certificatesMwh,
      greenShareHourly: facilityEnergyMwh > 0 ? greenEnergyMwh / facilityEnergyMwh : 0,
      greenHoursAtLeast80: ga.hours80,
      greenCostCny: ga.greenCostCny,
      exportRevenueCny: ga.exportRevenueCny,
    });

    for (let m = 0; m < 12; m++) {
      const a = MONTH_START_HOUR[m];
      const b = MONTH_START_HOUR[m + 1];
      const it = sum(itKw, a, b) / 1000;
      const fac = sum(facilityKw, a, b) / 1000;
      const gm = greenKw
        ? sum(greenKw, a, b) / 1000
        : fac * (facilityEnergyMwh > 0 ? greenEnergyMwh / facilityEnergyMwh : 0);
      const mb = bill.months[m];
      monthly.push({
        year,
        month: m + 1,
        itEnergyMwh: it,
        facilityEnergyMwh: fac,
        pue: it > 0 ? fac / it : null,
        energyChargeCny: mb.energyChargeCny,
        capacityChargeCny: mb.capacityChargeCny,
        electricityCostCny: mb.totalCny,
        peakFacilityKw: peak(facilityKw, a, b),
        greenShare: fac > 0 ? gm / fac : 0,
      });
    }

    metrics.push({
      year,
      pue,
      // Occupancy of a year with no racks in service is undefined: 上架率 targets are not checked.
      occupancy: cap.racksInService > 0 ? occupancy : null,
      greenShare: green,
      standardRacks: cap.standardRacks,
      racksInService: cap.racksInService,
      outboundCapacityGbps: outbound,
      gb40879Grade: grade,
      wueLPerKwh: wue,
    });

    if (opts.keepHourly?.(pc.ref.id, year)) {
      hourlyOut.push({
        clusterId: pc.ref.id,
        year,
        itKw: itKw.slice(),
        facilityKw: facilityKw.slice(),
        waterL: waterL.slice(),
        priceCnyPerKwh: prices.slice(),
        coolingMode: profile.mode.slice(),
        tDryC: pc.climate.tDryC.slice(),
        tWetC: pc.climate.tWetC.slice(),
        gridKw: billKw.slice(),
        greenKw: greenKw
          ? greenKw.slice()
          : facilityKw.map((v) => v * (facilityEnergyMwh > 0 ? greenEnergyMwh / facilityEnergyMwh : 0)),
      });
    }
    if (greenKw && year === years[years.length - 1]) {
      const byHour = new Array<number>(24).fill(0);
      const loadHour = new Array<number>(24).fill(0);
      for (let h = 0; h < HOURS_PER_YEAR; h++) {
        byHour[h % 24] += greenKw[h];
        loadHour[h % 24] += facilityKw[h];
      }
      greenProfile = {
        year,
        byHourOfDay: byHour.map((v, k) => (loadHour[k] > 0 ? v / loadHour[k] : 0)),
        byMonth: monthly.filter((m) => m.year === year).map((m) => m.greenShare),
        hoursAtLeast80: ga.hours80,
      };
    }
    progress();
  }

  return {
    clusterId: pc.ref.id,
    name: pc.scenario.label ?? pc.ref.name,
    province: pc.ref.province,
    coolingDesign: pc.scenario.cooling.design,
    tariffCalendar: pc.calendar.id,
    climateSource: pc.climateSource,
    annual,
    monthly,
    targets: evaluateTargets(pc.targets, metrics),
    latency: latencies(pc.ref, ref.demandCentres, pc.routeFactor),
    publishedLatency: pc.ref.publishedLatency,
    finance: financeOf(pc, annual, ref),
    greenProfile,
    assumptions: pc.assumptions,
    warnings: pc.warnings,
  };
}

/**
 * Cash flows and investor metrics of one cluster (DESIGN.md §8). Capex falls in the year it is built:
 * building + M&E per rack or per kW of IT design power for every phase built that year, including one
 * that replaces a retired phase (phases in service before the first simulated year count as built in
 * it), optional IT equipment per kW, grid connection in the first year, PV/wind/storage for every
 * increase over the largest size built so far. Opex: electricity (after green premiums,
 * certificates and export revenue), water, staff, maintenance as a share of capex, land lease, other
 * fixed opex, O&M of on-site renewables and storage. Revenue: rent × occupied racks × 12. A one-off
 * award (e.g. Gansu's headquarters relocation award, up to 5 M yuan — seed 001) is income in year one.
 * No tax or depreciation. Flows are at year end; NPV discounts year 1 by one period.
 */
function financeOf(pc: PreparedCluster, annual: AnnualRow[], ref: EngineReference): FinanceResult {
  const f = pc.finance;
  const g = pc.green;
  const r = f.discountRate;
  const flows: number[] = [];
  const breakdown: Record<string, number> = {};
  const addCapex = (k: string, v: number) => {
    if (v > 0) breakdown[k] = (breakdown[k] ?? 0) + v;
    return v;
  };
  let capexSoFar = 0;
  let costTotal = 0;
  let disCost = 0;
  let disRackYears = 0;
  let rackYears = 0;
  let itMwh = 0;
  const built = { pv: 0, wind: 0, storage: 0 };
  let onsiteDisCost = 0;
  let onsiteDisMwh = 0;
  const c = ref.costs;
  annual.forEach((row, i) => {
    const y = row.year;
    const d = (1 + r) ** -(i + 1);
    // Every phase is charged in the year it is built (a phase in service before the first simulated
    // year counts as built in it), so a phase replacing a retired one is paid for.
    let addedRacks = 0;
    let addedKw = 0;
    for (const p of pc.phases) {
      const inService = p.retireYear === undefined || p.retireYear > y;
      if (p.year === y || (i === 0 && p.year < y && inService)) {
        addedRacks += p.racks;
        addedKw += p.racks * p.kwPerRack;
      }
    }
    let capex = 0;
    if (f.capexCnyPerRack) capex += addCapex('building + M&E', addedRacks * f.capexCnyPerRack(y));
    else if (f.capexCnyPerKwIt) capex += addCapex('building + M&E', addedKw * f.capexCnyPerKwIt(y));
    if (f.itCapexCnyPerKw) capex += addCapex('IT equipment', addedKw * f.itCapexCnyPerKw(y));
    if (i === 0) capex += addCapex('grid connection', f.gridConnectionCny);
    const first = annual[0].year;
    // PV, wind and storage: every increase over the largest size built so far is charged in its year.
    const grow = (k: 'pv' | 'wind' | 'storage', fromYear: number, size: number) => {
      if (y < Math.max(fromYear, first)) return 0;
      const added = Math.max(0, size - built[k]);
      built[k] = Math.max(built[k], size);
      return added;
    };
    let genCapex = 0; // PV + wind: the generation whose LCOE is reported
    if (g?.pv) genCapex += addCapex('PV', grow('pv', g.pv.fromYear, g.pv.dcKw(y)) * 1000 * g.pv.capexCnyPerW);
    if (g?.wind)
      genCapex += addCapex(
        'wind',
        grow('wind', g.wind.fromYear, g.wind.ratedKw(y)) * 1000 * g.wind.capexCnyPerW,
      );
    if (g?.battery) {
      const kwh = grow('storage', g.battery.fromYear, g.battery.energyKwh(y));
      capex += addCapex('storage', kwh * 1000 * g.battery.capexCnyPerWh);
    }
    capex += genCapex;
    const genOm =
      (g?.pv && y >= g.pv.fromYear ? (breakdown.PV ?? 0) * c.pvOmFractionPerYear.value : 0) +
      (g?.wind && y >= g.wind.fromYear ? (breakdown.wind ?? 0) * c.windOmFractionPerYear.value : 0);
    const storageOm =
      g?.battery && y >= g.battery.fromYear ? (breakdown.storage ?? 0) * c.storageOmFractionPerYear.value : 0;
    const onsiteOm = genOm + storageOm;
    capexSoFar += capex;
    const water = f.waterPriceCnyPerM3 ? row.waterM3 * f.waterPriceCnyPerM3(y) : 0;
    const fixed =
      (f.otherOpexCnyPerYear?.(y) ?? 0) + (f.staffCnyPerYear?.(y) ?? 0) + (f.landLeaseCnyPerYear?.(y) ?? 0);
    const maintenance = f.maintenanceFractionOfCapex
      ? f.maintenanceFractionOfCapex(y) *
        (capexSoFar - (breakdown.PV ?? 0) - (breakdown.wind ?? 0) - (breakdown.storage ?? 0))
      : 0;
    const opex = row.electricityCostCny + water + fixed + maintenance + onsiteOm;
    const revenue =
      (f.rentCnyPerRackMonth ? f.rentCnyPerRackMonth(y) * row.racksInService * row.occupancy * 12 : 0) +
      (i === 0 ? f.incentiveAwardCny : 0);
    costTotal += capex + opex;
    disCost += (capex + opex) * d;
    const occupiedRacks = row.racksInService * row.occupancy;
    rackYears += occupiedRacks;
    disRackYears += occupiedRacks * d;
    itMwh += row.itEnergyMwh;
    onsiteDisCost += (genCapex + genOm) * d;
    onsiteDisMwh += (row.pvMwh + row.windMwh) * d;
    flows.push(revenue - opex - capex);
  });
  // LCOE of on-site generation over the asset life: years beyond the simulation repeat its mean output and O&M.
  let lcoe: number | null = null;
  if (g && (g.pv || g.wind) && onsiteDisMwh > 0) {
    const life = c.assetLifeYears.value;
    const n = annual.length;
    const meanMwh = annual.reduce((s, a) => s + a.pvMwh + a.windMwh, 0) / n;
    const om =
      (breakdown.PV ?? 0) * c.pvOmFractionPerYear.value +
      (breakdown.wind ?? 0) * c.windOmFractionPerYear.value;
    let dc = onsiteDisCost;
    let dm = onsiteDisMwh;
    for (let k = n; k < life; k++) {
      const d = (1 + r) ** -(k + 1);
      dc += om * d;
      dm += meanMwh * d;
    }
    lcoe = dc / dm;
  }
  const hasCapex = capexSoFar > 0;
  const hasRevenue = f.rentCnyPerRackMonth !== null;
  return {
    capexCny: hasCapex ? capexSoFar : null,
    capexBreakdownCny: breakdown,
    npvCny: hasRevenue ? npv(r, flows) : null,
    irr: hasRevenue && hasCapex ? irr(flows) : null,
    paybackYears: hasRevenue && hasCapex ? paybackYears(flows) : null,
    discountedPaybackYears: hasRevenue && hasCapex ? paybackYears(flows, r) : null,
    costPerRackYearCny: rackYears > 0 ? costTotal / rackYears : null,
    levelizedCostPerRackYearCny: disRackYears > 0 ? disCost / disRackYears : null,
    costPerMwhItCny: itMwh > 0 ? costTotal / itMwh : null,
    lcoeOnsiteCnyPerMwh: lcoe,
    discountRate: r,
    cashFlowCny: flows,
    note: `Costs over the simulated years: ${Object.keys(breakdown).length ? `capex (${Object.keys(breakdown).join(', ')}) + ` : ''}electricity${
      f.waterPriceCnyPerM3 ? ' + water' : ''
    }${f.staffCnyPerYear ? ' + staff' : ''}${f.maintenanceFractionOfCapex ? ' + maintenance' : ''}${
      f.landLeaseCnyPerYear ? ' + land lease' : ''
    }${f.otherOpexCnyPerYear ? ' + other opex' : ''}${g && (g.pv || g.wind || g.battery) ? ' + renewables/storage O&M' : ''}; no tax or depreciation.${
      hasRevenue ? '' : ' NPV, IRR and payback need finance.rentCnyPerRackMonth.'
    }`,
  };
}

/**
 * Simulate a prepared run: every cluster hour by hour for every year (8,760 h each).
 * Pure: the same prepared run gives the same result.
 */
export function simulate(
  run: PreparedRun,
  ref: EngineReference,
  opts: RunOptions = {},
): RunResult & { hourly: HourlySeries[] } {
  const total = run.clusters.length * run.years.length;
  let done = 0;
  const progress = () => {
    done++;
    opts.onProgress?.(done, total);
  };
  const hourly: HourlySeries[] = [];
  const clusters = run.clusters.map((pc) => simulateCluster(pc, run.years, ref, opts, progress, hourly));
  return {
    scenario: { name: run.scenario.name, startYear: run.scenario.startYear, years: run.scenario.years },
    engine: { version: ENGINE_VERSION, clusterHours: total * HOURS_PER_YEAR },
    clusters,
    comparison: compareClusters(clusters),
    hourly,
  };
}
