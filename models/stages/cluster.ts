import { HOURS_PER_YEAR } from '../calendar.ts';
import type { CoolingProfile } from '../cooling.ts';
import { latencies } from '../network.ts';
import type { PreparedCluster } from '../prepare/types.ts';
import type { EngineReference, HourlySeries, RunOptions } from '../reference.ts';
import type { AnnualRow, ClusterResult, MonthlyRow } from '../result.ts';
import { type BalanceWork, balanceWork } from '../storage.ts';
import { evaluateTargets, type TargetMetrics } from '../targets.ts';
import { monthlyBills } from '../tariff.ts';
import { annualStage, monthlyStage } from './annual.ts';
import { type TariffYear, tariffStage } from './bill.ts';
import { financeStage } from './finance.ts';
import {
  type FractionCache,
  type LoadSeries,
  type LoadYear,
  loadCache,
  loadStage,
  releaseLoadCache,
} from './load.ts';
import { coolingProfileFor, pvUnitOutput, windUnitOutput } from './site.ts';
import { type SupplyState, type SupplyYear, supplyStage } from './supply.ts';

/** The hourly series of one cluster-year, copied out of the stage buffers (`RunOptions.keepHourly`). */
function hourlyOf(
  pc: PreparedCluster,
  year: number,
  load: LoadYear,
  tariff: TariffYear,
  supply: SupplyYear,
  profile: CoolingProfile,
  row: AnnualRow,
): HourlySeries {
  const share = row.facilityEnergyMwh > 0 ? row.greenEnergyMwh / row.facilityEnergyMwh : 0;
  const buf = load.series;
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

/**
 * Hourly buffers and series shared by the clusters of one run. Clusters are simulated one after
 * another and keep no reference to these once done (hourly output is copied), so each cluster refills
 * the buffers the previous one used instead of allocating its own. A finished run hands its scratch to
 * the next run in the same thread (`takeScratch`/`returnScratch`): a server worker or the page's
 * worker then allocates no hourly buffer after its first run, and the server power series (which
 * depend only on the power curve, workload shape, mean utilisation and calendar) carry over.
 */
export interface RunScratch {
  fractions: FractionCache;
  series: LoadSeries[];
  work: BalanceWork | null;
  onsite: Float64Array | null;
}

export const runScratch = (): RunScratch => ({
  fractions: new WeakMap(),
  series: [],
  work: null,
  onsite: null,
});

/** Scratch of a finished run, kept for the next (at most one: a few MB of hourly buffers). */
let idle: RunScratch | null = null;

/**
 * Scratch for a run: the previous run's, or new. `simulate` is synchronous, so one thread runs one
 * simulation at a time; a simulation started from inside another's callback finds none idle and gets
 * its own.
 */
export function takeScratch(): RunScratch {
  const s = idle ?? runScratch();
  idle = null;
  return s;
}

/** Hand a finished run's scratch to the next run (a run that threw does not: its buffers are dropped). */
export function returnScratch(s: RunScratch): void {
  idle = s;
}

function supplyState(pc: PreparedCluster, scratch: RunScratch): SupplyState {
  const g = pc.green;
  const pvUnit = g?.pv ? pvUnitOutput(pc.climate, g.pv) : null;
  const windUnit = g?.wind ? windUnitOutput(pc.climate, g.wind) : null;
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
  };
}

/**
 * One cluster over the simulated years, stage by stage each year: capacity → IT load → facility →
 * tariff → on-site supply and storage → contracts and grid → bill → carbon and network (annual row) →
 * monthly rows; then targets and finance over the years. Buffers and the climate-only series are
 * made once per cluster, not per year.
 */
export function simulateCluster(
  pc: PreparedCluster,
  years: number[],
  ref: EngineReference,
  opts: RunOptions,
  progress: () => void,
  hourlyOut: HourlySeries[],
  scratch: RunScratch = runScratch(),
): ClusterResult {
  const profile = coolingProfileFor(pc.design, pc.climate, opts.profileCache);
  const loads = loadCache(pc, scratch.fractions, scratch.series);
  const st = supplyState(pc, scratch);
  const annual: AnnualRow[] = [];
  const monthly: MonthlyRow[] = [];
  const metrics: TargetMetrics[] = [];
  let greenProfile: ClusterResult['greenProfile'] = null;
  const lastYear = years[years.length - 1];
  for (const year of years) {
    const keep = opts.keepHourly?.(pc.ref.id, year) === true;
    const load: LoadYear = loadStage(pc, year, profile, loads, keep); // hourly water only when kept
    const { facilityKw } = load.series;
    const tariff = tariffStage(pc, year);
    // Green supply hour by hour only where it is read: kept hourly series and the last year's 24×7 view.
    const hourlyGreen = keep || year === lastYear;
    const facilityMwh = load.facility.facilityEnergyKwh / 1000;
    const supply = supplyStage(pc, year, facilityKw, facilityMwh, tariff, st, hourlyGreen);
    const bill = monthlyBills(supply.gridKw, tariff.input, year, tariff.prices, tariff.periods);
    const { row, metrics: m } = annualStage(pc, year, load, supply, bill, ref);
    annual.push(row);
    metrics.push(m);
    monthly.push(...monthlyStage(year, row, supply, bill, load.series));
    if (keep) hourlyOut.push(hourlyOf(pc, year, load, tariff, supply, profile, row));
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
    tariffCalendar: pc.calendar.id,
    climateSource: pc.climateSource,
    annual,
    monthly,
    targets: evaluateTargets(pc.targets, metrics),
    latency: latencies(pc.ref, ref.demandCentres, pc.routeFactor),
    publishedLatency: pc.ref.publishedLatency,
    finance: financeStage(pc, annual, ref),
    greenProfile,
    assumptions: pc.assumptions,
    warnings: pc.warnings,
  };
}
