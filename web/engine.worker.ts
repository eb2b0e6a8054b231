/// <reference lib="webworker" />
import './zod-jitless.ts';
import { DAYS_IN_MONTH, HOURS_PER_YEAR, monthOfHour } from '../models/calendar.ts';
import type { ClusterResult, RunResult } from '../models/result.ts';
import { ValidationError } from '../models/scenario.ts';
import type { HourlySeries } from '../models/simulate.ts';
import { checkScenario, simulate } from '../models/simulate.ts';
import { tariffPeriods } from '../models/tariff.ts';
import type { DispatchView, EngineRequest, EngineResponse, EngineView, FocusView } from './engine-types.ts';
import { workerReference } from './worker-reference.ts';

/**
 * The engine in a Web Worker: validate and simulate a scenario off the main thread, and derive the
 * hourly views of one cluster-year that the plan page charts (PUE heat map, cost by TOU period).
 */
/** The reference data and the engine cache of this worker, kept across edits. */
const kept = workerReference();

const MONTH = monthOfHour();

/** The hourly dispatch of the focus year as the dispatch chart stacks it (see `DispatchView`). */
function dispatchOf(h: HourlySeries): DispatchView {
  const n = HOURS_PER_YEAR;
  const f32 = () => new Float32Array(n);
  const out: DispatchView = {
    loadKw: Float32Array.from(h.facilityKw),
    pvKw: f32(),
    windKw: f32(),
    dischargeKw: f32(),
    chargeKw: f32(),
    contractedKw: f32(),
    gridKw: f32(),
    surplusKw: f32(),
    peakHour: 0,
    annualShareOnly: h.dispatch === null,
  };
  const d = h.dispatch;
  let peak = -1;
  let soc = d?.startSocKwh ?? 0;
  const sq = d?.sqrtRoundTripEfficiency ?? 1;
  for (let i = 0; i < n; i++) {
    const load = h.facilityKw[i];
    if (load > peak) {
      peak = load;
      out.peakHour = i;
    }
    const pv = d?.pvKw?.[i] ?? 0;
    const wind = d?.windKw?.[i] ?? 0;
    let dis = 0;
    let chg = 0;
    if (d?.socKwh) {
      const next = d.socKwh[i];
      // the battery loses √η on the way in and on the way out (models/storage-dispatch.ts)
      if (next < soc) dis = (soc - next) * sq;
      else chg = (next - soc) / sq;
      soc = next;
    }
    const contracted = d?.contractedKw?.[i] ?? 0;
    const grid = h.gridKw[i];
    out.pvKw[i] = pv;
    out.windKw[i] = wind;
    out.dischargeKw[i] = dis;
    out.chargeKw[i] = chg;
    out.contractedKw[i] = contracted;
    out.gridKw[i] = Math.max(0, grid - contracted);
    out.surplusKw[i] = Math.max(0, pv + wind + dis + grid - chg - load);
  }
  return out;
}

/** A cluster with only what a view that does not draw it needs (its name and the defaults it used). */
const nameOnly = (c: ClusterResult): ClusterResult => ({
  ...c,
  annual: [],
  monthly: [],
  targets: [],
  latency: [],
  greenProfile: null,
  warnings: [],
});

/** The result cut to what `view` draws (the rest is not posted back: it costs the transfer). */
function forView(result: RunResult, view: EngineView, focusIndex: number): RunResult {
  if (view === 'full') return result;
  const clusters = result.clusters.map((c, i) => {
    if (view === 'plan') return i === focusIndex ? { ...c, monthly: [] } : nameOnly(c);
    const slim: ClusterResult = { ...c, monthly: [], greenProfile: null };
    if (view !== 'operator') slim.targets = [];
    if (view === 'overview') {
      slim.assumptions = [];
      slim.warnings = [];
    } else slim.latency = [];
    return slim;
  });
  return { ...result, clusters };
}

function run(req: EngineRequest): EngineResponse {
  const t0 = performance.now();
  const r = kept.reference(req.extraClusters ?? []);
  // every error at once: the schema's, and the reference's for the clusters the schema passed
  const { prepared } = checkScenario(req.scenario, r);
  const focusIndex = Math.min(Math.max(req.focus?.clusterIndex ?? 0, 0), prepared.clusters.length - 1);
  const focusCluster = prepared.clusters[focusIndex];
  const lastYear = prepared.years[prepared.years.length - 1];
  const focusYear = req.focus?.year && prepared.years.includes(req.focus.year) ? req.focus.year : lastYear;
  const out = simulate(prepared, r, {
    keepHourly: (id, y) => id === focusCluster.ref.id && y === focusYear,
    cache: kept.cache(),
  });
  const { hourly, ...result } = out;
  // a scenario may hold the same site twice (with and without a battery): the focus is the k-th of them
  const k = prepared.clusters.slice(0, focusIndex).filter((c) => c.ref.id === focusCluster.ref.id).length;
  const h = hourly.filter((s) => s.clusterId === focusCluster.ref.id && s.year === focusYear)[k];
  let focus: FocusView | null = null;
  if (h) {
    const pue = new Float32Array(HOURS_PER_YEAR);
    for (let i = 0; i < HOURS_PER_YEAR; i++)
      pue[i] = h.itKw[i] > 0 ? h.facilityKw[i] / h.itKw[i] : Number.NaN;
    const tariff = focusCluster.tariff.tariffAt(focusYear);
    const periods = tariffPeriods(tariff, focusYear);
    // grid kWh × price by month and period, then scaled so each month adds up to the engine's energy charge
    const raw = new Float64Array(12 * 4);
    const greenKwh = new Float64Array(12);
    for (let i = 0; i < HOURS_PER_YEAR; i++) {
      raw[MONTH[i] * 4 + periods[i]] += h.gridKw[i] * h.priceCnyPerKwh[i];
      greenKwh[MONTH[i]] += h.greenKw[i];
    }
    const cr = result.clusters[focusIndex];
    const annual = cr.annual.find((a) => a.year === focusYear)!;
    const greenTotal = greenKwh.reduce((a, b) => a + b, 0);
    const monthlyCost = [];
    for (let m = 0; m < 12; m++) {
      const row = cr.monthly.find((x) => x.year === focusYear && x.month === m + 1);
      const sum = raw[m * 4] + raw[m * 4 + 1] + raw[m * 4 + 2] + raw[m * 4 + 3];
      const energy = row?.energyChargeCny ?? 0;
      const scale = sum > 0 ? energy / sum : 0;
      monthlyCost.push({
        month: m + 1,
        valleyCny: raw[m * 4] * scale,
        flatCny: raw[m * 4 + 1] * scale,
        peakCny: raw[m * 4 + 2] * scale,
        criticalCny: raw[m * 4 + 3] * scale,
        capacityCny: row?.capacityChargeCny ?? 0,
        greenPremiumCny:
          greenTotal > 0 ? (annual.greenCostCny * greenKwh[m]) / greenTotal : annual.greenCostCny / 12,
      });
    }
    // The calendar of the year's last month (a year whose calendar changes shows the later one).
    const cal = focusCluster.tariff.calendarAt(focusYear, 11);
    const grid = tariff.months.map((mt, m) => mt.calendar.weekday[m].slice());
    focus = {
      dispatch: dispatchOf(h),
      clusterIndex: focusIndex,
      clusterId: focusCluster.ref.id,
      year: focusYear,
      pue,
      coolingMode: h.coolingMode,
      monthlyCost,
      calendar: {
        id: cal.id,
        label: cal.label,
        status: cal.status,
        effectiveFrom: cal.effectiveFrom,
        weekday: grid,
        pricesByMonthPeriod: Array.from({ length: 12 }, (_, m) => {
          const first = DAYS_IN_MONTH.slice(0, m).reduce((a, b) => a + b, 0) * 24;
          return Array.from({ length: 24 }, (_, hr) => h.priceCnyPerKwh[first + hr]);
        }),
        incentive: tariff.incentive.kind,
      },
    };
  }
  return {
    id: req.id,
    ok: true,
    result: forView(result, req.view ?? 'full', focusIndex),
    focus,
    ms: performance.now() - t0,
    receivedAt: 0,
    postedAt: 0,
  };
}

/** The buffers of a focus view's typed arrays: moved to the page, not copied. */
function transferables(focus: FocusView | null): ArrayBuffer[] {
  if (!focus) return [];
  const d = focus.dispatch;
  return [
    focus.pue,
    focus.coolingMode,
    d.loadKw,
    d.pvKw,
    d.windKw,
    d.dischargeKw,
    d.chargeKw,
    d.contractedKw,
    d.gridKw,
    d.surplusKw,
  ].map((a) => a.buffer as ArrayBuffer);
}

self.onmessage = (ev: MessageEvent<EngineRequest>) => {
  const req = ev.data;
  const receivedAt = performance.timeOrigin + performance.now();
  let res: EngineResponse;
  try {
    res = run(req);
  } catch (e) {
    if (e instanceof ValidationError) res = { id: req.id, ok: false, errors: e.errors };
    else res = { id: req.id, ok: false, errors: [{ path: '', message: (e as Error).message }] };
  }
  if (res.ok) {
    res.receivedAt = receivedAt;
    res.postedAt = performance.timeOrigin + performance.now();
  }
  (self as unknown as Worker).postMessage(res, res.ok ? transferables(res.focus) : []);
};
