import { HOURS_PER_YEAR } from '../calendar.ts';
import type { CoolingProfile } from '../cooling.ts';
import { type EngineCache, fractionMemo, type RunScratch } from '../engine-cache.ts';
import type { LpSolver } from '../lp.ts';
import { latencies } from '../network.ts';
import type { PreparedCluster } from '../prepare/types.ts';
import type { EngineReference } from '../reference.ts';
import type { AnnualRow, ClusterResult, MonthlyRow } from '../result.ts';
import { balanceWork } from '../storage.ts';
import { evaluateTargets, type TargetMetrics } from '../targets.ts';
import { monthlyBills } from '../tariff.ts';
import { annualStage, monthlyStage } from './annual.ts';
import { type TariffYear, tariffStage } from './bill.ts';
import { financeStage } from './finance.ts';
import { type LoadYear, loadCache, loadStage, releaseLoadCache } from './load.ts';
import { coolingProfileFor, pvUnitOutput, windUnitOutput } from './site.ts';
import { type SupplyState, type SupplyYear, supplyStage } from './supply.ts';

/** Hourly series of one cluster-year, kept when `RunOptions.keepHourly` asks for them. */
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
  /**
   * The dispatch of a cluster with a green block (null without one): PV and wind output, the battery's
   * state of charge at the end of each hour (kWh; `startSocKwh` before the first hour) and √ of its
   * round-trip efficiency (charge and discharge each lose half), contracted green power (kW, part of
   * `gridKw`).
   */
  dispatch: {
    pvKw: Float64Array | null;
    windKw: Float64Array | null;
    socKwh: Float64Array | null;
    startSocKwh: number;
    sqrtRoundTripEfficiency: number;
    contractedKw: Float64Array | null;
  } | null;
}

/** The hourly series of one cluster-year, copied out of the stage buffers. */
function hourlyOf(
  pc: PreparedCluster,
  year: number,
  load: LoadYear,
  tariff: TariffYear,
  supply: SupplyYear,
  profile: CoolingProfile,
  row: AnnualRow,
  st: SupplyState,
): HourlySeries {
  const share = row.facilityEnergyMwh > 0 ? row.greenEnergyMwh / row.facilityEnergyMwh : 0;
  const buf = load.series;
  const d = supply.detail;
  const scaled = (unit: Float64Array | null, kw: number) => (unit && kw > 0 ? unit.map((v) => v * kw) : null);
  return {
    clusterId: pc.ref.id,
    year,
    itKw: buf.itKw.slice(),
    facilityKw: buf.facilityKw.slice(),
    waterL: buf.waterL.slice(),
    priceCnyPerKwh: tariff.prices.slice(),
    coolingMode: profile.mode.slice(),
    tDryC: pc.climate.tDryC.slice(),
    tWetC: pc.climate.tWetC.slice(),
    gridKw: supply.gridKw.slice(),
    greenKw: supply.greenKw ? supply.greenKw.slice() : buf.facilityKw.map((v) => v * share),
    dispatch: d
      ? {
          pvKw: scaled(st.pvUnit, st.onsiteFor?.pvKw ?? 0),
          windKw: scaled(st.windUnit, st.onsiteFor?.windKw ?? 0),
          socKwh: d.socKwh && pc.green?.battery ? d.socKwh.slice() : null,
          startSocKwh: d.startSocKwh,
          sqrtRoundTripEfficiency: Math.sqrt(pc.green?.battery?.roundTripEfficiency ?? 1),
          contractedKw: d.contractedKw ? d.contractedKw.slice() : null,
        }
      : null,
  };
}

/**
 * Σ green and Σ facility kW by hour of day over a year. Its own function, on typed arrays only: with
 * the result object built after the loop in the same function, V8 dropped the loop's optimised code
 * for want of type feedback once a run.
 */
function sumByHourOfDay(
  green: Float64Array,
  fac: Float64Array,
  byHour: Float64Array,
  loadHour: Float64Array,
): void {
  for (let day = 0; day < green.length; day += 24) {
    for (let k = 0; k < 24; k++) {
      byHour[k] += green[day + k];
      loadHour[k] += fac[day + k];
    }
  }
}

/** The 24×7 view of the last year: green share by hour of day and by month. */
function greenProfileOf(
  year: number,
  greenKw: Float64Array,
  facilityKw: Float64Array,
  monthly: MonthlyRow[],
  hours80: number,
): NonNullable<ClusterResult['greenProfile']> {
  const byHour = new Float64Array(24);
  const loadHour = new Float64Array(24);
  sumByHourOfDay(greenKw, facilityKw, byHour, loadHour);
  return {
    year,
    byHourOfDay: Array.from(byHour, (v, k) => (loadHour[k] > 0 ? v / loadHour[k] : 0)),
    byMonth: monthly.filter((m) => m.year === year).map((m) => m.greenShare),
    hoursAtLeast80: hours80,
  };
}

function supplyState(
  pc: PreparedCluster,
  cache: EngineCache,
  scratch: RunScratch,
  lp: LpSolver | null,
): SupplyState {
  const g = pc.green;
  const pvUnit = g?.pv ? pvUnitOutput(cache, pc.climate, g.pv.params) : null;
  const windUnit = g?.wind ? windUnitOutput(cache, pc.climate, g.wind.params, g.wind.speedScale) : null;
  if (pvUnit || windUnit) scratch.onsite ??= new Float64Array(HOURS_PER_YEAR);
  if (g) scratch.work ??= balanceWork();
  return {
    socKwh: 0,
    socGreen: 0,
    cumCycles: 0,
    pvUnit,
    windUnit,
    onsite: pvUnit || windUnit ? scratch.onsite : null,
    onsiteFor: null,
    work: g ? scratch.work : null,
    lp,
  };
}

/**
 * One cluster over the simulated years, stage by stage each year: capacity → IT load → facility →
 * tariff → on-site supply and storage → contracts and grid → bill → carbon and network (annual row) →
 * monthly rows; then targets and finance over the years. Buffers come from the run's scratch and the
 * climate-only and tariff series from the engine cache: made once, not per year.
 */
export function simulateCluster(
  pc: PreparedCluster,
  years: number[],
  ref: EngineReference,
  keepHourly: ((clusterId: string, year: number) => boolean) | undefined,
  progress: () => void,
  hourlyOut: HourlySeries[],
  cache: EngineCache,
  scratch: RunScratch,
  lp: LpSolver | null = null,
): ClusterResult {
  const profile = coolingProfileFor(cache, pc.design, pc.climate);
  const loads = loadCache(fractionMemo(cache, pc.curve, pc.shape), scratch.series);
  const st = supplyState(pc, cache, scratch, lp);
  const annual: AnnualRow[] = [];
  const monthly: MonthlyRow[] = [];
  const metrics: TargetMetrics[] = [];
  let greenProfile: ClusterResult['greenProfile'] = null;
  const lastYear = years[years.length - 1];
  for (const year of years) {
    const keep = keepHourly?.(pc.ref.id, year) === true;
    const load: LoadYear = loadStage(pc, year, profile, loads, keep); // hourly water only when kept
    const { facilityKw } = load.series;
    const tariff = tariffStage(pc, year, cache);
    // Green supply hour by hour only where it is read: kept hourly series and the last year's 24×7 view.
    const hourlyGreen = keep || year === lastYear;
    const facilityMwh = load.facility.facilityEnergyKwh / 1000;
    const supply = supplyStage(pc, year, facilityKw, facilityMwh, tariff, st, hourlyGreen);
    const bill = monthlyBills(supply.gridKw, tariff.input, year, tariff.prices, tariff.periods);
    const { row, metrics: m } = annualStage(pc, year, load, supply, bill, ref);
    annual.push(row);
    metrics.push(m);
    monthly.push(...monthlyStage(year, row, supply, bill, load.series));
    if (keep) hourlyOut.push(hourlyOf(pc, year, load, tariff, supply, profile, row, st));
    if (supply.greenKw && year === lastYear)
      greenProfile = greenProfileOf(year, supply.greenKw, facilityKw, monthly, supply.green.hours80);
    progress();
  }
  releaseLoadCache(loads);
  return {
    clusterId: pc.ref.id,
    name: pc.scenario.label ?? pc.ref.name,
    province: pc.ref.province,
    coolingDesign: pc.scenario.cooling.design,
    tariffCalendar: [
      ...new Set(years.flatMap((y) => Array.from({ length: 12 }, (_, m) => pc.tariff.calendarAt(y, m).id))),
    ].join(', '),
    tariffClass: {
      voltage: pc.tariff.voltage,
      structure: pc.tariff.structure,
      maxContractKva: pc.tariff.maxContractKva,
    },
    climateSource: pc.climateSource,
    annual,
    monthly,
    targets: evaluateTargets(pc.targets, metrics),
    latency: latencies(pc.ref, ref.demandCentres, pc.routeFactor, pc.equipmentMs),
    publishedLatency: pc.ref.publishedLatency,
    finance: financeStage(pc, annual, ref),
    greenProfile,
    assumptions: pc.assumptions,
    warnings: pc.warnings,
  };
}
