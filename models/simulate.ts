import { DAYS_IN_MONTH, HOURS_PER_YEAR, jan1Weekday } from './calendar.ts';
import { type BuildoutPhase, capacityInYear, itPowerSeries } from './capacity.ts';
import { carbonYear } from './carbon.ts';
import type { ClimateYear } from './climate.ts';
import { coolingDesign, facilityLoad, prepareCooling } from './cooling.ts';
import { irr, npv, paybackYears } from './finance.ts';
import { type DemandCentre, egressGbps, latencies } from './network.ts';
import { type PowerCurve, powerFractionSeries } from './powerCurve.ts';
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
import { sum } from './sum.ts';
import { evaluateTargets, gb40879Grade, type TargetDef, type TargetMetrics } from './targets.ts';
import {
  escalationFactor,
  hourlyPeriods,
  hourlyPriceCnyPerKwh,
  monthlyBills,
  type TariffCalendar,
  type TariffInput,
} from './tariff.ts';
import { hourlyUtilisation } from './utilisation.ts';

/** Engine version written into every result; bump when a computed number changes (see CHANGELOG). */
export const ENGINE_VERSION = '0.1.0';

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
  /** Climate id (a key of `EngineReference.climates`). */
  climate: string;
  tariffCalendar: string;
  referenceEnergyPrice: SourcedDefault;
  /** Published grid factors by year (kg/kWh), with their source; the nearest year is held outside. */
  gridFactors: { byYear: Record<string, number>; source: string; grade: string };
  outboundCapacityGbps: number | null;
  publishedLatency: Array<{ text: string; source: string; grade: string }>;
}

/** A target as seeded, with the clusters it applies to. */
export interface TargetReference extends TargetDef {
  appliesTo: 'all' | string[];
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
export interface EngineReference {
  clusters: Record<string, ClusterReference>;
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
}

type Resolved = (year: number) => number;

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
    rentCnyPerRackMonth: Resolved | null;
    otherOpexCnyPerYear: Resolved | null;
    waterPriceCnyPerM3: Resolved | null;
    discountRate: number;
  };
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
  let qty: Quantity;
  try {
    qty = compileQuantity(input as never, rule.unit === 'rack' ? '' : rule.unit, path);
  } catch (e) {
    throw new ValidationError([{ path, message: (e as Error).message.replace(`${path}: `, '') }]);
  }
  for (const y of years) {
    let v: number;
    try {
      v = qty.at(y);
    } catch (e) {
      throw new ValidationError([{ path, message: (e as Error).message.replace(`${path}: `, '') }]);
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

function unknownRef(path: string, kind: string, id: string, known: Record<string, unknown>): ValidationError {
  const list = Object.keys(known).sort().join(', ');
  return new ValidationError([{ path, message: `unknown ${kind} "${id}" (known: ${list})` }]);
}

function prepareCluster(
  cs: ClusterScenario,
  index: number,
  years: number[],
  ref: EngineReference,
  opts: RunOptions,
): PreparedCluster {
  const p = `clusters[${index}]`;
  const cref = ref.clusters[cs.cluster];
  if (!cref) throw unknownRef(`${p}.cluster`, 'cluster', cs.cluster, ref.clusters);
  const assumptions: AssumptionUsed[] = [];
  const warnings: string[] = [];

  const climate = opts.weather?.[cs.cluster] ?? ref.climates[cref.climate];
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
  const shape = ref.workloadShapes[shapeId];
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
  const curve = ref.powerCurves[curveId];
  if (!curve) throw unknownRef(`${p}.powerCurve`, 'powerCurve', curveId, ref.powerCurves);

  let design: ReturnType<typeof coolingDesign>;
  try {
    design = coolingDesign(cs.cooling.design, cs.cooling.overrides, cs.cooling.facilityClass);
  } catch (e) {
    throw new ValidationError([{ path: `${p}.cooling.design`, message: (e as Error).message }]);
  }

  const t = cs.tariff ?? {};
  const calendarId = t.calendar ?? cref.tariffCalendar;
  const calendar = ref.tariffCalendars[calendarId];
  if (!calendar) throw unknownRef(`${p}.tariff.calendar`, 'tariff calendar', calendarId, ref.tariffCalendars);
  const tp = `${p}.tariff`;
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
  const inc = t.incentive ?? { kind: 'none' as const };
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
    const held = years.filter((y) => !nearestYearValue(cref.gridFactors.byYear, y).exact);
    if (held.length) {
      warnings.push(
        `gridFactorKgPerKwh: no published ${cref.province} factor for ${held[0]}${held.length > 1 ? `–${held[held.length - 1]}` : ''}; the nearest published year is held (${cref.gridFactors.source})`,
      );
    }
    assumptions.push({
      field: 'gridFactorKgPerKwh',
      value: `${cref.province} provincial factor by year`,
      source: cref.gridFactors.source,
      grade: cref.gridFactors.grade,
    });
    gridFactor = (y) => nearestYearValue(cref.gridFactors.byYear, y).value;
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
    const applies = x.appliesTo === 'all' || x.appliesTo.includes(cs.cluster);
    return applies && !x.optIn;
  });

  const prepared: PreparedCluster = {
    index,
    scenario: cs,
    ref: cref,
    climate,
    climateSource: opts.weather?.[cs.cluster] ? `imported: ${climate.source}` : climate.source,
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
      rentCnyPerRackMonth: opt(fin.rentCnyPerRackMonth, RULES.rentCnyPerRackMonth, 'rentCnyPerRackMonth'),
      otherOpexCnyPerYear: opt(fin.otherOpexCnyPerYear, RULES.opexCnyPerYear, 'otherOpexCnyPerYear'),
      waterPriceCnyPerM3: opt(fin.waterPriceCnyPerM3, RULES.waterPrice, 'waterPriceCnyPerM3'),
      discountRate,
    },
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

function simulateCluster(
  pc: PreparedCluster,
  years: number[],
  ref: EngineReference,
  opts: RunOptions,
  progress: () => void,
  hourlyOut: HourlySeries[],
): ClusterResult {
  const profile = prepareCooling(pc.design, pc.climate);
  const itKw = new Float64Array(HOURS_PER_YEAR);
  const fractions = new Float64Array(HOURS_PER_YEAR);
  const facilityKw = new Float64Array(HOURS_PER_YEAR);
  const waterL = new Float64Array(HOURS_PER_YEAR);
  const out = { facilityKw, waterL };
  // Utilisation → power fraction depends only on (mean utilisation, weekday of 1 January): cache it.
  const fractionCache = new Map<string, Float64Array>();
  const priceCache = new Map<string, Float64Array>();
  const periodCache = new Map<number, Uint8Array>();

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
    // Modular UPS: capacity follows the energised (occupied) racks (docs/models/cooling.md).
    const fs = facilityLoad(itKw, cap.designItKw * occupancy, pc.design, profile, out);

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
    const bill = monthlyBills(facilityKw, tariff, year, prices, periods);

    const itEnergyMwh = fs.itEnergyKwh / 1000;
    const facilityEnergyMwh = fs.facilityEnergyKwh / 1000;
    const green = pc.greenShare(year);
    const greenEnergyMwh = facilityEnergyMwh * green;
    const gridFactor = pc.gridFactor(year);
    const carbon = carbonYear(facilityEnergyMwh, 0, greenEnergyMwh, gridFactor, itEnergyMwh);
    const pue = fs.itEnergyKwh > 0 ? fs.pue : 0;
    const grade = fs.itEnergyKwh > 0 ? gb40879Grade(pue, ref.gb40879Thresholds) : null;
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
      wueLPerKwh: fs.itEnergyKwh > 0 ? fs.waterL / fs.itEnergyKwh : 0,
      electricityCostCny: bill.totalCny,
      energyChargeCny: bill.energyChargeCny,
      capacityChargeCny: bill.capacityChargeCny,
      averagePriceCnyPerKwh: bill.energyKwh > 0 ? bill.totalCny / bill.energyKwh : 0,
      gridEnergyMwh: facilityEnergyMwh - greenEnergyMwh,
      greenEnergyMwh,
      greenShare: green,
      gridFactorKgPerKwh: gridFactor,
      carbonLocationTco2: carbon.carbonLocationTco2,
      carbonMarketTco2: carbon.carbonMarketTco2,
      cueKgPerKwh: carbon.cueLocationKgPerKwh,
      egressGbps: egress,
      outboundCapacityGbps: outbound,
      gb40879Grade: grade,
    });

    for (let m = 0; m < 12; m++) {
      const a = MONTH_START_HOUR[m];
      const b = MONTH_START_HOUR[m + 1];
      const it = sum(itKw, a, b) / 1000;
      const fac = sum(facilityKw, a, b) / 1000;
      const mb = bill.months[m];
      monthly.push({
        year,
        month: m + 1,
        itEnergyMwh: it,
        facilityEnergyMwh: fac,
        pue: it > 0 ? fac / it : 0,
        energyChargeCny: mb.energyChargeCny,
        capacityChargeCny: mb.capacityChargeCny,
        electricityCostCny: mb.totalCny,
        peakFacilityKw: peak(facilityKw, a, b),
      });
    }

    metrics.push({
      year,
      pue: fs.itEnergyKwh > 0 ? pue : null,
      occupancy,
      greenShare: green,
      standardRacks: cap.standardRacks,
      racksInService: cap.racksInService,
      outboundCapacityGbps: outbound,
      gb40879Grade: grade,
      wueLPerKwh: fs.itEnergyKwh > 0 ? fs.waterL / fs.itEnergyKwh : null,
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
      });
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
    finance: financeOf(pc, annual),
    assumptions: pc.assumptions,
    warnings: pc.warnings,
  };
}

/**
 * Cash flows and investor metrics of one cluster from the annual rows: capex when racks are added
 * (capex per rack × racks added that year), opex = electricity + water + other fixed opex, revenue =
 * rack rental × occupied racks × 12. Metrics needing an input the scenario does not give are null.
 */
function financeOf(pc: PreparedCluster, annual: AnnualRow[]): FinanceResult {
  const f = pc.finance;
  const flows: number[] = [];
  let capexTotal = 0;
  let costTotal = 0;
  let rackYears = 0;
  let itMwh = 0;
  let prevRacks = 0;
  for (const row of annual) {
    const y = row.year;
    const added = Math.max(0, row.racksInService - prevRacks);
    // Racks in service before the first simulated year are counted as built in that year.
    prevRacks = row.racksInService;
    const capex = f.capexCnyPerRack ? added * f.capexCnyPerRack(y) : 0;
    const water = f.waterPriceCnyPerM3 ? row.waterM3 * f.waterPriceCnyPerM3(y) : 0;
    const other = f.otherOpexCnyPerYear ? f.otherOpexCnyPerYear(y) : 0;
    const opex = row.electricityCostCny + water + other;
    const revenue = f.rentCnyPerRackMonth
      ? f.rentCnyPerRackMonth(y) * row.racksInService * row.occupancy * 12
      : 0;
    capexTotal += capex;
    costTotal += capex + opex;
    rackYears += row.racksInService * row.occupancy;
    itMwh += row.itEnergyMwh;
    flows.push(revenue - opex - capex);
  }
  const hasCapex = f.capexCnyPerRack !== null;
  const hasRevenue = f.rentCnyPerRackMonth !== null;
  return {
    capexCny: hasCapex ? capexTotal : null,
    npvCny: hasRevenue ? npv(f.discountRate, flows) : null,
    irr: hasRevenue && hasCapex ? irr(flows) : null,
    paybackYears: hasRevenue && hasCapex ? paybackYears(flows) : null,
    costPerRackYearCny: rackYears > 0 ? costTotal / rackYears : null,
    costPerMwhItCny: itMwh > 0 ? costTotal / itMwh : null,
    discountRate: f.discountRate,
    cashFlowCny: flows,
    note: `Undiscounted cost per occupied rack-year and per MWh IT over the simulated years: ${
      hasCapex ? 'capex + ' : ''
    }electricity${f.waterPriceCnyPerM3 ? ' + water' : ''}${f.otherOpexCnyPerYear ? ' + other opex' : ''}.${
      hasRevenue ? '' : ' NPV, IRR and payback need finance.rentCnyPerRackMonth.'
    }${hasCapex ? '' : ' Capex needs finance.capexCnyPerRack.'}`,
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
    hourly,
  };
}
