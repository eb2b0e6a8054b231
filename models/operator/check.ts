import { HOURS_PER_YEAR } from '../calendar.ts';
import type { ClimateYear } from '../climate.ts';
import { COOLING_DESIGN_NAMES, coolingDesign } from '../cooling.ts';
import { buildSplit } from '../inputs.ts';
import { pvDefaults, pvOutputKw } from '../pv.ts';
import type { EngineReference } from '../reference.ts';
import { parseScenario } from '../scenario.ts';
import { prepareRun, simulate } from '../simulate.ts';
import { solarPosition } from '../solar.ts';
import { type Calibration, calibrate } from './calibrate.ts';
import { expectedMonths, type MeteredYear, meteredYear, type SitePlant, siteWeather } from './expected.ts';
import { type MeterInterval, type MeterRefusal, readMeterCsv } from './meter.ts';
import { type ItMeterPoint, type MeteredMetrics, meteredMetrics } from './metrics.ts';

/**
 * The operator's check of one site: read the meter file, compute the metrics and benchmarks, simulate
 * the site's plant on the metered IT load (expected and weather-normalised PUE by month), calibrate the
 * plant to the measured months, and price a few retrofits on the calibrated plant. Pure: the caller
 * gives the text, the reference data and (optionally) the site's weather.
 */

/** What the operator says about the site. */
export interface CheckRequest {
  /** A seeded (or user) cluster id: province, grid factors, targets, the station's climate. */
  cluster: string;
  /** Cooling design of the site (default: water-cooled chiller with waterside economizer, said so). */
  cooling?: string;
  facilityClass?: string;
  /** IT design power of the halls, kW (default: the highest metered hourly IT load, said so). */
  designItKw?: number;
  /**
   * UPS capacity energised, kW of IT (default: the highest metered hourly IT load, at least the
   * design's smallest energised share of the IT design power — modular UPS right-sized, said so).
   */
  upsOnlineKw?: number;
  itMeterPoint?: ItMeterPoint;
  interval?: MeterInterval;
  /** Delivered grid price for the retrofit savings, CNY/kWh (default: a stated estimate from the province's book). */
  priceCnyPerKwh?: number;
}

/** One retrofit option priced on the calibrated plant. */
export interface Retrofit {
  id: string;
  label: string;
  /** Annual PUE after the change (on the metered IT load and the typical year) and before. */
  pue: number;
  pueBefore: number;
  gb40879Grade: number;
  greenShare: number;
  /** Grid energy saved per year, kWh (negative: more). */
  savedGridKwh: number;
  savedCnyPerYear: number;
  savedTco2PerYear: number;
  capexCny: number;
  /** capex ÷ saving, years (null: no saving, or no capex). */
  simplePaybackYears: number | null;
  source: string;
}

export interface CheckResult {
  site: {
    cluster: string;
    name: string;
    province: string;
    cooling: string;
    facilityClass: string;
    designItKw: number;
    designItKwSource: string;
    upsOnlineKw: number;
  };
  coverage: MeteredMetrics['coverage'];
  category: MeteredMetrics['category'];
  pue: number | null;
  pPueCooling: number | null;
  wueLPerKwh: number | null;
  cueLocationKgPerKwh: number | null;
  cueMarketKgPerKwh: number | null;
  ref: number | null;
  greenShare: number | null;
  erf: number | null;
  gb40879Grade: number | null;
  /** Benchmarks: id, value, limit, met, the months that miss. */
  targets: MeteredMetrics['benchmarks'];
  /** By month: measured PUE, expected PUE on the site's weather, weather-normalised PUE (typical year). */
  monthly: Array<
    Omit<MeteredMetrics['monthly'][number], 'pue'> & {
      pue: number | null;
      expectedPue: number | null;
      normalisedPue: number | null;
      /** The operation's month: measured PUE above the plant model's by more than the year's usual gap. */
      operationFlag?: boolean;
    }
  >;
  expected: {
    year: number;
    spread: MeteredYear['spread'];
    weather: string;
    typical: string;
    /** Over the months with data: expected PUE on the site's weather and on the typical year. */
    pue: number | null;
    normalisedPue: number | null;
    rowsOutsideYear: number;
  };
  calibration: Calibration;
  retrofits: Retrofit[];
  factors: MeteredMetrics['factors'];
  warnings: string[];
}

export type CheckOutcome = { ok: true; result: CheckResult } | { ok: false; refusal: MeterRefusal };

const DEFAULT_DESIGN = 'water-cooled-chiller-wse';

/** Annual facility kWh of a plant on the metered IT load (scaled to the year when months are missing). */
function annualPue(
  m: MeteredYear,
  climate: ClimateYear,
  plant: SitePlant,
): { pue: number; itKwh: number; facKwh: number } {
  const e = expectedMonths(m, climate, plant);
  let it = 0;
  let fac = 0;
  for (let i = 0; i < 12; i++) {
    it += e.itKwh[i];
    fac += e.facilityKwh[i];
  }
  return { pue: it > 0 ? fac / it : 0, itKwh: it, facKwh: fac };
}

/**
 * Check a meter file for a site.
 *
 * @example
 * runCheck(csvText, { cluster: 'lanzhou', cooling: 'water-cooled-chiller-wse' }, engineReference(), climates.lanzhou)
 */
export function runCheck(
  csv: string,
  req: CheckRequest,
  ref: EngineReference,
  siteEpw?: ClimateYear,
): CheckOutcome {
  const cref = Object.hasOwn(ref.clusters, req.cluster) ? ref.clusters[req.cluster] : undefined;
  if (!cref)
    throw new Error(
      `cluster: unknown cluster "${req.cluster}" (known: ${Object.keys(ref.clusters).join(', ')})`,
    );
  // the site's typical year: an imported EPW of the site, else the cluster's seeded station
  const station = siteEpw ?? ref.climates[cref.climate];
  if (req.cooling !== undefined && !(COOLING_DESIGN_NAMES as readonly string[]).includes(req.cooling))
    throw new Error(`cooling: unknown design "${req.cooling}" (known: ${COOLING_DESIGN_NAMES.join(', ')})`);
  const read = readMeterCsv(csv, { interval: req.interval });
  if (!read.data) return { ok: false, refusal: read.refusal };
  const d = read.data;
  const warnings: string[] = [];
  const metrics = meteredMetrics(d, {
    cref,
    targets: ref.targets,
    gb40879Thresholds: ref.gb40879Thresholds,
    itMeterPoint: req.itMeterPoint,
  });
  warnings.push(...metrics.warnings);
  // the plant
  const m = meteredYear(d);
  let peak = 0;
  for (let h = 0; h < HOURS_PER_YEAR; h++) peak = Math.max(peak, m.itKw[h]);
  const designItKw = req.designItKw ?? peak;
  const design = req.cooling ?? DEFAULT_DESIGN;
  if (req.cooling === undefined)
    warnings.push(
      `cooling: not given; the site is modelled as ${DEFAULT_DESIGN} (the common large-DC plant) — give --cooling for the expected PUE to mean something`,
    );
  if (req.designItKw === undefined)
    warnings.push(
      `designItKw: not given; the halls are sized for the highest metered hourly IT load, ${Math.round(peak)} kW — give the IT design power for the fixed loads to be right`,
    );
  const cd = coolingDesign(design, {}, req.facilityClass);
  const upsOnlineKw =
    req.upsOnlineKw ?? Math.min(designItKw, Math.max(peak, cd.p.upsMinEnergisedFraction * designItKw));
  if (req.upsOnlineKw === undefined)
    warnings.push(
      `upsOnlineKw: not given; the UPS is taken as energised for ${Math.round(upsOnlineKw)} kW (the highest metered hourly IT load, at least ${cd.p.upsMinEnergisedFraction} of the design power) — give the online UPS capacity for the UPS losses to be right`,
    );
  const plant: SitePlant = { design, facilityClass: cd.facilityClass, designItKw, upsOnlineKw };
  const weather = siteWeather(station, m);
  const e = expectedMonths(m, weather, plant);
  const n = expectedMonths(m, station, plant);
  const monthIndex = (month: string) => Number(month.slice(5, 7)) - 1;
  const monthly: CheckResult['monthly'] = metrics.monthly.map((x) => {
    const i = monthIndex(x.month);
    const inYear = Number(x.month.slice(0, 4)) === m.year;
    return {
      ...x,
      expectedPue: inYear && e.itKwh[i] > 0 ? e.facilityKwh[i] / e.itKwh[i] : null,
      normalisedPue: inYear && n.itKwh[i] > 0 ? n.facilityKwh[i] / n.itKwh[i] : null,
    };
  });
  const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  const measured: Array<number | null> = Array(12).fill(null);
  for (const x of monthly) if (Number(x.month.slice(0, 4)) === m.year) measured[monthIndex(x.month)] = x.pue;
  // Months the operation made worse than the rest: measured − expected above the median gap by more
  // than 0.02 or 3 robust standard deviations (1.4826 × MAD). They are said, and left out of the fit.
  const gaps = monthly.flatMap((x) =>
    x.pue !== null && x.expectedPue !== null ? [x.pue - x.expectedPue] : [],
  );
  const med = median(gaps);
  const mad = 1.4826 * median(gaps.map((g) => Math.abs(g - med)));
  const threshold = Math.max(0.02, 3 * mad);
  const outliers = monthly.filter(
    (x) => x.pue !== null && x.expectedPue !== null && x.pue - x.expectedPue - med > threshold,
  );
  for (const o of outliers) {
    measured[monthIndex(o.month)] = null;
    warnings.push(
      `${o.month}: measured PUE ${o.pue!.toFixed(3)} is ${(o.pue! - o.expectedPue! - med).toFixed(3)} above what the plant model expects for that month's IT load and weather (beyond the year's usual gap ${med.toFixed(3)}): the operation, not the weather — left out of the calibration`,
    );
  }
  const calibration = calibrate(m, measured, weather, plant);
  for (const o of outliers) o.operationFlag = true;
  if (m.outside)
    warnings.push(
      `${m.outside} rows lie outside ${m.year} and are not in the expected-versus-measured comparison`,
    );
  // retrofits on the calibrated plant (the fit's values when it holds, else the design's), typical year
  const fitted = calibration.claim ? Object.fromEntries(calibration.params.map((p) => [p.key, p.value])) : {};
  const base: SitePlant = { ...plant, overrides: fitted };
  const before = annualPue(m, station, base);
  const price =
    req.priceCnyPerKwh ?? enginePrice(ref, cref.id, design, cd.facilityClass, m, designItKw, warnings);
  const factor = metrics.factors[0]?.gridKgPerKwh ?? 0;
  const retrofits = retrofitOptions(design, cd.p).map((o) => {
    const after = annualPue(m, station, {
      ...base,
      design: o.design ?? design,
      overrides: { ...fitted, ...o.overrides },
    });
    // a year's saving: the metered IT energy over the year (scaled up when months are missing)
    const scale = before.itKwh > 0 ? (metrics.coverage.annualised?.itKwh ?? before.itKwh) / before.itKwh : 0;
    const saved = (before.facKwh - after.facKwh) * scale;
    const capex = o.capexCnyPerKwIt(ref) * designItKw;
    const savedCny = price === null ? Number.NaN : saved * price;
    return {
      id: o.id,
      label: o.label,
      pue: after.pue,
      pueBefore: before.pue,
      gb40879Grade: gradeOf(after.pue, ref.gb40879Thresholds),
      greenShare: metrics.period.greenShare ?? 0,
      savedGridKwh: saved,
      savedCnyPerYear: savedCny,
      savedTco2PerYear: (saved * factor) / 1000,
      capexCny: capex,
      simplePaybackYears: capex > 0 && savedCny > 0 ? capex / savedCny : null,
      source: o.source,
    };
  });
  retrofits.push(
    pvRetrofit(m, station, cref.latDeg, cref.lonDeg, designItKw, before, metrics, ref, price, factor),
  );

  const p = metrics.period;
  return {
    ok: true,
    result: {
      site: {
        cluster: cref.id,
        name: cref.name,
        province: cref.province,
        cooling: design,
        facilityClass: cd.facilityClass,
        designItKw,
        designItKwSource: req.designItKw === undefined ? 'the highest metered hourly IT load' : 'given',
        upsOnlineKw,
      },
      coverage: metrics.coverage,
      category: metrics.category,
      pue: p.pue,
      pPueCooling: p.pPueCooling,
      wueLPerKwh: p.wueLPerKwh,
      cueLocationKgPerKwh: p.cueLocationKgPerKwh,
      cueMarketKgPerKwh: p.cueMarketKgPerKwh,
      ref: p.ref,
      greenShare: p.greenShare,
      erf: p.erf,
      gb40879Grade: p.gb40879Grade,
      targets: metrics.benchmarks,
      monthly,
      expected: {
        year: m.year,
        spread: m.spread,
        weather: weather.source,
        typical: station.source,
        pue: sum(e.itKwh) > 0 ? sum(e.facilityKwh) / sum(e.itKwh) : null,
        normalisedPue: sum(n.itKwh) > 0 ? sum(n.facilityKwh) / sum(n.itKwh) : null,
        rowsOutsideYear: m.outside,
      },
      calibration,
      retrofits,
      factors: metrics.factors,
      warnings,
    },
  };
}

/**
 * The delivered grid price the engine bills this cluster, that year, for a build of this IT design
 * power at the metered mean load (its tariff book, voltage and demand charge): the saving per kWh of
 * a retrofit. Null (and said) when the engine cannot bill it.
 */
function enginePrice(
  ref: EngineReference,
  cluster: string,
  design: string,
  facilityClass: string,
  m: MeteredYear,
  designItKw: number,
  warnings: string[],
): number | null {
  let it = 0;
  let hours = 0;
  for (let h = 0; h < HOURS_PER_YEAR; h++)
    if (m.has[h]) {
      it += m.itKw[h];
      hours++;
    }
  const occupancy = Math.min(
    1,
    Math.max(0.05, designItKw > 0 && hours > 0 ? it / hours / designItKw / 0.5 : 0.65),
  );
  try {
    const scenario = parseScenario({
      name: 'operator check: delivered price',
      startYear: m.year,
      years: 1,
      clusters: [
        {
          cluster,
          buildout: [{ year: m.year, itPowerKw: designItKw, kwPerRack: 5 }],
          occupancy,
          serverUtilisation: 0.5,
          cooling: { design, facilityClass },
        },
      ],
    });
    const r = simulate(prepareRun(scenario, ref), ref);
    const price = r.clusters[0].annual[0].averagePriceCnyPerKwh;
    warnings.push(
      `retrofits: savings priced at ${price.toFixed(4)} CNY/kWh, the delivered price the engine bills this cluster in ${m.year} for ${Math.round(designItKw).toLocaleString('en-US')} kW of IT (tariff book, voltage by contract, demand charge) — an estimate: give priceCnyPerKwh from your own bills`,
    );
    return price;
  } catch (e) {
    warnings.push(
      `retrofits: the delivered price could not be estimated (${(e as Error).message}); give priceCnyPerKwh`,
    );
    return null;
  }
}

/** kWp of on-site PV per kW of IT design power in the PV retrofit (a roof-and-site array; assumption). */
export const PV_KWP_PER_KW_IT = 0.1;

/** On-site PV of 0.1 kWp per kW of IT: its yield on the station's year, all used on site (it is ≪ the load). */
function pvRetrofit(
  m: MeteredYear,
  station: ClimateYear,
  lat: number,
  lon: number,
  designItKw: number,
  before: { pue: number; itKwh: number; facKwh: number },
  metrics: MeteredMetrics,
  ref: EngineReference,
  price: number | null,
  factor: number,
): Retrofit {
  const kwp = PV_KWP_PER_KW_IT * designItKw;
  const sun = solarPosition(lat, lon, station.site.utcOffsetHours);
  const out = pvOutputKw(sun, station, pvDefaults(lat, kwp));
  let pvKwh = 0;
  for (let h = 0; h < HOURS_PER_YEAR; h++) if (m.has[h]) pvKwh += out[h];
  const scale = before.itKwh > 0 ? (metrics.coverage.annualised?.itKwh ?? before.itKwh) / before.itKwh : 0;
  const saved = pvKwh * scale;
  const fac = metrics.coverage.annualised?.facilityKwh ?? metrics.period.facilityKwh;
  const green0 = metrics.period.greenShare ?? 0;
  const capex = kwp * 1000 * ref.costs.pvCapexCnyPerW.value;
  const savedCny = price === null ? Number.NaN : saved * price;
  return {
    id: 'onsite-pv',
    label: `Add ${Math.round(kwp).toLocaleString('en-US')} kWp of on-site PV (0.1 kWp per kW of IT design power)`,
    pue: before.pue,
    pueBefore: before.pue,
    gb40879Grade: gradeOf(before.pue, ref.gb40879Thresholds),
    greenShare: fac > 0 ? Math.min(1, green0 + saved / fac) : green0,
    savedGridKwh: saved,
    savedCnyPerYear: savedCny,
    savedTco2PerYear: (saved * factor) / 1000,
    capexCny: capex,
    simplePaybackYears: capex > 0 && savedCny > 0 ? capex / savedCny : null,
    source: `yield of the PV model on the station's typical year (PVWatts losses); capex ${ref.costs.pvCapexCnyPerW.value} CNY/W: ${ref.costs.pvCapexCnyPerW.source}; the array's size is a dcplan choice`,
  };
}

const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const k = Math.floor(s.length / 2);
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};

const gradeOf = (pue: number, t: readonly [number, number, number]) =>
  pue <= t[0] ? 1 : pue <= t[1] ? 2 : pue <= t[2] ? 3 : 4;

/** A retrofit: what changes in the plant, and its capex per kW of IT design power with the source. */
interface RetrofitOption {
  id: string;
  label: string;
  design?: string;
  overrides?: Record<string, number>;
  capexCnyPerKwIt: (ref: EngineReference) => number;
  source: string;
}

/** The cooling part of the build cost per kW of IT (the build cost model's split, seeds/costs.json). */
const coolingCapex = (ref: EngineReference) => {
  const c = ref.costs;
  return (
    (c.dcBuildUsdPerMwIt.value / 1000) *
    c.cnyPerUsd.value *
    (1 - c.dcWhiteSpaceShare.value) *
    buildSplit(ref).cooling
  );
};

/** The retrofits worth pricing for a site of this design. */
function retrofitOptions(design: string, p: Record<string, number>): RetrofitOption[] {
  const out: RetrofitOption[] = [];
  const costText =
    "capex: the cooling part of the build cost per kW of IT (C&W mid-spec build × the cost guide's critical share × 40 % cooling) [cw-apac-dc-cost-2025]";
  for (const other of ['water-cooled-chiller-wse', 'indirect-evaporative'])
    if (other !== design)
      out.push({
        id: `cooling-${other}`,
        label:
          other === 'water-cooled-chiller-wse'
            ? 'Replace the cooling plant: water-cooled chillers with a waterside economizer'
            : 'Replace the cooling plant: indirect evaporative cooling',
        design: other,
        capexCnyPerKwIt: coolingCapex,
        source: costText,
      });
  if (p.supplyAirC !== undefined && p.supplyAirC < 27)
    out.push({
      id: 'supply-air-27c',
      label: `Raise the supply-air set point to 27 °C (from ${p.supplyAirC} °C; the warm end of ASHRAE's recommended 18–27 °C)`,
      overrides: { supplyAirC: 27 },
      capexCnyPerKwIt: () => 0,
      source: 'an operational change (containment assumed in place); no capex',
    });
  if (p.upsEcoMode !== 1)
    out.push({
      id: 'ups-eco-mode',
      label: 'Run the UPS in eco mode (99 %)',
      overrides: { upsEcoMode: 1 },
      capexCnyPerKwIt: () => 0,
      source:
        'a setting of modern UPS (Schneider WP 157: ≈ 2 % of data-centre energy saved, with protection trade-offs) [ups-eco-mode]; no capex',
    });
  return out;
}
