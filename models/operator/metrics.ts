import { nearestYearValue } from '../inputs.ts';
import type { ClusterReference, TargetReference } from '../reference.ts';
import {
  appliesIn,
  type Comparator,
  compare,
  EXTENSIVE_METRICS,
  gb40879Grade,
  type TargetMetric,
  type TargetScope,
  targetApplies,
} from '../targets.ts';
import { CHINA_UTC_OFFSET_MIN, type MeterData, type MeterInterval, nextStart } from './meter.ts';

/**
 * An operator's metrics from metered data, as the standards define them:
 * - PUE = Σ facility energy ÷ Σ IT energy over the period (ISO/IEC 30134-2; GB/T 32910.3), never a
 *   mean of interval ratios; its measurement category is bounded by the data's resolution (category 3
 *   needs ≤ 15-minute IT readings at the IT equipment's input, category 2 daily at the PDU outputs,
 *   category 1 monthly at the UPS output): dcplan states the best category the resolution allows and,
 *   when the operator says where IT is metered, the category itself;
 * - pPUE of cooling = (IT + cooling) ÷ IT (ISO/IEC 30134-2 partial PUE);
 * - WUE = site water, L ÷ IT kWh (ISO/IEC 30134-9);
 * - CUE = CO₂ of the energy used ÷ IT kWh (ISO/IEC 30134-8), location-based with the province's grid
 *   factor of the year, market-based with contracted green power and certificates netted and the
 *   residual mix for the rest;
 * - REF = renewable energy (on-site, contracted, certificates) ÷ total facility energy (ISO/IEC
 *   30134-3), at most 1; the green share is the same quantity;
 * - ERF = reused energy ÷ total facility energy (ISO/IEC 30134-6).
 * Each over the period and by calendar month (China time).
 */

/** Where the operator meters IT energy, which sets the ISO/IEC 30134-2 category with the resolution. */
export type ItMeterPoint = 'ups' | 'pdu' | 'it';

/** The metrics of a period (the whole file or one month). */
export interface PeriodMetrics {
  itKwh: number;
  facilityKwh: number;
  pue: number | null;
  pPueCooling: number | null;
  waterM3: number | null;
  wueLPerKwh: number | null;
  cueLocationKgPerKwh: number | null;
  cueMarketKgPerKwh: number | null;
  ref: number | null;
  greenShare: number | null;
  erf: number | null;
  gb40879Grade: number | null;
  /** Mean racks in service over the period's rows (null without the column). */
  racksInService: number | null;
  /** Mean outdoor temperature of the rows (null without the column). */
  outdoorTempC: number | null;
  /** Share of the period's intervals that have a row. */
  covered: number;
}

export interface MonthMetrics extends PeriodMetrics {
  /** YYYY-MM, China time. */
  month: string;
}

/** A gap: intervals with no row between two lines. */
export interface MeterGap {
  afterLine: number;
  from: string;
  to: string;
  missing: number;
}

export interface Coverage {
  interval: MeterInterval;
  /** First interval's start and the last interval's end, ISO 8601 in China time. */
  start: string;
  end: string;
  rows: number;
  expectedRows: number;
  /** rows ÷ expectedRows. */
  share: number;
  gaps: MeterGap[];
  /** Totals scaled to a full year: only when the data cover ≥ 11 months and ≥ 95 % of their intervals. */
  annualised: { itKwh: number; facilityKwh: number; waterM3: number | null; factor: number } | null;
  note: string;
  /** Columns of the header dcplan does not read. */
  ignored: string[];
}

/** One benchmark, met or missed over the period, with the months that miss and by how much. */
export interface BenchmarkCheck {
  id: string;
  label: string;
  scope: TargetScope;
  metric: TargetMetric;
  comparator: Comparator;
  limit: number;
  unit: string;
  /** The period's value (null: the data do not give the metric). */
  value: number | null;
  met: boolean | null;
  /** Months that miss: month, value and the gap to the limit (value − limit). */
  monthsMissed: Array<{ month: string; value: number; by: number }>;
  source: string;
  grade: string;
}

export interface MeteredMetrics {
  coverage: Coverage;
  period: PeriodMetrics;
  /** The best ISO/IEC 30134-2 category the resolution allows, and (with the metering point) the category. */
  category: { byResolution: 1 | 2 | 3; atPoint: 1 | 2 | 3 | null; note: string };
  monthly: MonthMetrics[];
  benchmarks: BenchmarkCheck[];
  /** The grid and residual factors used, by year, with their sources. */
  factors: { year: number; gridKgPerKwh: number; residualKgPerKwh: number | null; held: boolean }[];
  warnings: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');
/** ISO 8601 in China time (+08:00). */
export function chinaIso(ms: number): string {
  const d = new Date(ms + CHINA_UTC_OFFSET_MIN * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}+08:00`;
}
const monthOf = (ms: number) => chinaIso(ms).slice(0, 7);
const yearOf = (ms: number) => Number(chinaIso(ms).slice(0, 4));

/** Sums of one period's rows. */
interface Sums {
  it: number;
  fac: number;
  cool: number;
  water: number;
  onsite: number;
  contracted: number;
  cert: number;
  reused: number;
  co2Loc: number;
  co2Mkt: number;
  racks: number;
  temp: number;
  rows: number;
  expected: number;
}
const zero = (): Sums => ({
  it: 0,
  fac: 0,
  cool: 0,
  water: 0,
  onsite: 0,
  contracted: 0,
  cert: 0,
  reused: 0,
  co2Loc: 0,
  co2Mkt: 0,
  racks: 0,
  temp: 0,
  rows: 0,
  expected: 0,
});

function metricsOf(s: Sums, d: MeterData, thresholds: readonly [number, number, number]): PeriodMetrics {
  const v = d.values;
  const has = (c: keyof MeterData['values']) => v[c] !== null;
  const pue = s.it > 0 ? s.fac / s.it : null;
  const green = s.onsite + s.contracted + s.cert;
  const anyGreen = has('onsite_green_kwh') || has('contracted_green_kwh') || has('certificates_mwh');
  const ref = s.fac > 0 ? Math.min(1, green / s.fac) : null;
  return {
    itKwh: s.it,
    facilityKwh: s.fac,
    pue,
    pPueCooling: has('cooling_kwh') && s.it > 0 ? (s.it + s.cool) / s.it : null,
    waterM3: has('water_m3') ? s.water : null,
    wueLPerKwh: has('water_m3') && s.it > 0 ? (s.water * 1000) / s.it : null,
    cueLocationKgPerKwh: s.it > 0 ? s.co2Loc / s.it : null,
    cueMarketKgPerKwh: s.it > 0 && Number.isFinite(s.co2Mkt) ? s.co2Mkt / s.it : null,
    ref: anyGreen ? ref : ref === null ? null : 0,
    greenShare: anyGreen ? ref : ref === null ? null : 0,
    erf: has('reused_heat_kwh') && s.fac > 0 ? s.reused / s.fac : null,
    gb40879Grade: pue === null ? null : gb40879Grade(pue, thresholds),
    racksInService: has('racks_in_service') && s.rows > 0 ? s.racks / s.rows : null,
    outdoorTempC: has('outdoor_temp_c') && s.rows > 0 ? s.temp / s.rows : null,
    covered: s.expected > 0 ? s.rows / s.expected : 0,
  };
}

/** Everything the metrics need about the site besides its meter file. */
export interface MeteredSite {
  cref: ClusterReference;
  targets: readonly TargetReference[];
  gb40879Thresholds: readonly [number, number, number];
  itMeterPoint?: ItMeterPoint;
}

const MIN_ANNUALISE_SHARE = 0.95;
const MIN_ANNUALISE_MONTHS = 11;

/**
 * The operator's metrics of a meter file for a site: coverage, the period's and each month's metrics,
 * the ISO/IEC 30134-2 category, and every benchmark that binds the site (the engine's target table,
 * project scope and the cluster-wide averages a project is held to; totals such as a cluster's racks
 * are not one site's to meet) — met or missed, and the months that miss.
 *
 * @example
 * meteredMetrics(readMeterCsv(text).data!, { cref, targets, gb40879Thresholds: [1.2, 1.3, 1.5] }).period.pue
 */
export function meteredMetrics(d: MeterData, site: MeteredSite): MeteredMetrics {
  const { cref } = site;
  const v = d.values;
  const warnings: string[] = [];
  const n = d.t.length;
  // factors by year
  const factors = new Map<number, { grid: number; residual: number | null; held: boolean }>();
  const factorOf = (year: number) => {
    let f = factors.get(year);
    if (!f) {
      const g = nearestYearValue(cref.gridFactors.byYear, year);
      const r = cref.residualGridFactors ? nearestYearValue(cref.residualGridFactors.byYear, year) : null;
      f = { grid: g.value, residual: r?.value ?? null, held: !g.exact || (r !== null && !r.exact) };
      factors.set(year, f);
    }
    return f;
  };
  // periods: the whole file and each month, with expected intervals between the first and last row
  const total = zero();
  const months = new Map<string, Sums>();
  const gaps: MeterGap[] = [];
  const end = nextStart(d.t[n - 1], d.interval);
  // expected intervals, by month
  for (let s = d.t[0]; s < end; s = nextStart(s, d.interval)) {
    const m = monthOf(s);
    const sums = months.get(m) ?? zero();
    sums.expected++;
    months.set(m, sums);
    total.expected++;
  }
  for (let i = 0; i < n; i++) {
    const m = monthOf(d.t[i]);
    const sums = months.get(m)!;
    const f = factorOf(yearOf(d.t[i]));
    const it = v.it_kwh![i];
    const fac = v.facility_kwh![i];
    const onsite = v.onsite_green_kwh?.[i] ?? 0;
    const contracted = v.contracted_green_kwh?.[i] ?? 0;
    const cert = (v.certificates_mwh?.[i] ?? 0) * 1000;
    const grid = Math.max(0, fac - onsite);
    const co2Loc = grid * f.grid;
    const co2Mkt = f.residual === null ? Number.NaN : Math.max(0, grid - contracted - cert) * f.residual;
    for (const x of [sums, total]) {
      x.it += it;
      x.fac += fac;
      x.cool += v.cooling_kwh?.[i] ?? 0;
      x.water += v.water_m3?.[i] ?? 0;
      x.onsite += onsite;
      x.contracted += contracted;
      x.cert += cert;
      x.reused += v.reused_heat_kwh?.[i] ?? 0;
      x.co2Loc += co2Loc;
      x.co2Mkt += co2Mkt;
      x.racks += v.racks_in_service?.[i] ?? 0;
      x.temp += v.outdoor_temp_c?.[i] ?? 0;
      x.rows++;
    }
    if (i > 0) {
      let s = nextStart(d.t[i - 1], d.interval);
      let missing = 0;
      const from = s;
      while (s < d.t[i]) {
        missing++;
        s = nextStart(s, d.interval);
      }
      if (missing > 0)
        gaps.push({ afterLine: d.line[i - 1], from: chinaIso(from), to: chinaIso(d.t[i]), missing });
    }
  }
  const period = metricsOf(total, d, site.gb40879Thresholds);
  const monthly = [...months].map(([month, s]) => ({ month, ...metricsOf(s, d, site.gb40879Thresholds) }));
  // coverage and annualising
  const share = total.rows / total.expected;
  const spanMonths = months.size;
  const annualise = spanMonths >= MIN_ANNUALISE_MONTHS && share >= MIN_ANNUALISE_SHARE;
  const yearFactor = annualise ? (365 * 24 * 60) / spanMinutes(d.t[0], end) / share : 0;
  const intervalText =
    d.interval === 'month' ? 'monthly' : d.interval === 1440 ? 'daily' : `${d.interval}-minute`;
  const note = `${total.rows} ${intervalText} rows from ${chinaIso(d.t[0]).slice(0, 16)} to ${chinaIso(end).slice(0, 16)} (China time): ${(100 * share).toFixed(1)} % of the period's intervals${gaps.length ? `, ${gaps.length} gap${gaps.length > 1 ? 's' : ''} (${gaps.reduce((a, g) => a + g.missing, 0)} intervals)` : ''}. Ratios (PUE, WUE, CUE, REF) are over the rows there are; ${
    annualise
      ? `annual totals are scaled by ${yearFactor.toFixed(4)} to a full year (the data cover ${spanMonths} months and ${(100 * share).toFixed(1)} % of their intervals)`
      : `totals are not annualised (that needs ≥ ${MIN_ANNUALISE_MONTHS} months and ≥ ${100 * MIN_ANNUALISE_SHARE} % of the intervals)`
  }.`;
  const coverage: Coverage = {
    interval: d.interval,
    start: chinaIso(d.t[0]),
    end: chinaIso(end),
    rows: total.rows,
    expectedRows: total.expected,
    share,
    gaps,
    annualised: annualise
      ? {
          itKwh: total.it * yearFactor,
          facilityKwh: total.fac * yearFactor,
          waterM3: v.water_m3 ? total.water * yearFactor : null,
          factor: yearFactor,
        }
      : null,
    note,
    ignored: d.ignored,
  };
  if (gaps.length)
    warnings.push(
      `meter data: ${gaps.length} gap(s); the first after line ${gaps[0].afterLine} (${gaps[0].from} to ${gaps[0].to})`,
    );
  if (d.ignored.length) warnings.push(`meter data: columns not read: ${d.ignored.join(', ')}`);
  if (!cref.residualGridFactors)
    warnings.push('market-based CUE: no residual-mix factor is seeded; not computed');
  const heldYears = [...factors].filter(([, f]) => f.held).map(([y]) => y);
  if (heldYears.length)
    warnings.push(
      `grid factors: none published for ${heldYears.join(', ')}; the nearest published year is held (${cref.gridFactors.source})`,
    );
  // category
  const byResolution: 1 | 2 | 3 = d.interval === 15 ? 3 : d.interval === 60 || d.interval === 1440 ? 2 : 1;
  const pointCat =
    site.itMeterPoint === 'it' ? 3 : site.itMeterPoint === 'pdu' ? 2 : site.itMeterPoint === 'ups' ? 1 : null;
  const atPoint = pointCat === null ? null : (Math.min(pointCat, byResolution) as 1 | 2 | 3);
  const category = {
    byResolution,
    atPoint,
    note:
      atPoint === null
        ? `${intervalText} readings allow at most PUE category ${byResolution} (ISO/IEC 30134-2: category 3 needs IT energy at the IT equipment's input every ≤ 15 minutes, category 2 at the PDU outputs daily, category 1 at the UPS output monthly); say where IT is metered (--it-meter ups|pdu|it) for the category itself`
        : `PUE category ${atPoint}: IT metered at the ${site.itMeterPoint === 'it' ? "IT equipment's input" : site.itMeterPoint === 'pdu' ? 'PDU outputs' : 'UPS output'} with ${intervalText} readings (ISO/IEC 30134-2)`,
  };
  const benchmarks = benchmarkChecks(site, period, monthly, yearOf(d.t[0]));
  return {
    coverage,
    period,
    category,
    monthly,
    benchmarks,
    factors: [...factors].map(([year, f]) => ({
      year,
      gridKgPerKwh: f.grid,
      residualKgPerKwh: f.residual,
      held: f.held,
    })),
    warnings,
  };
}

function spanMinutes(a: number, b: number) {
  return (b - a) / 60_000;
}

/** The period's value of a target's metric (null when metered data do not give it). */
function metricValue(m: PeriodMetrics, metric: TargetMetric): number | null {
  switch (metric) {
    case 'pue':
      return m.pue;
    case 'greenShare':
      return m.greenShare;
    case 'gb40879Grade':
      return m.gb40879Grade;
    case 'wueLPerKwh':
      return m.wueLPerKwh;
    default:
      return null;
  }
}

/**
 * The benchmarks that bind the site, from the engine's target table: those whose selector matches the
 * site's cluster and are in force in the data's year (standing targets, and deadline targets of that
 * year), excluding totals over a cluster, a province or the nation (not one site's to meet).
 */
function benchmarkChecks(
  site: MeteredSite,
  period: PeriodMetrics,
  monthly: MonthMetrics[],
  year: number,
): BenchmarkCheck[] {
  const out: BenchmarkCheck[] = [];
  for (const t of site.targets) {
    if (!targetApplies(t.appliesTo, site.cref)) continue;
    if (t.scope !== 'project' && EXTENSIVE_METRICS.includes(t.metric)) continue;
    if (!appliesIn(t, year) && !(t.year !== undefined && t.year <= year)) continue;
    const value = metricValue(period, t.metric);
    const monthsMissed = monthly.flatMap((m) => {
      const x = metricValue(m, t.metric);
      return x !== null && !compare(x, t.comparator, t.limit)
        ? [{ month: m.month, value: x, by: x - t.limit }]
        : [];
    });
    out.push({
      id: t.id,
      label: t.label,
      scope: t.scope,
      metric: t.metric,
      comparator: t.comparator,
      limit: t.limit,
      unit: t.unit,
      value,
      met: value === null ? null : compare(value, t.comparator, t.limit),
      monthsMissed,
      source: t.source,
      grade: t.grade,
    });
  }
  return out;
}
